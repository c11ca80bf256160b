from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError, ValidationError

from .service_common import ServiceCase


class TestRoster(ServiceCase):
    def test_roster_follows_enrolment_and_withdrawal_dates(self):
        always = self.create_student("Xiao Ming")
        late_joiner = self.create_student("Xiao Hong")
        leaver = self.create_student("Xiao Gang")
        self.enrol(always, self.chess)
        self.enrol(late_joiner, self.chess, date_enrolled=date(2026, 9, 15))
        self.enrol(leaver, self.chess, date_left=date(2026, 10, 15))
        self.term.action_generate_sessions()

        def roster(day):
            return self.session_on(self.chess, day).attendance_ids.student_id

        self.assertEqual(roster(date(2026, 9, 8)), always | leaver)
        self.assertEqual(roster(date(2026, 9, 15)), always | late_joiner | leaver)
        self.assertEqual(roster(date(2026, 10, 13)), always | late_joiner | leaver)
        self.assertEqual(
            roster(date(2026, 10, 15)),
            always | late_joiner,
            "gone from the day they left",
        )
        self.assertEqual(roster(date(2026, 12, 1)), always | late_joiner)

    def test_withdrawal_after_generation_removes_only_unmarked_future_lines(self):
        student = self.create_student("Xiao Ming")
        application = self.enrol(student, self.chess)
        self.term.action_generate_sessions()
        marked = self.session_on(self.chess, date(2026, 12, 1)).attendance_ids
        marked.state = "present"
        application.write({"state": "withdrawn", "date_left": date(2026, 11, 20)})
        self.chess.session_ids._sync_rosters()
        self.assertEqual(
            self.session_on(self.chess, date(2026, 12, 1)).attendance_ids, marked
        )
        self.assertFalse(self.session_on(self.chess, date(2026, 12, 3)).attendance_ids)
        self.assertTrue(self.session_on(self.chess, date(2026, 11, 19)).attendance_ids)


class TestAttendanceAndPickup(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ming = cls.create_student(
            "Xiao Ming", guardians=cls.mother, pickups=cls.grandpa
        )
        cls.hong = cls.create_student("Xiao Hong")
        cls.enrol(cls.ming, cls.chess)
        cls.enrol(cls.hong, cls.chess)
        cls.term.action_generate_sessions()
        cls.session = cls.env["afterschool.session"].search(
            [("group_id", "=", cls.chess.id), ("date", "=", date(2026, 12, 1))]
        )
        cls.line_ming = cls.session.attendance_ids.filtered(
            lambda line: line.student_id == cls.ming
        )
        cls.line_hong = cls.session.attendance_ids - cls.line_ming

    @freeze_time(
        "2026-12-01 09:00:00"
    )  # the session's day (17:00 at the school): teachers take attendance then
    def test_all_present_in_one_tap_then_exceptions(self):
        session = self.session.with_user(self.teacher)
        session.action_mark_all_present()
        self.assertEqual(session.present_count, 2)
        self.line_hong.with_user(self.teacher).action_absent()
        self.assertEqual((session.planned_count, session.present_count), (2, 1))

    @freeze_time(
        "2026-12-01 09:00:00"
    )  # the session's day (17:00 at the school): teachers take attendance then
    def test_pickup_by_guardian_or_authorised_person_only(self):
        self.session.action_mark_all_present()
        with self.assertRaisesMessage(
            ValidationError,
            "Zhao Qiang is not allowed to collect Xiao Ming. Allowed: Wang Fang, Li Jun",
        ):
            self.line_ming.with_user(self.teacher).picked_up_by_id = self.stranger
        self.assertFalse(self.line_ming.picked_up_by_id)
        self.line_ming.with_user(self.teacher).picked_up_by_id = self.grandpa
        self.assertTrue(
            self.line_ming.check_out, "the time is recorded with the handover"
        )
        with self.assertRaisesMessage(
            ValidationError, "Li Jun is not allowed to collect Xiao Hong"
        ):
            self.line_hong.picked_up_by_id = self.grandpa
        self.line_hong.action_absent()
        with self.assertRaisesMessage(
            ValidationError, "Xiao Hong is not marked present"
        ):
            self.line_hong.picked_up_by_id = self.mother

    def test_late_pickup_flagged_for_the_coordinator(self):
        self.session.action_mark_all_present()
        self.line_ming.write(
            {
                "picked_up_by_id": self.mother.id,
                "check_out": datetime(2026, 12, 1, 9, 40),
            }
        )
        self.line_hong.write(
            {
                "picked_up_by_id": self.mother.id,
                "check_out": datetime(2026, 12, 1, 10, 5),
            }
        )
        self.assertFalse(self.line_ming.late_pickup)
        self.assertTrue(self.line_hong.late_pickup)
        self.assertEqual(self.session.late_pickup_count, 1)
        # A past session whose child was never collected gets flagged by the cron.
        past = self.session_on(self.chess, date(2026, 12, 3))
        past.action_mark_all_present()
        past.attendance_ids.late_pickup = False
        with freeze_time(past.stop + timedelta(hours=2)):
            self.env["afterschool.session"]._cron_alert_not_collected()
        late = (
            self.env["afterschool.attendance"]
            .with_user(self.manager)
            .search([("late_pickup", "=", True)])
        )
        self.assertIn(self.line_hong, late)
        self.assertEqual(past.attendance_ids & late, past.attendance_ids)

    @freeze_time(
        "2026-12-01 09:00:00"
    )  # the session's day (17:00 at the school): teachers take attendance then
    def test_closing_needs_content_and_everyone_marked(self):
        session = self.session.with_user(self.teacher)
        with self.assertRaisesMessage(UserError, "Write what was done"):
            session.action_done()
        session.content = "Opening theory: the Italian game."
        self.line_ming.with_user(self.teacher).action_present()
        with self.assertRaisesMessage(UserError, "still unmarked: Xiao Hong"):
            session.action_done()
        self.assertEqual(session.state, "planned")
        session.action_mark_all_present()
        session.action_done()
        self.assertEqual(session.state, "done")
        self.assertEqual(
            session.calendar_event_id.start,
            session.start,
            "a closed session keeps its event",
        )

    def test_billed_attendance_changes_only_through_correction(self):
        self.session.action_mark_all_present()
        invoice_line = self.env["account.move.line"].sudo().search([], limit=1)
        self.line_ming._write_billing(
            {"invoice_line_id": invoice_line.id}
        )  # as the invoicing run does
        with self.assertRaisesMessage(UserError, "already billed"):
            self.line_ming.state = "absent"
        with self.assertRaisesMessage(UserError, "recorded by the invoicing run only"):
            self.line_ming.invoice_line_id = False
        with self.assertRaisesMessage(UserError, "Billed attendance cannot be deleted"):
            self.line_ming.unlink()
        self.line_ming.note = "Left with grandfather"
        self.line_ming.state = "present"  # no change, no refusal
        self.line_ming.with_user(self.manager).action_correct(
            "absent", "Went home before the session"
        )
        self.assertEqual(self.line_ming.state, "absent")

    @freeze_time("2026-12-01 09:00:00")
    def test_a_teacher_cannot_take_a_child_off_the_roster(self):
        """A teacher archived a roster line of their own session: the child left the roster and the
        not-collected alert without a trace (#23)."""
        session = self.session.with_user(self.teacher)
        for attempt in (
            lambda: call_kw(
                self.line_ming.with_user(self.teacher),
                "write",
                [self.line_ming.ids, {"active": False}],
                {},
            ),
            lambda: call_kw(
                session,
                "write",
                [
                    session.ids,
                    {
                        "attendance_ids": [
                            Command.update(self.line_ming.id, {"active": False})
                        ]
                    },
                ],
                {},
            ),
        ):
            with self.assertRaisesMessage(UserError, "archived with their term only"):
                attempt()
        self.assertTrue(self.line_ming.active)
        self.assertIn(self.line_ming, self.session.attendance_ids)


class TestLeaveAndAbsence(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ming = cls.create_student("Xiao Ming")
        cls.application = cls.enrol(cls.ming, cls.chess)
        cls.term.action_generate_sessions()

    def lines(self, *days):
        return self.env["afterschool.attendance"].search(
            [("student_id", "=", self.ming.id), ("date", "in", list(days))]
        )

    def test_leave_excuses_sessions_and_survives_roster_rebuilds(self):
        present = self.lines(date(2026, 12, 1))
        present.state = "present"
        leave = (
            self.env["afterschool.leave"]
            .with_user(self.head_teacher)
            .create(
                {
                    "student_id": self.ming.id,
                    "date_from": date(2026, 12, 1),
                    "date_to": date(2026, 12, 8),
                    "reason": "Flu",
                }
            )
        )
        covered = self.lines(date(2026, 12, 3), date(2026, 12, 8))
        self.assertEqual(covered.mapped("state"), ["excused", "excused"])
        self.assertEqual(covered.leave_id, leave)
        self.assertEqual(present.state, "present", "the child came that day")
        self.assertFalse(self.lines(date(2026, 12, 10)).state)
        # Rosters rebuilt from scratch (e.g. after a re-placement): the leave still excuses.
        self.chess.session_ids.attendance_ids.filtered(
            lambda line: line.state == "excused"
        ).unlink()
        self.chess.session_ids._sync_rosters()
        self.assertEqual(
            self.lines(date(2026, 12, 3), date(2026, 12, 8)).mapped("state"),
            ["excused", "excused"],
        )
        leave.action_cancel()
        self.assertEqual(
            self.lines(date(2026, 12, 3), date(2026, 12, 8)).mapped("state"),
            [False, False],
        )

    def test_head_teacher_records_leave_only_for_own_class(self):
        other_class = self.school_env["afterschool.class"].create(
            {"name": "Grade 4 Class 2", "grade": 4, "company_id": self.company.id}
        )
        other = self.create_student("Xiao Li")
        other.class_id = other_class
        with self.assertRaises(AccessError):
            self.env["afterschool.leave"].with_user(self.head_teacher).create(
                {
                    "student_id": other.id,
                    "date_from": date(2026, 12, 1),
                    "date_to": date(2026, 12, 1),
                    "reason": "x",
                }
            )

    def test_school_absence_shows_on_roster(self):
        self.env["afterschool.school.absence"].with_user(self.head_teacher).create(
            {"student_id": self.ming.id, "date": date(2026, 12, 3), "reason": "Fever"}
        )
        self.assertTrue(self.lines(date(2026, 12, 3)).absent_from_school)
        self.assertFalse(self.lines(date(2026, 12, 1)).absent_from_school)


class TestIncident(ServiceCase):
    def test_incident_creates_follow_up_activity_for_coordinator(self):
        student = self.create_student("Xiao Ming")
        self.enrol(student, self.chess)
        self.term.action_generate_sessions()
        session = self.session_on(self.chess, date(2026, 12, 1))
        incident = (
            self.env["afterschool.incident"]
            .with_user(self.teacher)
            .create(
                {
                    "session_id": session.id,
                    "student_id": student.id,
                    "description": "Fell in the corridor, scraped knee.",
                    "guardian_informed": True,
                }
            )
        )
        self.assertEqual(incident.responsible_id, self.manager)
        self.assertEqual(incident.activity_ids.user_id, self.manager)
        self.assertEqual(session.incident_count, 1)
        with self.assertRaisesMessage(UserError, "Only the coordinator"):
            incident.with_user(self.teacher).action_close()
        with self.assertRaisesMessage(UserError, "Record the action taken"):
            incident.with_user(self.manager).action_close()
        incident.action_taken = "Cleaned and bandaged; mother informed by phone."
        incident.with_user(self.manager).action_close()
        self.assertEqual(incident.state, "closed")
        self.assertFalse(incident.activity_ids)


class TestGuardianLeave(ServiceCase):
    def test_guardian_records_leave_for_own_child_only(self):
        ming = self.create_student("Xiao Ming")
        other = self.create_student("Xiao Li", guardians=self.grandpa)
        self.enrol(ming, self.chess)
        self.term.action_generate_sessions()
        portal = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Wang Fang",
                    "login": "wang_fang",
                    "partner_id": self.mother.id,
                    "company_id": self.company.id,
                    "company_ids": [(6, 0, self.company.ids)],
                    "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
                }
            )
        )
        Leave = self.env["afterschool.leave"].with_user(portal)
        # guardians have no rights on leaves: they ask through the portal's checked method
        with self.assertRaises(AccessError):
            Leave.create(
                {
                    "student_id": ming.id,
                    "date_from": date(2026, 12, 10),
                    "reason": "Dentist",
                }
            )
        leave = Leave._request_as_guardian(
            ming, date(2026, 12, 10), date(2026, 12, 10), "Dentist"
        )
        self.assertEqual(
            self.session_on(self.chess, date(2026, 12, 10)).attendance_ids.state,
            "excused",
        )
        self.assertEqual(Leave.search([]), leave)
        self.assertEqual(
            self.env["afterschool.attendance"].with_user(portal).search_count([]),
            len(self.chess.session_ids.attendance_ids),
        )
        with self.assertRaises(AccessError):
            Leave._request_as_guardian(
                other, date(2026, 12, 10), date(2026, 12, 10), "Not my child"
            )
