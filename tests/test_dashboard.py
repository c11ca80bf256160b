from odoo.exceptions import AccessError

from .rollcall_common import RollCallCase


class TestDashboard(RollCallCase):
    """The coordinator's day: figures counted for the school, each with the records behind it."""

    def figures(self, data):
        return {figure["label"]: figure for figure in data["today"]}

    def test_coordinator_sees_today_and_the_term(self):
        session = self.rollcall_session.with_user(self.teacher_3)
        session.rollcall_mark_all_present()
        session.rollcall_mark(self.lines[self.hong].id, "absent")
        data = (
            self.env["afterschool.dashboard"]
            .with_user(self.manager)
            .get_dashboard_data()
        )
        today = self.figures(data)
        self.assertEqual(today["Taking attendance"]["value"], 1)
        absent = today["Absent without leave"]
        self.assertEqual(absent["value"], 1)
        records = (
            self.env[absent["model"]].with_user(self.manager).search(absent["domain"])
        )
        self.assertEqual(
            records, self.lines[self.hong], "the figure opens the records behind it"
        )
        groups = {group["name"]: group for group in data["term"]["groups"]}
        self.assertEqual(groups["Reading Room"]["placed"], 3)
        self.assertEqual(groups["Reading Room"]["rate"], 10)
        self.assertIn("priority_waiting", data["term"])

    def test_today_as_the_school_writes_it(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        dashboard = self.env["afterschool.dashboard"].with_user(self.manager)
        self.assertRegex(
            dashboard.with_context(lang="zh_CN").get_dashboard_data()["date"],
            r"^\d{1,2}月\d{1,2}日 周[一二三四五六日]$",
        )
        self.assertRegex(
            dashboard.with_context(lang="en_US").get_dashboard_data()["date"],
            r"^[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{1,2}$",
        )

    def test_dashboard_is_the_coordinators(self):
        for user in (self.teacher_3, self.head_teacher):
            with self.assertRaises(AccessError):
                self.env["afterschool.dashboard"].with_user(user).get_dashboard_data()
