from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form

from .common import BillingCase, school_today

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


class TestBillingRun(BillingCase):
    """The monthly run: one invoice per invoice guardian, one line per child, periods attended."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wang = cls.create_guardian("Wang Fang")
        cls.li = cls.create_guardian("Li Na")
        cls.zhao = cls.create_guardian("Zhao Lei")
        cls.ming = cls.create_student("Wang Ming", cls.wang)
        cls.hong = cls.create_student("Wang Hong", cls.wang)
        cls.jie = cls.create_student("Li Jie", cls.li, waiver=50.0)
        cls.yu = cls.create_student("Zhao Yu", cls.zhao, waiver=100.0)
        everyone_present = dict.fromkeys(
            cls.ming | cls.hong | cls.jie | cls.yu, "present"
        )
        cls.sessions = (
            cls.attend(cls.reading, date(2026, 11, 3), everyone_present)
            | cls.attend(
                cls.reading,
                date(2026, 11, 4),
                {**everyone_present, cls.hong: "absent", cls.jie: "excused"},
            )
            | cls.attend(
                cls.chess, date(2026, 11, 5), {cls.ming: "present", cls.jie: "present"}
            )
            # October and December are other months
            | cls.attend(cls.reading, date(2026, 10, 27), everyone_present)
            | cls.attend(cls.reading, date(2026, 12, 1), everyone_present)
        )

    def invoice_of(self, guardian):
        return self.env["account.move"].search(
            [("partner_id", "=", guardian.id), ("move_type", "=", "out_invoice")]
        )

    def test_invoice_per_guardian_with_a_line_per_child(self):
        run = self.run_invoicing(*NOVEMBER)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.invoice_count, 3)
        invoice = self.invoice_of(self.wang)
        self.assertEqual(len(invoice), 1)
        self.assertRecordValues(
            invoice,
            [
                {
                    "state": "draft",
                    "company_id": self.company.id,
                    "currency_id": self.env.ref("base.CNY").id,
                    "invoice_date": date(2026, 11, 30),
                    "journal_id": self.company_data["default_journal_sale"].id,
                    "afterschool_run_id": run.id,
                    "amount_total": 28.0,
                    "invoice_user_id": self.accountant.id,
                }
            ],
        )
        # two children, one invoice, one line each: quantity = periods attended in November
        self.assertRecordValues(
            invoice.invoice_line_ids.sorted("sequence"),
            [
                {
                    "afterschool_student_id": self.hong.id,
                    "product_id": self.period_product.id,
                    "quantity": 2.0,
                    "price_unit": 3.5,
                    "discount": 0.0,
                    "price_subtotal": 7.0,
                    "account_id": self.company_data["default_account_revenue"].id,
                    "tax_ids": [],
                },
                {
                    "afterschool_student_id": self.ming.id,
                    "product_id": self.period_product.id,
                    "quantity": 6.0,
                    "price_unit": 3.5,
                    "discount": 0.0,
                    "price_subtotal": 21.0,
                    "account_id": self.company_data["default_account_revenue"].id,
                    "tax_ids": [],
                },
            ],
        )
        hong_line, ming_line = invoice.invoice_line_ids.sorted("sequence")
        self.assertEqual(
            ming_line.name,
            "Wang Ming – after-school service, November 2026 (Autumn Test Term: Chess Club and Reading Room)",
        )
        self.assertEqual(
            hong_line.name,
            "Wang Hong – after-school service, November 2026 (Autumn Test Term: Reading Room)",
        )
        self.assertEqual(
            invoice.payment_reference,
            "After-school service November 2026: Wang Hong and Wang Ming",
        )
        self.assertIn(
            "November 2026 for Wang Hong and Wang Ming", str(invoice.narration)
        )
        self.assertEqual(invoice.invoice_origin, "After-school service November 2026")
        # every present attendance of November links to the line that billed it; nothing else does
        november = self.sessions.filtered(lambda s: s.date.month == 11).attendance_ids
        for attendance in november:
            billed = attendance.state == "present"
            self.assertEqual(attendance.billing_state, "invoiced" if billed else "none")
            self.assertEqual(attendance.billed_periods, 2 if billed else 0)
            self.assertEqual(bool(attendance.invoice_line_id), billed)
            if billed:
                self.assertEqual(
                    attendance.invoice_line_id.afterschool_student_id,
                    attendance.student_id,
                )
        self.assertEqual(
            ming_line,
            november.filtered(lambda a: a.student_id == self.ming).invoice_line_id,
        )
        other_months = self.sessions.filtered(
            lambda s: s.date.month != 11
        ).attendance_ids
        self.assertEqual(set(other_months.mapped("billing_state")), {"to_invoice"})
        self.assertEqual((run.attendance_count, run.period_count), (8, 16))
        # the accountant's invoice form shows the run and the attendance billed
        form = Form(invoice.with_user(self.accountant))
        self.assertEqual(
            (form.afterschool_run_id, form.afterschool_entry_count), (run, 4)
        )
        self.assertEqual(
            invoice.action_view_afterschool_entries()["domain"],
            [("move_id", "=", invoice.id)],
        )

    def test_waivers_discount_the_line(self):
        self.run_invoicing(*NOVEMBER)
        half = self.invoice_of(self.li)
        self.assertRecordValues(
            half.invoice_line_ids,
            [
                {
                    "afterschool_student_id": self.jie.id,
                    "quantity": 4.0,
                    "price_unit": 3.5,
                    "discount": 50.0,
                    "price_subtotal": 7.0,
                }
            ],
        )
        self.assertEqual(half.amount_total, 7.0)
        full = self.invoice_of(self.zhao)
        self.assertRecordValues(
            full.invoice_line_ids,
            [
                {
                    "afterschool_student_id": self.yu.id,
                    "quantity": 4.0,
                    "price_unit": 3.5,
                    "discount": 100.0,
                    "price_subtotal": 0.0,
                }
            ],
        )
        self.assertEqual(full.amount_total, 0.0)

    def test_running_again_creates_nothing(self):
        first = self.run_invoicing(*NOVEMBER)
        moves = self.env["account.move"].search([("afterschool_run_id", "!=", False)])
        second = self.run_invoicing(*NOVEMBER)
        self.assertEqual(
            (
                second.state,
                second.invoice_count,
                second.credit_note_count,
                second.attendance_count,
            ),
            ("done", 0, 0, 0),
        )
        self.assertEqual(
            self.env["account.move"].search([("afterschool_run_id", "!=", False)]),
            moves,
        )
        self.assertEqual(first.invoice_count, 3)
        # December is a new month: it is invoiced without touching November's lines
        december = self.run_invoicing(date(2026, 12, 1), date(2026, 12, 31))
        self.assertEqual(december.invoice_count, 3)
        self.assertEqual(
            december.invoice_ids.invoice_line_ids.mapped("quantity"), [2.0] * 4
        )

    def test_two_terms_are_separate_lines(self):
        holiday = self.create_term(
            name="Winter Holiday Care",
            date_start=date(2026, 11, 16),
            date_end=date(2026, 11, 30),
            period_rate=5.0,
            window_ids=[
                Command.create(
                    {
                        "name": "Holiday",
                        "date_from": date(2026, 11, 16),
                        "date_to": date(2026, 11, 30),
                        "hour_from": 16.0,
                        "hour_to": 17.5,
                    }
                )
            ],
        )
        care = self.create_group(holiday, "Homework Room", kind="homework")
        self.attend(care, date(2026, 11, 17), {self.ming: "present"}, periods=3)
        self.run_invoicing(*NOVEMBER)
        ming_lines = self.invoice_of(self.wang).invoice_line_ids.filtered(
            lambda line: line.afterschool_student_id == self.ming
        )
        self.assertRecordValues(
            ming_lines.sorted("price_unit"),
            [
                {"quantity": 6.0, "price_unit": 3.5},
                {"quantity": 3.0, "price_unit": 5.0},
            ],
        )
        self.assertIn(
            "Winter Holiday Care: Homework Room",
            ming_lines.sorted("price_unit")[1].name,
        )

    def test_invoices_post_to_the_guardians_receivable(self):
        self.run_invoicing(*NOVEMBER)
        invoice = self.invoice_of(self.wang)
        invoice.with_user(self.accountant).action_post()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(invoice.name.startswith("INV/"))
        receivable = invoice.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertRecordValues(
            receivable,
            [
                {
                    "account_id": self.company_data["default_account_receivable"].id,
                    "partner_id": self.wang.id,
                    "debit": 28.0,
                    "credit": 0.0,
                    "amount_residual": 28.0,
                }
            ],
        )
        income = invoice.line_ids.filtered(lambda line: line.display_type == "product")
        self.assertEqual(sum(income.mapped("credit")), 28.0)
        self.assertEqual(set(income.account_id.mapped("account_type")), {"income"})
        # each child's share of what is owed, and their invoices
        self.assertEqual(self.ming.afterschool_amount_due, 21.0)
        self.assertEqual(self.hong.afterschool_amount_due, 7.0)
        self.assertEqual(self.ming.afterschool_invoice_ids, invoice)
        self.assertEqual(
            self.jie.afterschool_amount_due, 0.0, "a draft invoice is not due yet"
        )
        # a partial payment of the family is shared among the children in proportion
        self.env["account.payment.register"].with_user(self.accountant).with_context(
            active_model="account.move",
            active_ids=invoice.ids,
        ).create({"amount": 14.0, "payment_date": date(2026, 12, 5)})._create_payments()
        self.assertEqual(invoice.amount_residual, 14.0)
        (self.ming | self.hong).invalidate_recordset()
        self.assertEqual(self.ming.afterschool_amount_due, 10.5)
        # coordinators see what is owed, without access to the invoices
        self.assertEqual(self.hong.with_user(self.manager).afterschool_amount_due, 3.5)

    def test_taxes_are_set_per_school(self):
        tax = self.env["account.tax"].create(
            {
                "name": "School VAT 3%",
                "amount": 3.0,
                "type_tax_use": "sale",
                "company_id": self.company.id,
            }
        )
        other_school = self.setup_other_company(name="Other School")["company"]
        other_tax = self.env["account.tax"].create(
            {
                "name": "Other VAT",
                "amount": 6.0,
                "type_tax_use": "sale",
                "company_id": other_school.id,
            }
        )
        self.period_product.taxes_id = other_tax
        settings = Form(
            self.env["res.config.settings"].with_context(
                allowed_company_ids=self.company.ids
            )
        )
        self.assertFalse(settings.afterschool_tax_ids)
        self.assertEqual(settings.afterschool_period_rate, 3.5)
        settings.afterschool_tax_ids.add(tax)
        settings.save().execute()
        self.assertEqual(self.period_product.taxes_id, tax | other_tax)
        self.run_invoicing(*NOVEMBER)
        invoice = self.invoice_of(self.wang)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, tax)
        self.assertAlmostEqual(invoice.amount_total, 28.84)

    def test_analytic_distribution_models_still_apply(self):
        """The run skips Odoo's analytic lookup only where no model could apply: a school's model
        for the service still distributes its lines, and another school's model does not."""
        plan = self.env["account.analytic.plan"].create({"name": "Programmes"})
        account = self.env["account.analytic.account"].create(
            {"name": "After-school service", "plan_id": plan.id, "company_id": False}
        )
        other_school = self.setup_other_company(name="Other School")["company"]
        self.env["account.analytic.distribution.model"].create(
            {
                "company_id": other_school.id,
                "analytic_distribution": {str(account.id): 100},
            }
        )
        run = self.run_invoicing(*NOVEMBER)
        self.assertFalse(run._has_analytic_distribution_models())
        self.assertFalse(
            any(
                self.invoice_of(self.wang).invoice_line_ids.mapped(
                    "analytic_distribution"
                )
            )
        )
        run.invoice_ids.button_cancel()
        self.env["account.analytic.distribution.model"].create(
            {
                "company_id": self.company.id,
                "product_id": self.period_product.id,
                "analytic_distribution": {str(account.id): 100},
            }
        )
        rerun = self.run_invoicing(*NOVEMBER)
        self.assertTrue(rerun._has_analytic_distribution_models())
        lines = rerun.invoice_ids.invoice_line_ids
        self.assertTrue(lines)
        self.assertEqual(
            lines.mapped("analytic_distribution"),
            [{str(account.id): 100}] * len(lines),
        )

    def test_to_invoice_report(self):
        Due = self.env["afterschool.invoice.due"].with_user(self.accountant)
        rows = Due.search(
            [("guardian_id", "=", self.wang.id), ("month", "=", date(2026, 11, 1))]
        )
        self.assertRecordValues(
            rows.sorted(lambda r: r.student_id.name),
            [
                {
                    "student_id": self.hong.id,
                    "periods": 2,
                    "amount": 7.0,
                    "billing_state": "to_invoice",
                },
                {
                    "student_id": self.ming.id,
                    "periods": 6,
                    "amount": 21.0,
                    "billing_state": "to_invoice",
                },
            ],
        )
        self.assertEqual(
            Due.search(
                [("student_id", "=", self.jie.id), ("month", "=", date(2026, 11, 1))]
            ).amount,
            7.0,
        )
        self.run_invoicing(*NOVEMBER)
        self.assertFalse(Due.search([("month", "=", date(2026, 11, 1))]))
        self.assertEqual(len(Due.search([("month", "=", date(2026, 12, 1))])), 4)

    def test_wizard_defaults_to_the_previous_month(self):
        wizard = Form(self.env["afterschool.invoice.wizard"].with_user(self.accountant))
        today = school_today()
        first = today.replace(day=1)
        self.assertEqual(wizard.date_to, first.fromordinal(first.toordinal() - 1))
        self.assertEqual(wizard.date_from, wizard.date_to.replace(day=1))
        wizard.date_from, wizard.date_to = NOVEMBER
        self.assertEqual(wizard.guardian_count, 3)
        self.assertEqual(wizard.save().company_id, self.company)

    def test_only_accountants_run_it_and_only_for_their_school(self):
        with self.assertRaises(AccessError):
            self.run_invoicing(*NOVEMBER, user=self.manager)
        other_school = self.setup_other_company(name="Other School")["company"]
        with self.assertRaisesMessage(UserError, "not among your selected companies"):
            self.env["afterschool.invoice.wizard"].with_user(self.accountant).create(
                {
                    "company_id": other_school.id,
                    "date_from": NOVEMBER[0],
                    "date_to": NOVEMBER[1],
                }
            ).action_create_invoices()
        self.assertFalse(
            self.env["account.move"].search([("afterschool_run_id", "!=", False)])
        )
        # coordinators follow the runs and what is left to invoice
        run = self.run_invoicing(*NOVEMBER)
        self.assertEqual(run.with_user(self.manager).invoice_count, 3)
        self.assertTrue(
            self.env["afterschool.invoice.due"].with_user(self.manager).search([])
        )

    def test_student_without_invoice_guardian_is_reported(self):
        orphan = self.env["res.partner"].create(
            {"name": "Sun Xiao", "is_student": True, "class_id": self.klass.id}
        )
        self.attend(self.chess, date(2026, 11, 12), {orphan: "present"})
        run = self.run_invoicing(*NOVEMBER)
        self.assertEqual(run.invoice_count, 3)
        self.assertIn("Sun Xiao", run.note)

    def test_invoices_speak_the_guardians_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "afterschool_service")]
        )._update_translations("zh_CN")
        self.wang.lang = "zh_CN"
        self.run_invoicing(*NOVEMBER)
        invoice = self.invoice_of(self.wang)
        self.assertEqual(
            invoice.payment_reference, "课后服务 2026年11月：Wang Hong和Wang Ming"
        )
        self.assertEqual(
            invoice.invoice_line_ids.sorted("sequence")[0].name,
            "Wang Hong – 课后服务费，2026年11月（Autumn Test Term：Reading Room）",
        )
        self.assertEqual(
            self.invoice_of(self.li).payment_reference,
            "After-school service November 2026: Li Jie",
        )


class TestApplicationShowsInvoices(BillingCase):
    """The application form shows the student's after-school invoices and what is still due."""

    def test_application_invoices_and_amount_due(self):
        guardian = self.create_guardian("Li Na")
        student = self.create_student("Zhang Zihan", guardian)
        application = self.env["afterschool.application"].create(
            {
                "student_id": student.id,
                "guardian_id": guardian.id,
                "term_id": self.term.id,
            }
        )
        self.attend(self.reading, date(2026, 11, 3), {student: "present"})
        self.attend(self.reading, date(2026, 11, 4), {student: "present"})
        invoice = self.run_invoicing().invoice_ids
        invoice.action_post()
        self.env.invalidate_all()  # the invoice figures are computed, not stored
        application = application.with_user(self.accountant)
        self.assertEqual(application.student_invoice_ids, invoice)
        self.assertEqual(application.student_invoice_count, 1)
        self.assertAlmostEqual(application.student_amount_due, 14.0)
        action = application.action_view_invoices()
        self.assertEqual(self.env["account.move"].search(action["domain"]), invoice)
