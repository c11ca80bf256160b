"""Who sees what: every role, as a real user, on every model and operation, within a school and across two.

The matrix says for each role and record which operations are allowed (r, w, c, u): each is asserted both
ways — allowed (check_access passes) or refused (AccessError). Then the rules that are not about records
alone: private fields, the days to correct attendance, the head teacher's review, the guardian's methods.
"""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user

from .access_common import OPERATIONS, AccessCase
from .common import one_window_term


class TestAccessMatrix(AccessCase):
    """One school: what each role may do on each model."""

    def test_teacher(self):
        self.assertAccess(
            self.teacher,
            [
                (self.term, "r"),
                (self.term.window_ids, "r"),
                (self.term.closure_ids, "r"),
                (self.term.makeup_ids, "r"),
                (self.class_3a, "r"),
                (self.room_a, "r"),
                (self.rotation, "r"),
                (self.duty, "r"),
                (self.chess, "r"),
                (self.drawing, ""),
                (self.session, "rw"),
                (self.other_session, ""),
                (self.line, "rw"),
                (self.other_line, ""),
                (self.application, ""),
                (self.agreement, ""),
                (self.report_row, ""),
                (self.leave, "r"),
                (self.other_leave, ""),
                (self.absence, "r"),
                (self.other_absence, ""),
                (self.incident, "rwc"),
                (self.other_incident, ""),
                (self.ming, "r"),
                (self.hong, ""),
                (self.guardian.partner_id, "r"),
            ],
        )

    def test_teacher_on_duty(self):
        """A teacher supervising another's session on duty sees it, its roster and its students."""
        self.other_session.duty_teacher_id = self.teacher
        self.assertAccess(
            self.teacher,
            [
                (self.drawing, "r"),
                (self.other_session, "rw"),
                (self.other_line, "rw"),
                (self.hong, "r"),
                (self.other_leave, "r"),
                (self.other_incident, "rwc"),
                (self.other_application, ""),
            ],
        )

    def test_head_teacher(self):
        self.assertAccess(
            self.head_teacher,
            [
                (self.term, "r"),
                (self.class_3a, "r"),
                (self.room_a, "r"),
                (self.chess, "r"),
                (self.drawing, "r"),
                (self.session, ""),
                (self.other_session, ""),
                (self.line, "r"),
                (self.other_line, ""),
                (self.application, "rw"),
                (self.other_application, ""),
                (self.agreement, "rw"),
                (self.other_agreement, ""),
                (self.report_row, "r"),
                (self.other_report_row, ""),
                (self.leave, "rwc"),
                (self.other_leave, ""),
                (self.absence, "rwcu"),
                (self.other_absence, ""),
                (self.incident, "r"),
                (self.other_incident, ""),
                (self.ming, "r"),
                (self.hong, ""),
            ],
        )

    def test_coordinator(self):
        self.assertAccess(
            self.manager,
            [
                (records, "rwcu")
                for records in (
                    self.term,
                    self.term.window_ids,
                    self.term.closure_ids,
                    self.term.makeup_ids,
                    self.class_3a,
                    self.room_a,
                    self.chess,
                    self.drawing,
                    self.session,
                    self.other_session,
                    self.line,
                    self.other_line,
                    self.application,
                    self.other_application,
                    self.agreement,
                    self.other_agreement,
                    self.leave,
                    self.other_leave,
                    self.absence,
                    self.other_absence,
                    self.incident,
                    self.other_incident,
                    self.rotation,
                    self.duty,
                    self.ming,
                    self.hong,
                )
            ]
            + [(self.report_row, "r"), (self.other_report_row, "r")],
        )

    def test_accountant(self):
        """Reads what billing is based on, changes none of it."""
        self.assertAccess(
            self.accountant,
            [
                (self.term, "r"),
                (self.term.window_ids, "r"),
                (self.class_3a, "r"),
                (self.chess, "r"),
                (self.drawing, "r"),
                (self.session, "r"),
                (self.other_session, "r"),
                (self.line, "r"),
                (self.other_line, "r"),
                (self.application, "r"),
                (self.agreement, "r"),
                (self.ming, "r"),
                (self.hong, "r"),
                (self.room_a, ""),
                (self.leave, ""),
                (self.absence, ""),
                (self.incident, ""),
                (self.rotation, ""),
                (self.duty, ""),
                (self.report_row, ""),
            ],
        )

    def test_billing_records(self):
        """Invoicing runs and billing entries are the system's: read by the accountant and the coordinator,
        written by the run only; the Correct Attendance dialog is the coordinator's and the accountant's."""
        expected = {
            self.accountant: {
                "afterschool.invoice.run": "r",
                "afterschool.billing.entry": "r",
                "afterschool.attendance.correct.wizard": "rwc",
            },
            self.manager: {
                "afterschool.invoice.run": "r",
                "afterschool.billing.entry": "r",
                "afterschool.attendance.correct.wizard": "rwc",
            },
            self.head_teacher: {},
            self.teacher: {},
            self.employee: {},
            self.guardian: {},
        }
        for user, models in expected.items():
            for model in (
                "afterschool.invoice.run",
                "afterschool.billing.entry",
                "afterschool.attendance.correct.wizard",
            ):
                for letter, operation in OPERATIONS:
                    self.assertEqual(
                        self.env[model].with_user(user).browse().has_access(operation),
                        letter in models.get(model, ""),
                        f"{user.login} {operation} {model}",
                    )

    def test_employee_sees_no_student(self):
        """An employee without an after-school role reads none of it, not even the students' contacts."""
        self.assertAccess(
            self.employee,
            [
                (records, "")
                for records in (
                    self.term,
                    self.class_3a,
                    self.room_a,
                    self.chess,
                    self.session,
                    self.line,
                    self.application,
                    self.agreement,
                    self.leave,
                    self.absence,
                    self.incident,
                    self.rotation,
                    self.duty,
                    self.ming,
                )
            ]
            + [(self.guardian.partner_id, "r")],
        )
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.employee)
            .search([("is_student", "=", True)])
        )

    def test_guardian(self):
        """A guardian reads their own child's records, and nothing else; they change nothing directly."""
        self.assertAccess(
            self.guardian,
            [
                (self.ming, "r"),
                (self.hong, ""),
                (self.application, "r"),
                (self.other_application, ""),
                (self.agreement, "r"),
                (self.other_agreement, ""),
                (self.line, "r"),
                (self.other_line, ""),
                (self.leave, "r"),
                (self.other_leave, ""),
                (self.term, ""),
                (self.chess, ""),
                (self.session, ""),
                (self.absence, ""),
                (self.incident, ""),
                (self.class_3a, ""),
            ],
        )


class TestPrivateFields(AccessCase):
    def test_hardship_and_left_behind_for_coordinators_only(self):
        self.assertTrue(
            self.ming.with_user(self.manager).read(
                ["left_behind", "financial_hardship", "fee_waiver_percent"]
            )[0]["left_behind"]
        )
        for user in (self.teacher, self.head_teacher, self.accountant, self.guardian):
            for name in ("left_behind", "financial_hardship"):
                with self.assertRaises(AccessError, msg=f"{user.login} {name}"):
                    self.ming.with_user(user).read([name])
        with self.assertRaises(AccessError):
            self.application.with_user(self.head_teacher).read(
                ["priority"]
            )  # it would tell the hardship

    def test_fee_waiver_for_coordinators_and_accountants(self):
        self.assertEqual(
            self.ming.with_user(self.accountant).read(["fee_waiver_percent"])[0][
                "fee_waiver_percent"
            ],
            50,
        )
        for user in (self.teacher, self.head_teacher, self.guardian):
            with self.assertRaises(AccessError, msg=user.login):
                self.ming.with_user(user).read(["fee_waiver_percent"])

    def test_views_leave_out_what_a_role_may_not_read(self):
        """The forms still open: Odoo drops the fields a role may not read."""
        form = "afterschool_service.res_partner_student_view_form"
        for user, shown, hidden in (
            (
                self.accountant,
                {"fee_waiver_percent", "guardian_ids"},
                {"left_behind", "financial_hardship"},
            ),
            (
                self.head_teacher,
                {"guardian_ids", "class_id"},
                {"left_behind", "financial_hardship", "fee_waiver_percent"},
            ),
            (
                self.manager,
                {"left_behind", "financial_hardship", "fee_waiver_percent"},
                set(),
            ),
        ):
            fields_in_view = Form(self.ming.with_user(user), view=form)._view["fields"]
            self.assertTrue(shown <= set(fields_in_view), user.login)
            self.assertFalse(hidden & set(fields_in_view), user.login)
        application_form = Form(self.application.with_user(self.head_teacher))._view[
            "fields"
        ]
        self.assertFalse(
            {"priority", "left_behind", "financial_hardship"} & set(application_form)
        )

    def test_teacher_reads_the_guardians_phone_for_pickup(self):
        student = self.ming.with_user(self.teacher)
        self.assertEqual(student.guardian_ids.mapped("name"), ["Wang Fang"])
        self.assertEqual(
            student._get_pickup_partners().mapped("name"), ["Wang Fang", "Li Jun"]
        )
        student.guardian_ids.read(["mobile", "phone"])


class TestAttendancePeriod(AccessCase):
    """Teachers take attendance on the day and correct it for N days (a setting); coordinators any time."""

    def line_on(self, day):
        return self.find_session(self.chess, day).attendance_ids.with_user(self.teacher)

    @freeze_time("2026-12-03 09:00:00")  # Thursday 3 December, 17:00 at the school
    def test_today_and_the_past_days(self):
        self.assertEqual(
            self.company.afterschool_attendance_days, 3, "three days by default"
        )
        self.line_on(date(2026, 12, 3)).state = "present"
        self.line_on(date(2026, 12, 1)).state = "absent"  # Tuesday: two days ago
        with self.assertRaisesMessage(
            AccessError,
            "can no longer be changed: teachers correct attendance up to 3 day(s)",
        ):
            self.line_on(date(2026, 11, 26)).state = "present"  # last Thursday
        with self.assertRaisesMessage(
            AccessError, "can only be taken from the day of the session"
        ):
            self.line_on(date(2026, 12, 8)).state = "present"
        with self.assertRaisesMessage(AccessError, "can no longer be changed"):
            self.find_session(self.chess, date(2026, 11, 26)).with_user(
                self.teacher
            ).action_mark_all_present()
        self.assertFalse(self.line_on(date(2026, 11, 26)).state)
        # The coordinator corrects older attendance.
        self.find_session(self.chess, date(2026, 11, 26)).attendance_ids.with_user(
            self.manager
        ).state = "present"

    @freeze_time("2026-12-03 09:00:00")
    def test_the_setting(self):
        with Form(
            self.env["res.config.settings"].with_context(
                allowed_company_ids=self.company.ids
            )
        ) as settings:
            settings.afterschool_attendance_days = 0
        self.assertEqual(self.company.afterschool_attendance_days, 0)
        self.line_on(date(2026, 12, 3)).state = "present"
        with self.assertRaisesMessage(AccessError, "up to 0 day(s)"):
            self.line_on(date(2026, 12, 1)).state = "present"
        self.company.afterschool_attendance_days = 7
        self.line_on(date(2026, 11, 26)).state = "present"


class TestReview(AccessCase):
    def test_head_teacher_reviews_own_class_only(self):
        own = self.env["afterschool.application"].create(
            {
                "student_id": self.create_student("Xiao Gang").id,
                "guardian_id": self.mother.id,
                "term_id": self.term.id,
                "requested_group_ids": [Command.set(self.chess.ids)],
            }
        )
        own.action_submit()
        other_student = self.create_student("Xiao Li")
        other_student.class_id = self.class_3b
        other = own.copy(
            {
                "student_id": other_student.id,
                "requested_group_ids": [Command.set(self.chess.ids)],
            }
        )
        other.action_submit()
        Application = self.env["afterschool.application"].with_user(self.head_teacher)
        self.assertEqual(Application.search([("state", "=", "submitted")]), own)
        own.with_user(self.head_teacher).action_class_approve()
        self.assertEqual(own.state, "class_approved")
        with self.assertRaises(AccessError):
            other.with_user(self.head_teacher).read(["state"])


class TestGuardianMethods(AccessCase):
    def test_a_guardian_acts_for_their_own_child_only(self):
        Application = self.env["afterschool.application"].with_user(self.guardian)
        with self.assertRaisesMessage(
            AccessError, "Only a guardian of Xiao Hong can apply"
        ):
            Application._apply_as_guardian(self.hong, self.term, self.drawing)
        with self.assertRaisesMessage(
            AccessError, "Only a guardian of Xiao Hong can ask leave"
        ):
            self.env["afterschool.leave"].with_user(self.guardian)._request_as_guardian(
                self.hong, date(2026, 12, 16), False, "Not mine"
            )
        self.assertEqual(
            self.env["afterschool.leave"].search_count(
                [("student_id", "=", self.hong.id)]
            ),
            1,
        )


class TestSchoolsStayApart(AccessCase):
    """A district with two schools: a coordinator sees theirs only, the district officer both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_b = cls.env["res.company"].create(
            {
                "name": "Riverside Primary School",
                "currency_id": cls.env.ref("base.CNY").id,
            }
        )
        cls.env.user.company_ids |= cls.school_b
        env_b = cls.env(
            context=dict(cls.env.context, allowed_company_ids=cls.school_b.ids)
        )
        cls.coordinator_b = new_test_user(
            env_b,
            "as_coordinator_b",
            groups="afterschool_service.group_afterschool_manager",
            company_id=cls.school_b.id,
            company_ids=[Command.set(cls.school_b.ids)],
        )
        cls.district = new_test_user(
            env_b,
            "as_district",
            groups="afterschool_service.group_afterschool_manager",
            company_id=cls.school_b.id,
            company_ids=[Command.set((cls.company | cls.school_b).ids)],
        )
        cls.term_b = env_b["afterschool.term"].create(
            {
                "name": "Riverside Autumn",
                "company_id": cls.school_b.id,
                **one_window_term(),
            }
        )
        cls.class_b = env_b["afterschool.class"].create(
            {"name": "Grade 3 Class 1", "grade": 3, "company_id": cls.school_b.id}
        )
        cls.student_b = env_b["res.partner"].create(
            {"name": "Chen Jie", "is_student": True, "class_id": cls.class_b.id}
        )

    def test_coordinator_of_one_school_sees_nothing_of_the_other(self):
        self.assertAccess(
            self.manager, [(self.term_b, ""), (self.class_b, ""), (self.student_b, "")]
        )
        self.assertAccess(
            self.coordinator_b,
            [
                (self.term_b, "rwcu"),
                (self.class_b, "rwcu"),
                (self.student_b, "rwcu"),
                (self.term, ""),
                (self.chess, ""),
                (self.session, ""),
                (self.line, ""),
                (self.application, ""),
                (self.agreement, ""),
                (self.leave, ""),
                (self.absence, ""),
                (self.incident, ""),
                (self.duty, ""),
                (self.ming, ""),
            ],
        )
        Partner = self.env["res.partner"].with_user(self.coordinator_b)
        self.assertEqual(Partner.search([("is_student", "=", True)]), self.student_b)

    def test_district_officer_sees_both(self):
        self.assertAccess(
            self.district,
            [
                (self.term_b, "rwcu"),
                (self.student_b, "rwcu"),
                (self.term, "rwcu"),
                (self.application, "rwcu"),
                (self.line, "rwcu"),
                (self.ming, "rwcu"),
            ],
        )
        Partner = self.env["res.partner"].with_user(self.district)
        self.assertEqual(
            set(
                Partner.search(
                    [
                        ("is_student", "=", True),
                        ("id", "in", (self.ming | self.student_b).ids),
                    ]
                )
            ),
            set(self.ming | self.student_b),
        )
        # With one school selected in the switcher, only that one.
        one_school = Partner.with_context(allowed_company_ids=self.school_b.ids)
        self.assertEqual(
            one_school.search([("id", "in", (self.ming | self.student_b).ids)]),
            self.student_b,
        )
