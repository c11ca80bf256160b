"""The parents' portal for every day: the pickup code, attendance as a calendar, cancelling a leave,
and an application form that says what each group is and whether it has room."""

from datetime import timedelta

from odoo.tools import mute_logger

from .common import school_today
from .portal_common import PortalCase


class TestPortalDaily(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()

    def test_pickup_code_and_attendance_calendar(self):
        today = school_today()
        self.attended_today(today)
        self.login(self.parent_a)
        page = self.url_open("/my/afterschool").text
        code = self.parent_a.partner_id.sudo().afterschool_pickup_code
        self.assertRegex(code, r"^\d{6}$")
        self.assertIn(code, page)
        # the QR image is drawn by the server for its holder: no code in its address (test_public_codes)
        self.assertIn(
            f"/my/afterschool/pickup-code/{self.parent_a.partner_id.id}/qr", page
        )
        self.assertNotIn(f"/report/barcode/QR/{code}", page)
        page = self.url_open(f"/my/afterschool/student/{self.student.id}").text
        self.assertIn(f'data-bs-target="#o_afterschool_day_{today.isoformat()}"', page)
        self.assertIn("o_tone_present", page)
        self.assertIn("Picked up by Parent of Li Ming", page)

    @mute_logger("odoo.http")
    def test_cancel_a_leave_before_its_first_day(self):
        self.enrol(self.create_application())
        Leave = self.env["afterschool.leave"]
        tomorrow = school_today() + timedelta(days=1)
        later = Leave.create(
            {
                "student_id": self.student.id,
                "date_from": tomorrow,
                "date_to": tomorrow,
                "reason": "Dentist",
            }
        )
        started = Leave.create(
            {
                "student_id": self.student.id,
                "date_from": school_today(),
                "date_to": tomorrow,
                "reason": "Fever",
            }
        )
        self.login(self.parent_b)
        self.assertEqual(
            self.post(f"/my/afterschool/leave/{later.id}/cancel").status_code, 403
        )
        self.assertEqual(later.state, "confirmed")
        self.login(self.parent_a)
        page = self.url_open(f"/my/afterschool/student/{self.student.id}").text
        self.assertIn(f"/my/afterschool/leave/{later.id}/cancel", page)
        self.assertNotIn(f"/my/afterschool/leave/{started.id}/cancel", page)
        response = self.post(f"/my/afterschool/leave/{started.id}/cancel")
        self.assertIn("until the day before it starts", response.text)
        self.assertEqual(started.state, "confirmed")
        response = self.post(f"/my/afterschool/leave/{later.id}/cancel")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(later.state, "cancelled")

    def test_apply_form_says_what_each_group_is_and_if_it_is_full(self):
        self.enrol(self.create_application(self.other_student, groups=self.reading))
        filler = self.create_student("Zhang San", self.class_3a)
        self.enrol(self.create_application(filler, groups=self.reading))
        self.login(self.parent_a)
        form = self.url_open(f"/my/afterschool/student/{self.student.id}/apply").text
        self.assertIn(
            "Full: your child joins the waiting list",
            form,
            "the reading room (2 places) is full",
        )
        self.assertIn("10 place(s) free", form, "the chess club is empty")
        self.assertIn(f"Teacher: {self.teacher.name}", form)

    def test_withdraw_stands_apart_and_asks_first(self):
        self.enrol(self.create_application())
        self.login(self.parent_a)
        page = self.url_open("/my/afterschool").text
        self.assertIn("Withdraw from the service…", page)
        self.assertIn("Are you sure?", page)
