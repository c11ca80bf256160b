"""The demo school 阳光小学 loads as the programme describes it (only with Odoo's demo data)."""

from collections import Counter
from datetime import date

from odoo.tools import format_duration

from .common import DemoCase, open_app

CLUBS = (
    "ball_games",
    "dance",
    "music",
    "calligraphy",
    "chinese_painting",
    "art",
    "clay",
    "thinking_games",
    "chess",
    "mental_health",
    "poetry",
    "hosting",
    "english",
)
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class TestDemoSchool(DemoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.env.ref("afterschool_service.afterschool_term_demo")
        cls.students = cls.env["res.partner"].search(
            [("is_student", "=", True), ("company_id", "=", cls.school.id)]
        )

    def test_school(self):
        self.assertEqual(self.school.name, "阳光小学")
        self.assertEqual(self.school.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(self.school.resource_calendar_id.tz, "Asia/Shanghai")
        self.assertEqual(self.school.chart_template, "generic_coa")
        self.assertTrue(
            self.env["account.journal"].search(
                [("company_id", "=", self.school.id), ("type", "=", "sale")]
            )
        )
        admin = self.env.ref("base.user_admin")
        self.assertEqual(admin.company_id, self.school)
        self.assertIn(self.env.ref("base.main_company"), admin.company_ids)
        # Odoo's own suites (calendar's tours) run as the administrator: the demo leaves their
        # language and timezone as the database had them (#25)
        self.assertNotEqual(admin.lang, "zh_CN")

    def test_users(self):
        expected = {
            "coordinator": "afterschool_service.group_afterschool_manager",
            "head1": "afterschool_service.group_afterschool_head_teacher",
            "head2": "afterschool_service.group_afterschool_head_teacher",
            "teacher1": "afterschool_service.group_afterschool_teacher",
            "teacher2": "afterschool_service.group_afterschool_teacher",
            "accountant": "account.group_account_invoice",
            "parent1": "base.group_portal",
            "parent2": "base.group_portal",
        }
        for login, group in expected.items():
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertEqual(user.company_id, self.school, login)
            self.assertTrue(user.has_group(group), login)
        self.assertFalse(
            self.env.ref("afterschool_service.user_teacher1_demo").has_group(
                "afterschool_service.group_afterschool_head_teacher"
            )
        )
        self.assertFalse(
            self.env.ref("afterschool_service.user_accountant_demo").has_group(
                "afterschool_service.group_afterschool_teacher"
            )
        )

    def test_login_is_password(self):
        user = self.env.ref("afterschool_service.user_coordinator_demo")
        user.with_user(user)._check_credentials(
            {"type": "password", "password": "coordinator"}, {"interactive": False}
        )

    def test_parents_have_children_at_school(self):
        parent1 = self.env.ref("afterschool_service.user_parent1_demo").partner_id
        parent2 = self.env.ref("afterschool_service.user_parent2_demo").partner_id
        self.assertEqual(
            parent1.ward_ids,
            self.env.ref("afterschool_service.res_partner_student_zhang_zihan_demo"),
        )
        self.assertEqual(parent1.ward_ids.invoice_guardian_id, parent1)
        self.assertEqual(parent1.ward_ids.class_id.head_teacher_id.login, "head1")
        self.assertEqual(len(parent2.ward_ids), 2)
        self.assertEqual(set(parent2.ward_ids.mapped("fee_waiver_percent")), {50.0})
        self.assertEqual(parent2.ward_ids.invoice_guardian_id, parent2)

    def test_classes(self):
        classes = self.env["afterschool.class"].search(
            [("company_id", "=", self.school.id)]
        )
        self.assertEqual(len(classes), 12)
        self.assertEqual(
            Counter(classes.mapped("grade")), {grade: 2 for grade in range(1, 7)}
        )
        self.assertEqual(len(classes.head_teacher_id), 12)
        self.assertEqual(set(classes.mapped("student_count")), {25})

    def test_students_and_families(self):
        self.assertEqual(len(self.students), 300)
        self.assertEqual(
            len(set(self.students.mapped("name"))), 300, "names are distinct"
        )
        for student in self.students:
            self.assertTrue(student.guardian_ids, student.name)
            self.assertIn(
                student.invoice_guardian_id, student.guardian_ids, student.name
            )
        self.assertEqual(self.students.guardian_ids.company_id, self.school)
        left_behind = self.students.filtered("left_behind")
        hardship = self.students.filtered("financial_hardship")
        self.assertTrue(10 <= len(left_behind) <= 40, len(left_behind))
        self.assertTrue(8 <= len(hardship) <= 30, len(hardship))
        self.assertEqual(set(hardship.mapped("fee_waiver_percent")), {50.0, 100.0})
        self.assertFalse((self.students - hardship).filtered("fee_waiver_percent"))
        self.assertTrue(self.students.filtered("authorized_pickup_ids"))
        self.assertTrue(
            [g for g in self.students.guardian_ids if len(g.ward_ids) > 1],
            "some siblings",
        )

    def test_generated_students_are_referenced(self):
        student = self.env.ref("afterschool_service.res_partner_student_3_2_07_demo")
        self.assertEqual(
            student.class_id,
            self.env.ref("afterschool_service.afterschool_class_3_2_demo"),
        )

    def test_term(self):
        term = self.term
        self.assertEqual(term.state, "open")
        self.assertEqual(
            (term.date_start, term.date_end),
            (self.demo_day(date(2026, 9, 1)), self.demo_day(date(2027, 1, 22))),
        )
        self.assertEqual(
            [day for day in DAYS if term[day]], ["tue", "wed", "thu", "fri"]
        )
        self.assertEqual(term.period_rate, 3.5)
        self.assertEqual(term.currency_id.name, "CNY")
        self.assertEqual(
            [
                (
                    w.date_from,
                    w.date_to,
                    format_duration(w.hour_from),
                    format_duration(w.hour_to),
                )
                for w in term.window_ids
            ],
            [
                (
                    self.demo_day(date(2026, 9, 1)),
                    self.demo_day(date(2026, 10, 31)),
                    "16:30",
                    "18:00",
                ),
                (
                    self.demo_day(date(2026, 11, 1)),
                    self.demo_day(date(2027, 1, 22)),
                    "16:20",
                    "17:50",
                ),
            ],
        )
        self.assertEqual(
            term.closure_ids.mapped("date_from"), [self.demo_day(date(2026, 10, 1))]
        )
        self.assertFalse(term.window_warning)

    def test_service_dates(self):
        dates = self.term.get_service_dates()
        # Installed on a day without service, the demo makes that day a make-up day (its "today").
        demo_days = self.term.makeup_ids.filtered(
            lambda makeup: (
                makeup.date
                not in (
                    self.demo_day(date(2026, 9, 20)),
                    self.demo_day(date(2026, 10, 10)),
                )
            )
        )
        self.assertEqual(len(dates), 79 + len(demo_days))
        self.assertIn(
            self.demo_day("2026-10-10"), dates, "make-up Saturday following Tuesday"
        )
        self.assertNotIn(
            self.demo_day("2026-09-20"),
            dates,
            "make-up Sunday following Monday, a day without service",
        )
        for closed in ("2026-10-01", "2026-10-07", "2026-09-25", "2027-01-01"):
            self.assertNotIn(self.demo_day(closed), dates)

    def test_groups(self):
        groups = self.term.group_ids
        self.assertEqual(
            Counter(groups.mapped("kind")), {"reading": 2, "club": 13, "homework": 6}
        )
        for club in CLUBS:
            self.assertEqual(
                self.env.ref(
                    "afterschool_service.afterschool_activity_group_club_%s_demo" % club
                ).kind,
                "club",
            )
        homework = groups.filtered(lambda g: g.kind == "homework")
        self.assertEqual(sorted(homework.mapped("grade_min")), [1, 2, 3, 4, 5, 6])
        for group in groups:
            self.assertTrue(group.teacher_id and group.venue_id, group.name)
            self.assertLessEqual(group.capacity, group.venue_id.capacity, group.name)
        for day in DAYS:
            meeting = groups.filtered(day)
            self.assertEqual(
                len(meeting.teacher_id),
                len(meeting),
                "a teacher in two groups on %s" % day,
            )
            self.assertEqual(
                len(meeting.venue_id), len(meeting), "a venue used twice on %s" % day
            )

    def test_screens_open_for_demo_users(self):
        for login in ("coordinator", "head1", "teacher1", "accountant"):
            user = self.env["res.users"].search([("login", "=", login)])
            self.assertIn("afterschool.activity.group", open_app(self, user), login)

    def test_chinese_names(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "afterschool_service")]
        )._update_translations("zh_CN")
        chess = self.env.ref(
            "afterschool_service.afterschool_activity_group_club_chess_demo"
        ).with_context(lang="zh_CN")
        self.assertEqual(chess.name, "棋类社团")
        self.assertEqual(self.term.with_context(lang="zh_CN").name, "2026年秋季学期")
        self.assertEqual(chess.venue_id.with_context(lang="zh_CN").name, "科学教室")
