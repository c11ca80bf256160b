"""Every screen of the app opens for the roles that see it, and the forms work for a coordinator."""

from datetime import date

from odoo import Command
from odoo.tests import Form, new_test_user

from .common import AfterschoolCase, open_app


class TestViews(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "as_accountant",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.term = cls.create_term()
        cls.venue = cls.school_env["afterschool.venue"].create(
            {"name": "Music Room", "capacity": 40}
        )
        cls.group = cls.school_env["afterschool.activity.group"].create(
            {
                "name": "Choir",
                "term_id": cls.term.id,
                "teacher_id": cls.teacher.id,
                "venue_id": cls.venue.id,
                "capacity": 30,
            }
        )
        cls.school_class = cls.school_env["afterschool.class"].create(
            {
                "name": "Grade 2 Class 1",
                "grade": 2,
                "head_teacher_id": cls.head_teacher.id,
            }
        )
        cls.guardian = cls.school_env["res.partner"].create(
            {"name": "Wang Fang", "company_id": cls.company.id}
        )
        cls.student = cls.school_env["res.partner"].create(
            {
                "name": "Li Ming",
                "is_student": True,
                "class_id": cls.school_class.id,
                "guardian_ids": [Command.set(cls.guardian.ids)],
                "fee_waiver_percent": 50,
            }
        )
        # Placed in the choir: its teacher sees the student (teachers see the students of their groups).
        cls.school_env["afterschool.application"].create(
            {
                "student_id": cls.student.id,
                "guardian_id": cls.guardian.id,
                "term_id": cls.term.id,
                "requested_group_ids": [Command.set(cls.group.ids)],
                "group_ids": [Command.set(cls.group.ids)],
                "state": "enrolled",
                "date_enrolled": date(2026, 9, 1),
            }
        )

    def test_coordinator_opens_everything(self):
        opened = open_app(self, self.manager)
        for model in (
            "afterschool.term",
            "afterschool.class",
            "afterschool.venue",
            "afterschool.activity.group",
            "res.partner",
        ):
            self.assertIn(model, opened)

    def test_teachers_open_their_screens(self):
        for user in (self.head_teacher, self.teacher):
            opened = open_app(self, user)
            self.assertIn("afterschool.activity.group", opened)
            self.assertIn("afterschool.class", opened)
            self.assertNotIn(
                "afterschool.term", opened, "configuration is for coordinators"
            )

    def test_accountant_opens_the_groups(self):
        self.assertIn("afterschool.activity.group", open_app(self, self.accountant))

    def test_settings(self):
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.company
        result = (
            self.env["res.config.settings"]
            .with_user(admin)
            .get_views([(False, "form")])
        )
        self.assertIn('name="afterschool_period_rate"', result["views"]["form"]["arch"])

    def test_term_form(self):
        with Form(self.env["afterschool.term"].with_user(self.manager)) as form:
            form.name = "Spring 2027"
            form.date_start = date(2027, 2, 23)
            form.date_end = date(2027, 6, 30)
            self.assertEqual(form.period_rate, 3.5)
            with form.window_ids.new() as window:
                window.name = "Spring"
                window.date_from = date(2027, 2, 23)
                window.date_to = date(2027, 4, 30)
                window.hour_from = 16 + 20 / 60
                window.hour_to = 17 + 50 / 60
            with form.closure_ids.new() as closure:
                closure.name = "Labour Day"
                closure.date_from = date(2027, 5, 1)
                closure.date_to = date(2027, 5, 5)
            with form.makeup_ids.new() as makeup:
                makeup.date = date(2027, 5, 8)
                makeup.weekday = "1"
        term = form.record
        self.assertEqual(term.company_id, self.company)
        self.assertEqual(
            term.window_warning,
            "33 service day(s) have no time window, the first on 2027-05-06.",
        )
        term.window_ids.date_to = date(2027, 6, 30)
        self.assertFalse(term.window_warning)
        term.action_open()
        with Form(term) as form:
            self.assertEqual(form.state, "open")
            form.periods_per_day = 3
        self.assertEqual(term.periods_per_day, 3)

    def test_group_form(self):
        Group = (
            self.env["afterschool.activity.group"]
            .with_user(self.manager)
            .with_context(default_term_id=self.term.id)
        )
        with Form(Group) as form:
            form.name = "Calligraphy"
            form.kind = "club"
            form.teacher_id = self.teacher
            form.venue_id = self.venue
            form.capacity = 25
            form.grade_min = 3
            self.assertTrue(form.tue and form.fri and not form.mon)
            form.wed = False
            form.fri = False
        group = form.record
        self.assertEqual(
            [group.tue, group.wed, group.thu, group.fri], [True, False, True, False]
        )
        self.assertEqual(group.fill_rate, 0)
        self.assertEqual(group.company_id, self.company)

    def test_class_form_with_students(self):
        with Form(self.env["afterschool.class"].with_user(self.manager)) as form:
            form.name = "Grade 4 Class 2"
            form.grade = 4
            form.head_teacher_id = self.head_teacher
            with form.student_ids.new() as student:
                student.name = "Zhao Yu"
        school_class = form.record
        self.assertEqual(school_class.student_count, 1)
        self.assertTrue(school_class.student_ids.is_student)
        self.assertEqual(school_class.student_ids.company_id, self.company)

    def test_student_form_as_coordinator(self):
        Partner = (
            self.env["res.partner"]
            .with_user(self.manager)
            .with_context(default_is_student=True)
        )
        with Form(Partner) as form:
            form.name = "Sun Li"
            form.class_id = self.school_class
            form.guardian_ids.add(self.guardian)
            form.left_behind = True
            form.financial_hardship = True
            form.fee_waiver_percent = 100
        student = form.record
        self.assertEqual(student.invoice_guardian_id, self.guardian)
        self.assertEqual(student.grade, 2)
        self.assertEqual(self.guardian.ward_ids, self.student | student)

    def test_student_form_of_the_students_menu(self):
        Partner = (
            self.env["res.partner"]
            .with_user(self.manager)
            .with_context(default_is_student=True)
        )
        with Form(
            Partner, view="afterschool_service.res_partner_student_view_form"
        ) as form:
            form.name = "Zhou Yi"
            form.class_id = self.school_class
            form.guardian_ids.add(
                self.env["res.partner"].create(
                    {"name": "Zhou Jun", "mobile": "138 0000 0001"}
                )
            )
            form.guardian_ids.add(self.guardian)
            form.fee_waiver_percent = 50
        student = form.record
        self.assertTrue(student.is_student)
        self.assertEqual(student.company_id, self.company)
        self.assertEqual(
            set(student.guardian_ids.mapped("name")), {"Zhou Jun", "Wang Fang"}
        )
        self.assertFalse(student.guardian_ids.filtered("is_student"))
        self.assertIn(student.invoice_guardian_id, student.guardian_ids)
        with Form(
            self.student.with_user(self.teacher),
            view="afterschool_service.res_partner_student_view_form",
        ) as form:
            self.assertNotIn("fee_waiver_percent", form._view["fields"])

    def test_student_form_as_teacher_hides_private_fields(self):
        with Form(self.student.with_user(self.teacher)) as form:
            self.assertNotIn("fee_waiver_percent", form._view["fields"])
            self.assertNotIn("left_behind", form._view["fields"])
            self.assertEqual(form.class_id, self.school_class)
