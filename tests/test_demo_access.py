"""Each demo login can do its job on the demo school, and no more (see the README's demo logins)."""

from datetime import datetime, time

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import DemoCase


@tagged("post_install", "-at_install", "afterschool", "afterschool_demo")
class TestDemoLogins(DemoCase, HttpCase):
    def demo_user(self, login):
        return self.env["res.users"].search([("login", "=", login)])

    def test_teacher_takes_attendance_of_own_sessions(self):
        teacher = self.demo_user("teacher1")
        Session = self.env["afterschool.session"].with_user(teacher)
        sessions = Session.search([("state", "!=", "cancelled")])
        self.assertTrue(sessions)
        self.assertTrue(
            all(
                teacher in session.teacher_id | session.duty_teacher_id
                for session in sessions
            )
        )
        self.assertLess(len(sessions), self.env["afterschool.session"].search_count([]))
        last = sessions.filtered(
            lambda s: s.attendance_ids and s.state == "done"
        ).sorted("date")[-1:]
        self.assertTrue(last, "the demo took the attendance of the past weeks")
        with freeze_time(datetime.combine(last.date, time(9, 0))):
            last.attendance_ids[:1].with_user(teacher).action_absent()
        students = (
            self.env["res.partner"]
            .with_user(teacher)
            .search([("is_student", "=", True)])
        )
        self.assertEqual(
            students, sessions.with_user(teacher).attendance_ids.student_id | students
        )
        self.assertTrue(all(students.mapped("is_my_student")))
        self.assertLess(
            len(students),
            self.env["res.partner"].search_count([("is_student", "=", True)]),
        )

    def test_head_teacher_reviews_own_class(self):
        head = self.demo_user("head1")
        applications = self.env["afterschool.application"].with_user(head).search([])
        self.assertTrue(applications)
        self.assertEqual(
            applications.class_id,
            self.env.ref("afterschool_service.afterschool_class_1_1_demo"),
        )
        submitted = applications.filtered(lambda a: a.state == "submitted")[:1]
        if submitted:
            submitted.action_class_approve()
            self.assertEqual(submitted.state, "class_approved")

    def test_coordinator_and_accountant(self):
        coordinator, accountant = (
            self.demo_user("coordinator"),
            self.demo_user("accountant"),
        )
        school = self.env.ref("afterschool_service.res_company_demo")
        self.assertEqual(
            self.env["afterschool.application"].with_user(coordinator).search_count([]),
            self.env["afterschool.application"].search_count(
                [("company_id", "=", school.id)]
            ),
        )
        student = self.env.ref(
            "afterschool_service.res_partner_student_wang_zixuan_demo"
        )
        self.assertEqual(student.with_user(accountant).fee_waiver_percent, 50)
        with self.assertRaises(AccessError):
            student.with_user(accountant).read(["financial_hardship"])
        self.assertTrue(student.with_user(coordinator).financial_hardship)
        self.assertTrue(
            self.env["afterschool.attendance"].with_user(accountant).search_count([])
        )

    @mute_logger("odoo.http")
    def test_parents(self):
        zihan = self.env.ref("afterschool_service.res_partner_student_zhang_zihan_demo")
        zixuan = self.env.ref(
            "afterschool_service.res_partner_student_wang_zixuan_demo"
        )
        self.authenticate("parent1", "parent1")
        page = self.url_open("/my/afterschool").text
        self.assertIn("张子涵", page)
        self.assertIn("阅读并签署委托协议", page, "the demo parents read Chinese")
        self.assertNotIn("王梓萱", page)
        self.assertEqual(
            self.url_open(
                f"/zh_CN/my/afterschool/student/{zixuan.id}", allow_redirects=False
            ).status_code,
            403,
        )
        self.authenticate("parent2", "parent2")
        page = self.url_open("/my/afterschool").text
        self.assertIn("王梓萱", page)
        self.assertIn("报名", page, "王浩然 has not applied yet")
        self.assertIn(
            "接走人", self.url_open(f"/my/afterschool/student/{zixuan.id}").text
        )
        self.assertEqual(
            self.url_open(
                f"/zh_CN/my/afterschool/student/{zihan.id}", allow_redirects=False
            ).status_code,
            403,
        )
