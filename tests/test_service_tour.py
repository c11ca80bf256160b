from odoo import fields
from odoo.tests import HttpCase, tagged

from .service_common import ServiceCase


@tagged("post_install", "-at_install", "afterschool")
class TestAttendanceTour(HttpCase, ServiceCase):
    """A teacher takes attendance and records a pickup on a phone (Chromium emulating a 375×667 touch screen)."""

    browser_size = "375x667"
    touch_enabled = True

    def test_teacher_takes_attendance_and_pickup_on_a_phone(self):
        today = fields.Date.context_today(self.teacher)
        term = self.create_everyday_term("Tour Term", today)
        group = self.create_group(
            "Tour Chess Club",
            self.teacher_3,
            self.room_b,
            term=term,
            days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        )
        ming = self.create_student(
            "Xiao Ming", guardians=self.mother, pickups=self.grandpa
        )
        hong = self.create_student("Xiao Hong")
        self.enrol(ming, group, date_enrolled=term.date_start)
        self.enrol(hong, group, date_enrolled=term.date_start)
        term.action_generate_sessions()
        session = self.session_on(group, today)
        self.assertEqual(len(session.attendance_ids), 2)

        self.start_tour(
            "/odoo", "afterschool_attendance_tour", login=self.teacher_3.login
        )

        lines = {line.student_id: line for line in session.attendance_ids}
        self.assertEqual(lines[ming].state, "present")
        self.assertEqual(lines[ming].picked_up_by_id, self.grandpa)
        self.assertTrue(lines[ming].check_out)
        self.assertEqual(lines[hong].state, "absent")
        self.assertFalse(lines[hong].picked_up_by_id)
