from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError

from .enrolment_common import EnrolmentCase


class TestPlacement(EnrolmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Four families want the reading room (2 places); they submit in this order.
        cls.first = cls.student
        cls.left_behind = cls.create_student(
            "Chen Jing", cls.class_3a, left_behind=True
        )
        cls.hardship = cls.create_student(
            "Liu Yang", cls.class_3b, financial_hardship=True
        )
        cls.last = cls.create_student("Zhou Min", cls.class_3b)
        cls.applications = cls.env["afterschool.application"]
        for student in (cls.first, cls.left_behind, cls.hardship, cls.last):
            application = cls.create_application(student)
            cls.approve(application)
            cls.applications |= application
        cls.by_student = {
            application.student_id: application for application in cls.applications
        }

    def placed(self, group):
        group.invalidate_recordset(["student_ids"])
        return group.student_ids

    def place(self, **values):
        wizard = (
            self.env["afterschool.placement.wizard"]
            .with_user(self.manager)
            .create({"term_id": self.term.id, **values})
        )
        wizard.action_allocate()
        return wizard

    def test_priority_then_submission_time(self):
        wizard = (
            self.env["afterschool.placement.wizard"]
            .with_user(self.manager)
            .create({"term_id": self.term.id})
        )
        self.assertEqual((wizard.approved_count, wizard.waiting_count), (4, 4))
        wizard.action_allocate()
        self.assertEqual(wizard.placed_count, 2)
        self.assertEqual(self.placed(self.reading), self.left_behind | self.hardship)
        waiting = self.env["afterschool.application"].search(
            [("is_waiting", "=", True), ("term_id", "=", self.term.id)],
            order="priority desc, date_submitted, id",
        )
        self.assertEqual(waiting.student_id.ids, [self.first.id, self.last.id])
        self.assertEqual(self.by_student[self.first].waiting_group_ids, self.reading)
        self.assertEqual(wizard.waiting_count, 2)
        self.assertEqual(wizard.reading_waiting_count, 2)

    def test_never_above_capacity(self):
        self.place()
        with self.assertRaisesMessage(
            ValidationError, "The group Reading Room is full: it has 2 places."
        ):
            self.by_student[self.first].with_user(self.manager).write(
                {"group_ids": [(4, self.reading.id)]}
            )
        self.assertEqual(len(self.placed(self.reading)), 2)
        with self.assertRaisesMessage(
            ValidationError, "2 students are placed in Reading Room"
        ):
            self.reading.with_user(self.manager).capacity = 1

    def test_placing_is_for_coordinators(self):
        with self.assertRaises(AccessError):
            self.env["afterschool.placement.wizard"].with_user(
                self.head_teacher
            ).create({"term_id": self.term.id})
        with self.assertRaisesMessage(
            UserError, "Only a coordinator can place students in groups."
        ):
            self.by_student[self.first].with_user(
                self.head_teacher
            ).action_open_placement()
        self.assertFalse(self.placed(self.reading))

    def test_selection_only(self):
        self.place(application_ids=[(6, 0, self.by_student[self.last].ids)])
        self.assertEqual(self.placed(self.reading), self.last)

    def test_alternatives_on_the_same_day(self):
        """Two reading rooms on the same days: the student gets one of them and does not wait for the other."""
        second_room = self.reading.copy(
            {"name": "Reading Room 2", "capacity": 5, "wed": False}
        )
        application = self.create_application(
            self.create_student("Sun Li", self.class_3a), self.reading | second_room
        )
        self.approve(application)
        self.place()
        self.assertEqual(
            application.group_ids, second_room, "the alternative with a free place"
        )
        self.assertFalse(application.is_waiting)

    def test_promotion_when_a_place_frees(self):
        self.place()
        self.publish_and_sign(self.by_student[self.left_behind])
        self.by_student[self.left_behind].with_user(self.manager).action_withdraw(
            "Moved", self.term_start
        )
        self.assertEqual(
            self.placed(self.reading),
            self.hardship | self.first,
            "the first waiting family moves up",
        )
        self.by_student[self.hardship].with_user(self.manager).action_reject(
            "Not in the catchment area"
        )
        self.assertEqual(self.placed(self.reading), self.first | self.last)
        self.assertFalse(self.by_student[self.hardship].group_ids)

    def test_promotion_when_capacity_is_raised(self):
        self.place()
        self.reading.with_user(self.manager).capacity = 3
        self.assertEqual(
            self.placed(self.reading), self.left_behind | self.hardship | self.first
        )
        self.assertTrue(self.by_student[self.last].is_waiting)

    def test_promotion_on_termination(self):
        self.place()
        self.publish_and_sign(self.by_student[self.hardship])
        self.by_student[self.hardship].with_user(self.manager).action_terminate(
            "Unsafe behaviour", self.term_start + timedelta(days=30)
        )
        self.assertIn(self.first, self.placed(self.reading))

    def test_open_another_reading_room(self):
        wizard = self.place()
        self.assertEqual(wizard.reading_waiting_count, 2)
        self.assertEqual(wizard.reading_group_id, self.reading)
        self.assertIn(self.hall, wizard.available_venue_ids)
        self.assertNotIn(
            self.library,
            wizard.available_venue_ids,
            "the full room's own venue is taken",
        )
        self.assertNotIn(
            self.teacher,
            wizard.available_teacher_ids,
            "the full room's teacher is taken",
        )
        self.assertIn(self.other_head_teacher, wizard.available_teacher_ids)
        wizard.venue_id = self.hall
        wizard.teacher_id = self.other_head_teacher
        wizard.action_open_reading_room()
        new_room = self.env["afterschool.activity.group"].search(
            [("term_id", "=", self.term.id), ("venue_id", "=", self.hall.id)]
        )
        self.assertEqual(new_room.name, "Reading Room (Hall)")
        self.assertEqual(new_room.capacity, 2)
        self.assertEqual(
            (new_room.tue, new_room.wed, new_room.thu), (True, False, True)
        )
        self.assertEqual(new_room.teacher_id, self.other_head_teacher)
        self.assertEqual(
            new_room.date_from,
            self.term_start,
            "it meets from today, or the term's start",
        )
        self.assertEqual(self.placed(new_room), self.first | self.last)
        self.assertEqual(wizard.reading_waiting_count, 0)
        self.assertFalse(self.by_student[self.first].is_waiting)
        # Its sessions are planned at once, on the teacher's calendar; generating the term again works.
        sessions = new_room.session_ids
        self.assertTrue(sessions)
        self.assertGreaterEqual(min(sessions.mapped("date")), self.term_start)
        self.assertEqual(sessions.calendar_event_id.user_id, self.other_head_teacher)
        self.term.action_generate_sessions()
        self.assertEqual(new_room.session_ids, sessions)
        # The coordinator is told who moved and why.
        note = new_room.message_ids.filtered(
            lambda message: "New room opened" in (message.body or "")
        )
        self.assertIn("Li Ming", note.body)
        self.assertIn("Zhou Min", note.body)
        self.assertIn(self.manager.partner_id, note.partner_ids)
        self.assertIn("Li Ming", wizard.room_message)

    def test_open_reading_room_refuses_a_busy_venue_or_teacher(self):
        wizard = self.place()
        Group = self.env["afterschool.activity.group"]
        before = Group.search_count([])
        with self.assertRaisesMessage(
            UserError,
            "The venue Library is not free on the days and times of Reading Room",
        ):
            self.reading.with_user(self.manager)._open_room_in_venue(
                self.library, self.other_head_teacher
            )
        with self.assertRaisesMessage(
            UserError,
            "The teacher as_teacher (afterschool_service.group_afterschool_teacher) "
            "is not free on the days and times of Reading Room",
        ):
            self.reading.with_user(self.manager)._open_room_in_venue(
                self.hall, self.teacher
            )
        wizard.venue_id = self.hall
        with self.assertRaisesMessage(
            UserError, "Choose the reading room to duplicate, and the venue and teacher"
        ):
            wizard.action_open_reading_room()
        self.assertEqual(Group.search_count([]), before, "nothing was opened")
        self.assertEqual(wizard.reading_waiting_count, 2)

    def test_open_reading_room_is_the_coordinators(self):
        wizard = self.place()
        with self.assertRaisesMessage(
            UserError, "Only a coordinator can place students in groups."
        ):
            wizard.with_user(self.head_teacher).action_open_reading_room()
