"""Bad input sent by RPC is refused with a clear message and changes nothing: numbers out of range, dates
that make no sense, values that are not text, texts too long for the database, staff fields given to a
family's portal login. And refusals say no more than the caller may know."""

from datetime import date, datetime, time, timedelta

from odoo import Command, http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.afterschool_service.models.afterschool_invoice_run import _BillingTexts

from .common import BillingCase, school_today
from .enrolment_common import EnrolmentCase

HUGE = "名" * 350_000  # about 1 MB in UTF-8


class TestInputBounds(EnrolmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_parent = new_test_user(
            cls.env,
            "as_bounds_parent",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.student.guardian_ids |= cls.portal_parent.partner_id
        day = cls.term_start
        cls.session = cls.env["afterschool.session"].create(
            {
                "group_id": cls.reading.id,
                "date": day,
                "start": datetime.combine(day, time(8, 30)),
                "stop": datetime.combine(day, time(10, 0)),
            }
        )

    def as_manager(self, records):
        return records.with_user(self.manager).with_context(
            allowed_company_ids=self.company.ids
        )

    # ------------------------------------------------------------------ numbers and dates
    def test_session_periods_stay_within_the_service_day(self):
        self.assertEqual(self.session.periods, 2)
        # 90 minutes: 1 to 3 periods
        for periods in (-2, 0, 4, 10000):
            with (
                self.subTest(periods=periods),
                self.assertRaisesMessage(ValidationError, "counts 1 to 3 period(s)"),
            ):
                self.as_manager(self.session).write({"periods": periods})
        self.assertEqual(self.session.periods, 2)
        with self.assertRaisesMessage(ValidationError, "counts 1 to 3 period(s)"):
            self.as_manager(self.session).copy(
                {"date": self.term_start + timedelta(days=1), "periods": 0}
            )
        with self.assertRaisesMessage(ValidationError, "at most 4 periods"):
            self.as_manager(self.term).write({"periods_per_day": 40})
        self.assertEqual(self.term.periods_per_day, 2)

    def test_term_dates_are_bounded(self):
        Term = self.as_manager(self.env["afterschool.term"])
        with self.assertRaisesMessage(
            ValidationError, "must lie between the years 2000 and 2199"
        ):
            Term.create(
                {
                    "name": "Forever",
                    "company_id": self.company.id,
                    "date_start": date(1, 1, 1),
                    "date_end": date(9999, 12, 31),
                }
            )
        with self.assertRaisesMessage(ValidationError, "longer than a year"):
            Term.create(
                {
                    "name": "Two Years",
                    "company_id": self.company.id,
                    "date_start": date(2026, 9, 1),
                    "date_end": date(2028, 8, 31),
                }
            )
        self.assertFalse(Term.search([("name", "in", ("Forever", "Two Years"))]))

    def test_other_dates_and_numbers_of_the_audit(self):
        with self.assertRaisesMessage(ValidationError, "at most 31 days"):
            self.company.with_user(self.manager).sudo().write(
                {"afterschool_attendance_days": 10**9}
            )
        with self.assertRaisesMessage(ValidationError, "A leave lasts at most a year"):
            self.as_manager(self.env["afterschool.leave"]).create(
                {
                    "student_id": self.student.id,
                    "date_from": date(1, 1, 1),
                    "date_to": date(9999, 12, 31),
                    "reason": "Forever",
                }
            )
        self.assertEqual(self.company.afterschool_attendance_days, 3)
        self.assertFalse(
            self.env["afterschool.leave"].search([("student_id", "=", self.student.id)])
        )

    def test_windows_and_closures_lie_within_the_term(self):
        end = self.term.date_end
        with self.assertRaisesMessage(
            ValidationError, "lies outside the term Enrolment Test Term"
        ):
            self.as_manager(self.term).write(
                {
                    "window_ids": [
                        Command.create(
                            {
                                "name": "Next year",
                                "date_from": end + timedelta(days=1),
                                "date_to": end + timedelta(days=30),
                                "hour_from": 16.5,
                                "hour_to": 18.0,
                            }
                        )
                    ]
                }
            )
        with self.assertRaisesMessage(
            ValidationError, "lies outside the term Enrolment Test Term"
        ):
            self.as_manager(self.term).write(
                {
                    "closure_ids": [
                        Command.create(
                            {
                                "name": "Winter",
                                "date_from": end + timedelta(days=1),
                                "date_to": end + timedelta(days=30),
                            }
                        )
                    ]
                }
            )
        with self.assertRaisesMessage(
            ValidationError, "lies outside the term Enrolment Test Term"
        ):
            self.as_manager(self.term).write({"date_end": end - timedelta(days=30)})
        self.assertEqual(
            (len(self.term.window_ids), len(self.term.closure_ids), self.term.date_end),
            (1, 0, end),
        )

    def test_no_application_to_a_closed_or_archived_term(self):
        Application = self.as_manager(self.env["afterschool.application"])
        vals = {
            "student_id": self.student.id,
            "guardian_id": self.guardian[:1].id,
            "term_id": self.other_term.id,
        }
        self.other_term.state = "closed"
        with self.assertRaisesMessage(
            ValidationError, "is closed or archived: it takes no more applications"
        ):
            Application.create(vals)
        self.other_term.write({"state": "draft", "active": False})
        with self.assertRaisesMessage(
            ValidationError, "is closed or archived: it takes no more applications"
        ):
            Application.create(vals)
        self.assertFalse(
            Application.with_context(active_test=False).search(
                [("student_id", "=", self.student.id)]
            )
        )

    def test_withdrawal_dates(self):
        application = self.enrol(self.create_application())
        self.assertEqual(
            application.date_enrolled,
            self.term_start,
            "enrolled from the term's start, in two weeks",
        )
        with self.assertRaisesMessage(UserError, "cannot leave before"):
            self.as_manager(application).action_withdraw(
                "Moving away", school_today() - timedelta(days=1)
            )
        with self.assertRaisesMessage(
            UserError, "after the end of Enrolment Test Term"
        ):
            self.as_manager(application).action_terminate(
                "Moving away", self.term.date_end + timedelta(days=1)
            )
        with self.assertRaisesMessage(UserError, "as a date (YYYY-MM-DD)"):
            self.as_manager(application).action_withdraw("Moving away", "next week")
        with self.assertRaisesMessage(UserError, "as a date (YYYY-MM-DD)"):
            self.as_manager(application).action_withdraw("Moving away", 20261001)
        # A family cannot backdate a withdrawal over days the child attended
        application.date_enrolled = school_today() - timedelta(days=60)
        a_month_ago = school_today() - timedelta(days=30)
        with self.assertRaisesMessage(
            UserError, "takes effect from today or a later day"
        ):
            application.with_user(self.portal_parent).action_withdraw(
                "Moving away", a_month_ago
            )
        self.assertRecordValues(
            application, [{"state": "enrolled", "date_left": False, "reason": False}]
        )
        # the school may record it for a past day (after the enrolment)
        self.as_manager(application).action_withdraw("Moving away", a_month_ago)
        self.assertEqual(application.date_left, a_month_ago)

    def test_withdraw_today_before_the_term_starts(self):
        application = self.enrol(self.create_application())
        self.as_manager(application).action_withdraw("Moving away", school_today())
        self.assertRecordValues(
            application, [{"state": "withdrawn", "date_left": school_today()}]
        )

    # ------------------------------------------------------------------ texts
    def test_reasons_and_names_must_be_text(self):
        application = self.create_application()
        application.action_submit()
        for reason in (123, ["a list"], {"a": "dict"}, "with a \x00 byte", "x" * 5001):
            with (
                self.subTest(reason=str(reason)[:20]),
                self.assertRaises(ValidationError),
            ):
                self.as_manager(application).action_reject(reason)
        self.assertRecordValues(application, [{"state": "submitted", "reason": False}])
        published = self.create_application(
            self.create_student("Wang Fang", self.class_3a)
        )
        self.approve(published)
        published._allocate()
        published.action_publish()
        with self.assertRaisesMessage(ValidationError, "must be text"):
            self.as_manager(published.agreement_id).action_sign(42)
        self.assertEqual(published.agreement_id.state, "draft")

    def test_a_huge_name_is_refused_before_the_database(self):
        for model, vals in (
            (
                "afterschool.term",
                {
                    "name": HUGE,
                    "company_id": self.company.id,
                    "date_start": date(2026, 9, 1),
                    "date_end": date(2026, 12, 1),
                },
            ),
            (
                "afterschool.venue",
                {"name": HUGE, "capacity": 10, "company_id": self.company.id},
            ),
            (
                "afterschool.class",
                {"name": HUGE, "grade": 3, "company_id": self.company.id},
            ),
            ("afterschool.activity.group", {"name": HUGE, "term_id": self.term.id}),
            (
                "res.partner",
                {"name": HUGE, "is_student": True, "class_id": self.class_3a.id},
            ),
        ):
            with (
                self.subTest(model=model),
                self.assertRaisesMessage(ValidationError, "is too long: at most 256"),
            ):
                self.as_manager(self.env[model]).create(vals)
        with self.assertRaisesMessage(ValidationError, "is too long: at most 256"):
            self.as_manager(self.reading).write({"name": HUGE})
        self.assertEqual(self.reading.name, "Reading Room")

    # ------------------------------------------------------------------ staff only
    def test_a_portal_login_teaches_nothing(self):
        for records, vals in (
            (self.reading, {"teacher_id": self.portal_parent.id}),
            (self.class_3a, {"head_teacher_id": self.portal_parent.id}),
            (self.session, {"teacher_id": self.portal_parent.id}),
        ):
            with (
                self.subTest(model=records._name),
                self.assertRaisesMessage(ValidationError, "has a portal login"),
            ):
                self.as_manager(records).write(vals)
        self.assertEqual(
            (self.reading.teacher_id, self.class_3a.head_teacher_id),
            (self.teacher, self.head_teacher),
        )


class TestRefusalsSayNoMore(EnrolmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal_parent = new_test_user(
            cls.env,
            "as_quiet_parent",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.student.guardian_ids |= cls.portal_parent.partner_id
        cls.other = cls.create_student("Zhou Xin", cls.class_3b)
        cls.application = cls.enrol(
            cls.create_application() | cls.create_application(cls.other)
        )
        day = cls.term_start
        cls.session = cls.env["afterschool.session"].create(
            {
                "group_id": cls.reading.id,
                "date": day,
                "start": datetime.combine(day, time(8, 30)),
                "stop": datetime.combine(day, time(10, 0)),
            }
        )
        cls.session._sync_rosters()

    def test_attendance_access_error_names_no_session(self):
        lines = self.session.attendance_ids
        self.assertEqual(lines.student_id, self.student | self.other)
        for line in lines:  # the child's own line, and another family's
            with self.subTest(student=line.student_id.name):
                with self.assertRaises(AccessError) as caught:
                    line.with_user(self.portal_parent).write({"state": "absent"})
                self.assertNotIn(self.session.name, str(caught.exception))
                self.assertNotIn(str(self.session.date), str(caught.exception))
        self.assertEqual(lines.mapped("state"), [False, False])

    def test_another_teachers_session_is_not_named(self):
        other_teacher = new_test_user(
            self.env,
            "as_quiet_teacher",
            groups="afterschool_service.group_afterschool_teacher",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError) as caught:
            self.session.with_user(other_teacher).action_mark_all_present()
        self.assertNotIn(self.session.name, str(caught.exception))
        self.assertEqual(self.session.attendance_ids.mapped("state"), [False, False])


class TestCreditNoteWithoutOriginalInvoice(BillingCase):
    def test_the_credit_note_names_no_false_invoice(self):
        guardian = self.create_guardian("Wang Fang")
        student = self.create_student("Wang Hong", guardian)
        session = self.attend(self.reading, date(2026, 11, 3), {student: "absent"})
        line = session.attendance_ids
        # Billed 2 periods by an invoice deleted since (in draft): nothing to reference any more.
        self.env.cr.execute(
            "UPDATE afterschool_attendance SET billed_periods = 2 WHERE id = %s",
            [line.id],
        )
        line.invalidate_recordset(["billed_periods"])
        self.env.add_to_compute(line._fields["periods_to_invoice"], line)
        self.env.add_to_compute(line._fields["billing_state"], line)
        self.assertEqual(
            (line.periods_to_invoice, line.billing_state), (-2, "to_correct")
        )
        credit_note = self.run_invoicing(
            date(2026, 11, 1), date(2026, 11, 30)
        ).invoice_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(credit_note.ref, "Correction of earlier after-school invoices")
        self.assertEqual(
            credit_note.invoice_line_ids.name,
            "Wang Hong – periods no longer due, November 2026 (Autumn Test Term: Reading Room)",
        )
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "afterschool_service")]
        )._update_translations("zh_CN")
        name = _BillingTexts(self.env(context={"lang": "zh_CN"})).line_name(
            student,
            self.term,
            self.reading,
            date(2026, 11, 1),
            self.env["account.move"],
            credit=True,
        )
        self.assertNotIn("False", name)
        self.assertNotIn("原发票", name)


@tagged("post_install", "-at_install", "afterschool")
class TestPortalLeaveMessages(HttpCase, EnrolmentCase):
    """The portal answers what is wrong: the dates when they are not dates, the reason when it cannot be stored."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.parent = new_test_user(
            cls.env,
            "as_leave_parent",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.student.guardian_ids = cls.parent.partner_id

    def post_leave(self, **data):
        return self.url_open(
            f"/my/afterschool/student/{self.student.id}/leave",
            data=dict(data, csrf_token=http.Request.csrf_token(self)),
            allow_redirects=False,
        )

    @mute_logger("odoo.http")
    def test_leave_reason_with_a_nul_byte(self):
        self.authenticate("as_leave_parent", "as_leave_parent")
        day = str(school_today() + timedelta(days=1))
        response = self.post_leave(date_from=day, reason="Sick\x00")
        self.assertEqual(response.status_code, 200)
        self.assertIn("contains a character that cannot be stored (NUL)", response.text)
        self.assertNotIn("Give the dates of the leave", response.text)
        response = self.post_leave(date_from="tomorrow", reason="Sick")
        self.assertIn("Give the dates of the leave", response.text)
        self.assertFalse(
            self.env["afterschool.leave"].search([("student_id", "=", self.student.id)])
        )
