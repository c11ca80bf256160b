from datetime import timedelta

from odoo.exceptions import AccessError, UserError, ValidationError

from .enrolment_common import EnrolmentCase


class TestPlacement(EnrolmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Four families want the reading room (2 places); they submit in this order.
        cls.first = cls.student
        cls.left_behind = cls.create_student("Chen Jing", cls.class_3a, left_behind=True)
        cls.hardship = cls.create_student("Liu Yang", cls.class_3b, financial_hardship=True)
        cls.last = cls.create_student("Zhou Min", cls.class_3b)
        cls.applications = cls.env["afterschool.application"]
        for student in (cls.first, cls.left_behind, cls.hardship, cls.last):
            application = cls.create_application(student)
            cls.approve(application)
            cls.applications |= application
        cls.by_student = {application.student_id: application for application in cls.applications}

    def placed(self, group):
        group.invalidate_recordset(["student_ids"])
        return group.student_ids

    def place(self, **values):
        wizard = self.env["afterschool.placement.wizard"].with_user(self.manager).create(
            {"term_id": self.term.id, **values})
        wizard.action_allocate()
        return wizard

    def test_priority_then_submission_time(self):
        wizard = self.env["afterschool.placement.wizard"].with_user(self.manager).create({"term_id": self.term.id})
        self.assertEqual((wizard.approved_count, wizard.waiting_count), (4, 4))
        wizard.action_allocate()
        self.assertEqual(wizard.placed_count, 2)
        self.assertEqual(self.placed(self.reading), self.left_behind | self.hardship)
        waiting = self.env["afterschool.application"].search(
            [("is_waiting", "=", True), ("term_id", "=", self.term.id)], order="priority desc, date_submitted, id")
        self.assertEqual(waiting.student_id.ids, [self.first.id, self.last.id])
        self.assertEqual(self.by_student[self.first].waiting_group_ids, self.reading)
        self.assertEqual(wizard.waiting_count, 2)
        self.assertEqual(wizard.reading_waiting_count, 2)

    def test_never_above_capacity(self):
        self.place()
        with self.assertRaisesMessage(ValidationError, "The group Reading Room is full: it has 2 places."):
            self.by_student[self.first].with_user(self.manager).write({"group_ids": [(4, self.reading.id)]})
        self.assertEqual(len(self.placed(self.reading)), 2)
        with self.assertRaisesMessage(ValidationError, "2 students are placed in Reading Room"):
            self.reading.with_user(self.manager).capacity = 1

    def test_placing_is_for_coordinators(self):
        with self.assertRaises(AccessError):
            self.env["afterschool.placement.wizard"].with_user(self.head_teacher).create({"term_id": self.term.id})
        with self.assertRaisesMessage(UserError, "Only a coordinator can place students in groups."):
            self.by_student[self.first].with_user(self.head_teacher).action_open_placement()
        self.assertFalse(self.placed(self.reading))

    def test_selection_only(self):
        self.place(application_ids=[(6, 0, self.by_student[self.last].ids)])
        self.assertEqual(self.placed(self.reading), self.last)

    def test_alternatives_on_the_same_day(self):
        """Two reading rooms on the same days: the student gets one of them and does not wait for the other."""
        second_room = self.reading.copy({"name": "Reading Room 2", "capacity": 5, "wed": False})
        application = self.create_application(self.create_student("Sun Li", self.class_3a), self.reading | second_room)
        self.approve(application)
        self.place()
        self.assertEqual(application.group_ids, second_room, "the alternative with a free place")
        self.assertFalse(application.is_waiting)

    def test_promotion_when_a_place_frees(self):
        self.place()
        self.publish_and_sign(self.by_student[self.left_behind])
        self.by_student[self.left_behind].with_user(self.manager).action_withdraw("Moved", self.term_start)
        self.assertEqual(self.placed(self.reading), self.hardship | self.first, "the first waiting family moves up")
        self.by_student[self.hardship].with_user(self.manager).action_reject("Not in the catchment area")
        self.assertEqual(self.placed(self.reading), self.first | self.last)
        self.assertFalse(self.by_student[self.hardship].group_ids)

    def test_promotion_when_capacity_is_raised(self):
        self.place()
        self.reading.with_user(self.manager).capacity = 3
        self.assertEqual(self.placed(self.reading), self.left_behind | self.hardship | self.first)
        self.assertTrue(self.by_student[self.last].is_waiting)

    def test_promotion_on_termination(self):
        self.place()
        self.publish_and_sign(self.by_student[self.hardship])
        self.by_student[self.hardship].with_user(self.manager).action_terminate(
            "Unsafe behaviour", self.term_start + timedelta(days=30))
        self.assertIn(self.first, self.placed(self.reading))

    def test_open_another_reading_room(self):
        wizard = self.place()
        self.assertEqual(wizard.reading_waiting_count, 2)
        self.assertEqual(wizard.reading_group_id, self.reading)
        wizard.venue_id = self.hall
        wizard.action_open_reading_room()
        new_room = self.env["afterschool.activity.group"].search(
            [("term_id", "=", self.term.id), ("venue_id", "=", self.hall.id)])
        self.assertEqual(new_room.name, "Reading Room (Hall)")
        self.assertEqual(new_room.capacity, 2)
        self.assertEqual((new_room.tue, new_room.wed, new_room.thu), (True, False, True))
        self.assertFalse(new_room.teacher_id)
        self.assertEqual(self.placed(new_room), self.first | self.last)
        self.assertEqual(wizard.reading_waiting_count, 0)
        self.assertFalse(self.by_student[self.first].is_waiting)
