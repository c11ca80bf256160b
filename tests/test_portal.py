"""The parents' portal through HTTP: two guardians, each with their own child, as real portal users."""

import io
from datetime import datetime, time, timedelta

import openpyxl

from odoo import fields
from odoo.tools import mute_logger

from .portal_common import PortalCase

SIGNATURE = "R0lGODlhAQABAIAAAP///////yH5BAEKAAEALAAAAAABAAEAAAICTAEAOw=="  # a 1×1 GIF


class TestPortal(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_application = cls.create_application(cls.other_student)
        cls.other_application.action_submit()

    def get_refused(self, url):
        return self.url_open(url, allow_redirects=False).status_code

    # ------------------------------------------------------------------ who sees whom
    def test_each_guardian_sees_only_their_own_child(self):
        self.login(self.parent_a)
        page = self.url_open("/my/afterschool")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Li Ming", page.text)
        self.assertNotIn("Wang Fang", page.text)
        self.login(self.parent_b)
        page = self.url_open("/my/afterschool")
        self.assertIn("Wang Fang", page.text)
        self.assertNotIn("Li Ming", page.text)
        self.assertIn(
            "Waiting for the head teacher",
            page.text,
            "the family follows the application",
        )

    def test_home_card_counts_the_children(self):
        self.login(self.parent_a)
        self.assertIn('href="/my/afterschool"', self.url_open("/my/home").text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["afterschool_count"]}
        )
        self.assertEqual(counters["afterschool_count"], 1)

    @mute_logger("odoo.http")
    def test_another_childs_urls_are_refused(self):
        self.login(self.parent_a)
        other = self.other_student.id
        for url in (
            f"/my/afterschool/student/{other}",
            f"/my/afterschool/student/{other}/apply",
            f"/my/afterschool/student/{other}/records",
        ):
            self.assertEqual(self.get_refused(url), 403, url)
        self.assertEqual(
            self.post(
                f"/my/afterschool/student/{other}/leave",
                date_from=str(fields.Date.today()),
                reason="Not mine",
            ).status_code,
            403,
        )
        self.assertEqual(
            self.post(
                f"/my/afterschool/application/{self.other_application.id}/withdraw",
                reason="Not mine",
            ).status_code,
            403,
        )
        self.assertEqual(self.get_refused("/my/afterschool/student/999999999"), 404)
        self.assertEqual(
            self.get_refused(f"/my/afterschool/student/{self.parent_b.partner_id.id}"),
            403,
            "nor another family's guardian",
        )
        self.assertFalse(
            self.env["afterschool.leave"].search([("student_id", "=", other)])
        )
        self.assertEqual(self.other_application.state, "submitted")

    @mute_logger("odoo.http")
    def test_staff_who_see_the_child_are_not_guardians(self):
        self.authenticate(self.head_teacher.login, self.head_teacher.login)
        self.assertEqual(
            self.get_refused(f"/my/afterschool/student/{self.student.id}"), 403
        )

    # ------------------------------------------------------------------ what a guardian does
    def test_apply_for_the_next_term(self):
        self.login(self.parent_a)
        self.assertIn(
            "Apply for Enrolment Test Term", self.url_open("/my/afterschool").text
        )
        form = self.url_open(f"/my/afterschool/student/{self.student.id}/apply").text
        self.assertIn("Reading Room", form)
        self.assertIn("Chess Club", form)
        self.assertNotIn(
            "Other Term Room", form, "only the groups of the term to apply for"
        )
        # Nothing chosen, or only a group of another term: refused, nothing created.
        for chosen in ([], [self.other_term_group.id]):
            response = self.post(
                f"/my/afterschool/student/{self.student.id}/apply", group_ids=chosen
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("Choose at least one group for Li Ming", response.text)
        self.assertFalse(
            self.env["afterschool.application"].search(
                [("student_id", "=", self.student.id)]
            )
        )
        response = self.post(
            f"/my/afterschool/student/{self.student.id}/apply",
            group_ids=[self.chess.id],
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("/my/afterschool?message=applied", response.headers["Location"])
        application = self.env["afterschool.application"].search(
            [("student_id", "=", self.student.id)]
        )
        self.assertEqual(application.state, "submitted")
        self.assertEqual(application.guardian_id, self.parent_a.partner_id)
        self.assertEqual(application.requested_group_ids, self.chess)
        self.assertTrue(
            application.activity_ids, "the head teacher has the review to do"
        )
        self.assertNotIn(
            "Apply for",
            self.url_open("/my/afterschool").text,
            "one application per term",
        )

    def test_apply_only_groups_open_to_the_grade(self):
        young = self.create_student(
            "Xiao Bao", self.class_1a, guardian=self.parent_a.partner_id
        )
        self.login(self.parent_a)
        self.assertNotIn(
            "Chess Club",
            self.url_open(f"/my/afterschool/student/{young.id}/apply").text,
        )
        response = self.post(
            f"/my/afterschool/student/{young.id}/apply", group_ids=[self.chess.id]
        )
        self.assertIn("admits grades 3 to 6", response.text)
        self.assertFalse(
            self.env["afterschool.application"].search([("student_id", "=", young.id)])
        )

    def test_sign_the_agreement_when_logged_in(self):
        application = self.approve(self.create_application())
        application._allocate()
        application.action_publish()
        agreement = application.agreement_id
        self.login(self.parent_b)
        refused = self.make_jsonrpc_request(
            f"/my/afterschool/agreement/{agreement.id}/sign",
            {"name": "Intruder", "signature": SIGNATURE},
        )
        self.assertEqual(refused["error"], "Invalid agreement.")
        self.login(self.parent_a)
        self.assertIn(
            "Read and sign the agreement", self.url_open("/my/afterschool").text
        )
        page = self.url_open(f"/my/afterschool/agreement/{agreement.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(
            "After-School Service", page.text, "a way back to the children's page"
        )
        result = self.make_jsonrpc_request(
            f"/my/afterschool/agreement/{agreement.id}/sign",
            {"name": "Parent of Li Ming", "signature": SIGNATURE},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(agreement.state, "signed")
        self.assertEqual(application.state, "enrolled")

    def test_withdraw_with_a_reason(self):
        application = self.create_application()
        application.action_submit()
        self.login(self.parent_a)
        url = f"/my/afterschool/application/{application.id}/withdraw"
        response = self.post(url, reason="  ")
        self.assertIn("Give a reason", response.text)
        self.assertEqual(application.state, "submitted")
        response = self.post(url, reason="We moved to another district.")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(application.state, "withdrawn")
        self.assertEqual(application.reason, "We moved to another district.")

    def test_ask_for_leave(self):
        application = self.enrol(self.create_application())
        day = self.term_start + timedelta(
            days=(1 - self.term_start.weekday()) % 7
        )  # a Tuesday: reading room
        session = self.env["afterschool.session"].create(
            {
                "group_id": self.reading.id,
                "date": day,
                "start": datetime.combine(day, time(8, 30)),
                "stop": datetime.combine(day, time(10, 0)),
            }
        )
        session._sync_rosters()
        self.assertEqual(session.attendance_ids.student_id, self.student)
        self.login(self.parent_a)
        url = f"/my/afterschool/student/{self.student.id}/leave"
        yesterday = fields.Date.today() - timedelta(days=1)
        response = self.post(url, date_from=str(yesterday), reason="Sick")
        self.assertIn("For a day already past", response.text)
        response = self.post(
            url,
            date_from=str(day),
            date_to=str(day + timedelta(days=1)),
            reason="Visiting grandparents",
        )
        self.assertEqual(response.status_code, 303)
        leave = self.env["afterschool.leave"].search(
            [("student_id", "=", self.student.id)]
        )
        self.assertEqual(len(leave), 1)
        self.assertEqual(
            (leave.date_from, leave.date_to, leave.requested_by_id),
            (day, day + timedelta(days=1), self.parent_a),
        )
        self.assertEqual(session.attendance_ids.state, "excused")
        self.assertIn(
            "Visiting grandparents",
            self.url_open(f"/my/afterschool/student/{self.student.id}").text,
        )
        self.assertEqual(application.state, "enrolled")

    # ------------------------------------------------------------------ what a guardian reads
    def test_attendance_and_pickups(self):
        today = fields.Date.today()
        self.attended_today(today)
        self.login(self.parent_a)
        page = self.url_open(f"/my/afterschool/student/{self.student.id}").text
        self.assertIn("Reading Room", page)
        self.assertIn("Picked up by Parent of Li Ming", page)
        self.assertIn("17:55", page, "the time of the handover, at the school")

    def test_download_the_childs_records(self):
        self.enrol(self.create_application())
        self.env["afterschool.leave"].create(
            {
                "student_id": self.student.id,
                "date_from": self.term_start,
                "date_to": self.term_start,
                "reason": "Dentist",
            }
        )
        self.login(self.parent_a)
        response = self.url_open(f"/my/afterschool/student/{self.student.id}/records")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response.headers["Content-Type"])
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        self.assertEqual(
            workbook.sheetnames, ["Student", "Applications", "Attendance", "Leaves"]
        )
        self.assertEqual(workbook["Student"]["B2"].value, "Li Ming")
        applications = list(workbook["Applications"].values)
        self.assertEqual(applications[1][:2], ("Enrolment Test Term", "Enrolled"))
        self.assertEqual(list(workbook["Leaves"].values)[1][2], "Dentist")
        text = " ".join(
            str(cell) for sheet in workbook for row in sheet.values for cell in row
        )
        self.assertNotIn("Wang Fang", text)
