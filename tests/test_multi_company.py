"""One school = one company: users of one school never see another's configuration or students."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import AfterschoolCase, one_window_term

CONFIGURATION_MODELS = (
    "afterschool.term",
    "afterschool.term.window",
    "afterschool.term.closure",
    "afterschool.term.makeup",
    "afterschool.class",
    "afterschool.venue",
    "afterschool.activity.group",
)


class TestMultiCompany(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_a = cls.company
        cls.school_b = cls.env["res.company"].create(
            {"name": "Second Primary School", "currency_id": cls.env.ref("base.CNY").id}
        )
        cls.env.user.company_ids |= cls.school_b
        cls.records_a = cls.create_school(cls.school_a, cls.head_teacher, cls.teacher)
        cls.manager_b = new_test_user(
            cls.env,
            "as_manager_b",
            groups="afterschool_service.group_afterschool_manager",
            company_id=cls.school_b.id,
            company_ids=[Command.set(cls.school_b.ids)],
        )
        cls.teacher_b = new_test_user(
            cls.env,
            "as_teacher_b",
            groups="afterschool_service.group_afterschool_head_teacher",
            company_id=cls.school_b.id,
            company_ids=[Command.set(cls.school_b.ids)],
        )
        cls.records_b = cls.create_school(cls.school_b, cls.teacher_b, cls.teacher_b)
        cls.district = new_test_user(
            cls.env,
            "as_district",
            groups="afterschool_service.group_afterschool_manager",
            company_id=cls.school_a.id,
            company_ids=[Command.set((cls.school_a | cls.school_b).ids)],
        )

    @classmethod
    def create_school(cls, company, head_teacher, teacher):
        """A term with a window, closure and make-up day, a class with a student, a venue and a group."""
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        term = env["afterschool.term"].create(
            {
                "name": "Autumn 2026",
                "company_id": company.id,
                **one_window_term(),
                "closure_ids": [
                    Command.create(
                        {
                            "name": "National Day",
                            "date_from": date(2026, 10, 1),
                            "date_to": date(2026, 10, 7),
                        }
                    )
                ],
                "makeup_ids": [
                    Command.create({"date": date(2026, 10, 10), "weekday": "1"})
                ],
            }
        )
        school_class = env["afterschool.class"].create(
            {
                "name": "Grade 1 Class 1",
                "grade": 1,
                "head_teacher_id": head_teacher.id,
                "company_id": company.id,
            }
        )
        venue = env["afterschool.venue"].create(
            {"name": "Reading Room", "capacity": 40, "company_id": company.id}
        )
        group = env["afterschool.activity.group"].create(
            {
                "name": "Reading",
                "kind": "reading",
                "term_id": term.id,
                "venue_id": venue.id,
                "teacher_id": teacher.id,
                "capacity": 40,
            }
        )
        student = env["res.partner"].create(
            {
                "name": "Student of %s" % company.name,
                "is_student": True,
                "class_id": school_class.id,
            }
        )
        return {
            "afterschool.term": term,
            "afterschool.term.window": term.window_ids,
            "afterschool.term.closure": term.closure_ids,
            "afterschool.term.makeup": term.makeup_ids,
            "afterschool.class": school_class,
            "afterschool.venue": venue,
            "afterschool.activity.group": group,
            "res.partner": student,
        }

    def assertSeesOnly(self, user, companies, **context):
        """The user finds every configuration record of these schools and none of another."""
        env = self.env(user=user, context=dict(self.env.context, **context))
        for model in CONFIGURATION_MODELS:
            found = env[model].search([])
            self.assertEqual(
                found.company_id, companies, "%s seen by %s" % (model, user.login)
            )
            for records in (self.records_a, self.records_b):
                if records[model].company_id <= companies:
                    self.assertLessEqual(records[model], found, model)

    def test_single_school_manager_sees_own_school_only(self):
        self.assertSeesOnly(self.manager, self.school_a)
        self.assertSeesOnly(self.manager_b, self.school_b)

    def test_other_school_records_are_refused(self):
        for model in CONFIGURATION_MODELS:
            with self.assertRaises(AccessError, msg=model):
                self.records_b[model].with_user(self.manager).read(["company_id"])
        with self.assertRaises(AccessError):
            self.records_b["afterschool.term"].with_user(self.manager).write(
                {"name": "Taken over"}
            )

    def test_teacher_sees_own_school_only(self):
        groups = (
            self.env["afterschool.activity.group"].with_user(self.teacher).search([])
        )
        self.assertEqual(groups.company_id, self.school_a)
        with self.assertRaises(AccessError):
            self.records_b["afterschool.activity.group"].with_user(self.teacher).read(
                ["name"]
            )

    def test_students_stay_in_their_school(self):
        Partner = self.env["res.partner"].with_user(self.manager)
        self.assertIn(
            self.records_a["res.partner"], Partner.search([("is_student", "=", True)])
        )
        self.assertNotIn(
            self.records_b["res.partner"], Partner.search([("is_student", "=", True)])
        )
        with self.assertRaises(AccessError):
            self.records_b["res.partner"].with_user(self.manager).read(["name"])

    def test_district_user_sees_both_schools(self):
        self.assertSeesOnly(self.district, self.school_a | self.school_b)
        self.assertSeesOnly(
            self.district, self.school_b, allowed_company_ids=self.school_b.ids
        )
        students = (
            self.env["res.partner"]
            .with_user(self.district)
            .search([("is_student", "=", True)])
        )
        self.assertIn(self.records_a["res.partner"], students)
        self.assertIn(self.records_b["res.partner"], students)

    def test_no_mixing_schools_in_a_group(self):
        with self.assertRaisesMessage(UserError, "Incompatible companies"):
            self.env["afterschool.activity.group"].create(
                {
                    "name": "Mixed",
                    "term_id": self.records_a["afterschool.term"].id,
                    "venue_id": self.records_b["afterschool.venue"].id,
                    "capacity": 10,
                }
            )
        with self.assertRaisesMessage(UserError, "Incompatible companies"):
            self.env["afterschool.activity.group"].create(
                {
                    "name": "Mixed",
                    "term_id": self.records_a["afterschool.term"].id,
                    "teacher_id": self.teacher_b.id,
                    "capacity": 10,
                }
            )
        self.assertFalse(
            self.env["afterschool.activity.group"].search([("name", "=", "Mixed")])
        )

    def test_no_head_teacher_from_another_school(self):
        with self.assertRaisesMessage(UserError, "Incompatible companies"):
            self.env["afterschool.class"].create(
                {
                    "name": "Grade 2 Class 1",
                    "grade": 2,
                    "company_id": self.school_a.id,
                    "head_teacher_id": self.teacher_b.id,
                }
            )
        self.assertFalse(
            self.env["afterschool.class"].search([("name", "=", "Grade 2 Class 1")])
        )

    def test_same_names_in_two_schools(self):
        """Names are unique per school only: both schools have an 'Autumn 2026' and a 'Grade 1 Class 1'."""
        self.assertEqual(
            self.records_a["afterschool.term"].name,
            self.records_b["afterschool.term"].name,
        )
        self.assertEqual(
            self.records_a["afterschool.class"].name,
            self.records_b["afterschool.class"].name,
        )
