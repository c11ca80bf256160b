"""The school's configuration refuses bad input with a clear message and saves nothing."""

from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tools import mute_logger

from .common import AfterschoolCase


class TestTermRules(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Term = cls.school_env["afterschool.term"]

    def assertNoTerm(self):
        self.assertFalse(
            self.Term.with_context(active_test=False).search(
                [("company_id", "=", self.company.id)]
            )
        )

    def test_end_before_start(self):
        with self.assertRaisesMessage(
            ValidationError, "The term Autumn Test Term ends before it starts."
        ):
            self.create_term(
                date_start=date(2027, 1, 15), date_end=date(2026, 9, 1), window_ids=[]
            )
        self.assertNoTerm()

    def test_no_service_weekday(self):
        with self.assertRaisesMessage(
            ValidationError, "needs at least one service weekday"
        ):
            self.create_term(tue=False, wed=False, thu=False, fri=False)
        self.assertNoTerm()

    def test_no_period(self):
        with self.assertRaisesMessage(
            ValidationError, "A service day has at least one period."
        ):
            self.create_term(periods_per_day=0)
        self.assertNoTerm()

    def test_negative_rate(self):
        with self.assertRaisesMessage(
            ValidationError, "The rate per period cannot be negative."
        ):
            self.create_term(period_rate=-1)
        self.assertNoTerm()

    @mute_logger("odoo.sql_db")
    def test_duplicate_name(self):
        self.create_term()
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.create_term()
        self.assertEqual(
            self.Term.search_count([("company_id", "=", self.company.id)]), 1
        )

    def test_states(self):
        term = self.create_term()
        with self.assertRaisesMessage(UserError, "Only an open term can be closed."):
            term.action_close()
        with self.assertRaisesMessage(
            UserError, "Only an open or closed term can go back to draft."
        ):
            term.action_reset_draft()
        term.action_open()
        with self.assertRaisesMessage(UserError, "Only a draft term can be opened."):
            term.action_open()
        term.action_close()
        self.assertEqual(term.state, "closed")
        term.action_reset_draft()
        self.assertEqual(term.state, "draft")

    def test_rate_setting_flows_into_new_terms(self):
        """The rate set in Settings is the default of the school's next terms, not of the others'."""
        term_before = self.create_term()
        settings = self.env["res.config.settings"].with_company(self.company).create({})
        self.assertEqual(settings.afterschool_period_rate, 3.5)
        settings.afterschool_period_rate = 4.2
        settings.execute()
        self.assertEqual(self.company.afterschool_period_rate, 4.2)
        self.assertEqual(self.create_term(name="Spring Test Term").period_rate, 4.2)
        self.assertEqual(term_before.period_rate, 3.5, "existing terms keep their rate")
        other = self.env["res.company"].create({"name": "Other School"})
        self.assertEqual(other.afterschool_period_rate, 3.5)

    def test_explicit_rate_kept(self):
        self.assertEqual(self.create_term(period_rate=5.0).period_rate, 5.0)


class TestWindowRules(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.create_term(window_ids=[])

    def add_window(self, date_from, date_to, hour_from, hour_to):
        self.term.write(
            {
                "window_ids": [
                    Command.create(
                        {
                            "name": "Extra",
                            "date_from": date_from,
                            "date_to": date_to,
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                        }
                    )
                ]
            }
        )

    def assertNoWindow(self):
        self.term.invalidate_recordset()
        self.assertFalse(self.term.window_ids)

    def test_two_hours_is_the_limit(self):
        self.add_window(date(2026, 9, 1), date(2027, 1, 15), 16.5, 18.5)
        self.assertEqual(len(self.term.window_ids), 1)

    def test_two_hours_ten_minutes_refused(self):
        with self.assertRaisesMessage(
            ValidationError,
            "Service may not end more than 2 hours after dismissal: 16:20–18:30 is too long.",
        ):
            self.add_window(date(2026, 9, 1), date(2027, 1, 15), 16 + 20 / 60, 18.5)
        self.assertNoWindow()

    def test_end_before_dismissal(self):
        with self.assertRaisesMessage(
            ValidationError, "A time window must end after dismissal (16:30)."
        ):
            self.add_window(date(2026, 9, 1), date(2027, 1, 15), 16.5, 16.0)
        self.assertNoWindow()

    def test_hours_outside_the_day(self):
        with self.assertRaisesMessage(
            ValidationError, "Window hours must lie within the day."
        ):
            self.add_window(date(2026, 9, 1), date(2027, 1, 15), 23.5, 25.0)
        self.assertNoWindow()

    def test_dates_end_before_start(self):
        with self.assertRaisesMessage(
            ValidationError,
            "A time window cannot end (2026-09-01) before it starts (2026-10-01).",
        ):
            self.add_window(date(2026, 10, 1), date(2026, 9, 1), 16.5, 18.0)
        self.assertNoWindow()

    def test_overlap_refused(self):
        self.add_window(date(2026, 9, 1), date(2026, 10, 31), 16.5, 18.0)
        with self.assertRaisesMessage(ValidationError, "overlap"):
            self.add_window(
                date(2026, 10, 31), date(2027, 1, 15), 16 + 20 / 60, 17 + 50 / 60
            )
        self.term.invalidate_recordset()
        self.assertEqual(len(self.term.window_ids), 1)

    def test_overlap_by_moving_a_window(self):
        self.add_window(date(2026, 9, 1), date(2026, 10, 31), 16.5, 18.0)
        self.add_window(
            date(2026, 11, 1), date(2027, 1, 15), 16 + 20 / 60, 17 + 50 / 60
        )
        winter = self.term.window_ids.sorted("date_from")[1]
        with self.assertRaisesMessage(ValidationError, "overlap"):
            winter.date_from = date(2026, 10, 15)
        winter.invalidate_recordset()
        self.assertEqual(winter.date_from, date(2026, 11, 1))

    def test_uncovered_days_block_opening(self):
        self.add_window(date(2026, 9, 1), date(2026, 10, 31), 16.5, 18.0)
        self.add_window(
            date(2026, 11, 10), date(2027, 1, 15), 16 + 20 / 60, 17 + 50 / 60
        )
        # 2026-11-03 (Tue) to 2026-11-06 (Fri): four service days without a window.
        self.assertEqual(
            self.term.window_warning,
            "4 service day(s) have no time window, the first on 2026-11-03.",
        )
        with self.assertRaisesMessage(
            UserError,
            "The time windows of Autumn Test Term do not cover 4 service day(s), the first on 2026-11-03.",
        ):
            self.term.action_open()
        self.assertEqual(self.term.state, "draft")

    def test_gap_on_closed_days_is_fine(self):
        """A window need not cover days without service (a closure, a weekend)."""
        self.term.write(
            {
                "closure_ids": [
                    Command.create(
                        {
                            "name": "Exams",
                            "date_from": date(2026, 11, 1),
                            "date_to": date(2026, 11, 13),
                        }
                    )
                ]
            }
        )
        self.add_window(date(2026, 9, 1), date(2026, 10, 31), 16.5, 18.0)
        self.add_window(
            date(2026, 11, 14), date(2027, 1, 15), 16 + 20 / 60, 17 + 50 / 60
        )
        self.assertFalse(self.term.window_warning)
        self.term.action_open()
        self.assertEqual(self.term.state, "open")


class TestClosureAndMakeupRules(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.create_term(
            closure_ids=[
                Command.create(
                    {
                        "name": "National Day",
                        "date_from": date(2026, 10, 1),
                        "date_to": date(2026, 10, 7),
                    }
                )
            ]
        )

    def test_closure_end_before_start(self):
        with self.assertRaisesMessage(
            ValidationError, "The closure Exams ends before it starts."
        ):
            self.term.write(
                {
                    "closure_ids": [
                        Command.create(
                            {
                                "name": "Exams",
                                "date_from": date(2027, 1, 12),
                                "date_to": date(2027, 1, 11),
                            }
                        )
                    ]
                }
            )
        self.term.invalidate_recordset()
        self.assertEqual(self.term.closure_ids.mapped("name"), ["National Day"])

    def add_makeup(self, day, weekday="1"):
        self.term.write(
            {"makeup_ids": [Command.create({"date": day, "weekday": weekday})]}
        )

    def test_makeup_outside_term(self):
        with self.assertRaisesMessage(
            ValidationError,
            "The make-up day 2027-01-16 lies outside the term Autumn Test Term.",
        ):
            self.add_makeup(date(2027, 1, 16))
        self.term.invalidate_recordset()
        self.assertFalse(self.term.makeup_ids)

    def test_makeup_in_closure(self):
        with self.assertRaisesMessage(
            ValidationError,
            "The make-up day 2026-10-03 falls in the closure National Day.",
        ):
            self.add_makeup(date(2026, 10, 3))
        self.term.invalidate_recordset()
        self.assertFalse(self.term.makeup_ids)

    def test_closure_moved_over_a_makeup_day(self):
        self.add_makeup(date(2026, 10, 10))
        closure = self.term.closure_ids
        with self.assertRaisesMessage(
            ValidationError,
            "The make-up day 2026-10-10 falls in the closure National Day.",
        ):
            closure.date_to = date(2026, 10, 11)
        closure.invalidate_recordset()
        self.assertEqual(closure.date_to, date(2026, 10, 7))

    def test_term_shortened_before_a_makeup_day(self):
        self.add_makeup(date(2026, 10, 10))
        with self.assertRaisesMessage(
            ValidationError,
            "The make-up day 2026-10-10 lies outside the term Autumn Test Term.",
        ):
            self.term.date_start = date(2026, 10, 12)
        self.term.invalidate_recordset()
        self.assertEqual(self.term.date_start, date(2026, 9, 1))

    @mute_logger("odoo.sql_db")
    def test_makeup_day_once(self):
        self.add_makeup(date(2026, 10, 10))
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.add_makeup(date(2026, 10, 10), "2")


class TestSchoolRules(AfterschoolCase):
    """Classes, venues, activity groups and students."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.create_term()
        cls.venue = cls.school_env["afterschool.venue"].create(
            {"name": "Chess Room", "capacity": 30}
        )
        cls.school_class = cls.school_env["afterschool.class"].create(
            {
                "name": "Grade 3 Class 1",
                "grade": 3,
                "head_teacher_id": cls.head_teacher.id,
            }
        )
        cls.Group = cls.school_env["afterschool.activity.group"]

    def group_vals(self, **values):
        return dict(
            {
                "name": "Chess Club",
                "term_id": self.term.id,
                "kind": "club",
                "teacher_id": self.teacher.id,
                "venue_id": self.venue.id,
                "capacity": 30,
            },
            **values,
        )

    def assertNoGroup(self):
        self.assertFalse(
            self.Group.with_context(active_test=False).search(
                [("term_id", "=", self.term.id)]
            )
        )

    def test_class_grade_seven(self):
        with self.assertRaisesMessage(
            ValidationError,
            "Grade 7 does not exist: a primary school has grades 1 to 6.",
        ):
            self.school_env["afterschool.class"].create(
                {"name": "Grade 7 Class 1", "grade": 7}
            )
        self.assertFalse(
            self.school_env["afterschool.class"].search(
                [("name", "=", "Grade 7 Class 1")]
            )
        )

    def test_class_grade_zero(self):
        with self.assertRaisesMessage(ValidationError, "Grade 0 does not exist"):
            self.school_class.grade = 0
        self.school_class.invalidate_recordset()
        self.assertEqual(self.school_class.grade, 3)

    @mute_logger("odoo.sql_db")
    def test_class_name_unique_per_school(self):
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self.school_env["afterschool.class"].create(
                {"name": "Grade 3 Class 1", "grade": 3}
            )

    def test_venue_capacity_zero(self):
        with self.assertRaisesMessage(
            ValidationError, "The venue Hall needs a capacity above zero."
        ):
            self.school_env["afterschool.venue"].create({"name": "Hall", "capacity": 0})
        self.assertFalse(
            self.school_env["afterschool.venue"].search([("name", "=", "Hall")])
        )

    def test_group_defaults_to_term_days(self):
        group = self.Group.create(self.group_vals())
        self.assertEqual(
            [group[d] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
            [False, True, True, True, True, False, False],
        )
        self.assertEqual(group.company_id, self.company)
        self.assertEqual((group.grade_min, group.grade_max), (1, 6))

    def test_group_capacity_above_venue(self):
        with self.assertRaisesMessage(
            ValidationError,
            "The group Chess Club cannot take 31 students: its venue Chess Room holds 30.",
        ):
            self.Group.create(self.group_vals(capacity=31))
        self.assertNoGroup()

    def test_group_capacity_zero(self):
        with self.assertRaisesMessage(
            ValidationError, "The group Chess Club needs a capacity above zero."
        ):
            self.Group.create(self.group_vals(capacity=0))
        self.assertNoGroup()

    def test_venue_shrunk_below_its_groups(self):
        self.Group.create(self.group_vals())
        with self.assertRaisesMessage(
            ValidationError, "cannot take 30 students: its venue Chess Room holds 20"
        ):
            self.venue.capacity = 20
        self.venue.invalidate_recordset()
        self.assertEqual(self.venue.capacity, 30)

    def test_group_day_outside_term(self):
        with self.assertRaisesMessage(
            ValidationError,
            "The group Chess Club cannot meet on Monday: the term has no service then.",
        ):
            self.Group.create(self.group_vals(mon=True))
        self.assertNoGroup()

    def test_group_without_day(self):
        with self.assertRaisesMessage(
            ValidationError, "The group Chess Club meets on no day."
        ):
            self.Group.create(
                self.group_vals(tue=False, wed=False, thu=False, fri=False)
            )
        self.assertNoGroup()

    def test_term_drops_a_day_its_groups_meet(self):
        self.Group.create(self.group_vals(wed=False, fri=False))
        with self.assertRaisesMessage(
            ValidationError, "The group Chess Club cannot meet on Tuesday"
        ):
            self.term.tue = False
        self.term.invalidate_recordset()
        self.assertTrue(self.term.tue)

    def test_group_grade_range(self):
        for grades, shown in (
            ((4, 2), "got 4 to 2"),
            ((0, 3), "got 0 to 3"),
            ((3, 7), "got 3 to 7"),
        ):
            with self.assertRaisesMessage(
                ValidationError,
                "The grades of Chess Club must run from 1 to 6, lowest first (%s)."
                % shown,
            ):
                self.Group.create(
                    self.group_vals(grade_min=grades[0], grade_max=grades[1])
                )
        self.assertNoGroup()

    def create_student(self, **values):
        return self.school_env["res.partner"].create(
            dict(
                {
                    "name": "Li Ming",
                    "is_student": True,
                    "class_id": self.school_class.id,
                },
                **values,
            )
        )

    def test_student_takes_school_of_class(self):
        self.assertEqual(self.create_student().company_id, self.company)

    def test_fee_waiver_above_100(self):
        with self.assertRaisesMessage(
            ValidationError, "A fee waiver is a percentage between 0 and 100."
        ):
            self.create_student(fee_waiver_percent=120)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Li Ming")]))

    def test_fee_waiver_negative(self):
        student = self.create_student(fee_waiver_percent=50)
        with self.assertRaisesMessage(
            ValidationError, "A fee waiver is a percentage between 0 and 100."
        ):
            student.fee_waiver_percent = -10
        student.invalidate_recordset()
        self.assertEqual(student.fee_waiver_percent, 50)

    def test_invoice_guardian_defaults_to_a_guardian(self):
        mother = self.env["res.partner"].create({"name": "Wang Fang"})
        student = self.create_student(guardian_ids=[Command.set(mother.ids)])
        self.assertEqual(student.invoice_guardian_id, mother)
        self.assertEqual(mother.ward_ids, student)

    def test_invoice_guardian_not_a_guardian(self):
        mother, neighbour = self.env["res.partner"].create(
            [{"name": "Wang Fang"}, {"name": "Zhao Lan"}]
        )
        student = self.create_student(guardian_ids=[Command.set(mother.ids)])
        with self.assertRaisesMessage(
            ValidationError,
            "The invoice guardian must be one of the student's guardians.",
        ):
            student.invoice_guardian_id = neighbour
        student.invalidate_recordset()
        self.assertEqual(student.invoice_guardian_id, mother)

    def test_invoice_guardian_follows_guardian_change(self):
        mother, father = self.env["res.partner"].create(
            [{"name": "Wang Fang"}, {"name": "Li Qiang"}]
        )
        student = self.create_student(guardian_ids=[Command.set(mother.ids)])
        student.guardian_ids = [Command.set(father.ids)]
        self.assertEqual(student.invoice_guardian_id, father)

    def test_own_guardian(self):
        student = self.create_student()
        with self.assertRaisesMessage(
            ValidationError, "A student cannot be their own guardian."
        ):
            student.guardian_ids = [Command.link(student.id)]
        student.invalidate_recordset()
        self.assertFalse(student.guardian_ids)

    def test_guardians_only_for_students(self):
        mother = self.env["res.partner"].create({"name": "Wang Fang"})
        with self.assertRaisesMessage(
            ValidationError,
            "Only students have guardians: mark Zhang San as a student first.",
        ):
            self.env["res.partner"].create(
                {"name": "Zhang San", "guardian_ids": [Command.set(mother.ids)]}
            )
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Zhang San")]))

    def test_pickup_partners(self):
        mother, grandma = self.env["res.partner"].create(
            [{"name": "Wang Fang"}, {"name": "Zhao Lan"}]
        )
        student = self.create_student(
            guardian_ids=[Command.set(mother.ids)],
            authorized_pickup_ids=[Command.set(grandma.ids)],
        )
        self.assertEqual(student._get_pickup_partners(), mother | grandma)
