from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from .common import BillingCase, one_window_term

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


class TestBillingSchools(BillingCase):
    """Each school invoices its own attendance only, in its own books."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school_b = cls._create_company(
            name="Second Primary School", currency_id=cls.env.ref("base.CNY").id
        )
        cls.school_b.afterschool_period_rate = 4.0
        cls.accountant_b = new_test_user(
            cls.env,
            "as_accountant_b",
            groups="account.group_account_invoice",
            company_id=cls.school_b.id,
            company_ids=[Command.set(cls.school_b.ids)],
        )
        cls.term_b = cls.env["afterschool.term"].create(
            {
                "name": "Autumn Term B",
                "company_id": cls.school_b.id,
                **one_window_term(),
            }
        )
        cls.club_b = cls.create_group(cls.term_b, "Football Club")
        # a family with one child in each school
        cls.zhou = cls.create_guardian("Zhou Mei")
        cls.an = cls.create_student("Zhou An", cls.zhou)
        cls.bo = cls.create_student("Zhou Bo", cls.zhou, class_id=False)
        cls.attend(cls.reading, date(2026, 11, 3), {cls.an: "present"})
        cls.session_b = cls.attend(cls.club_b, date(2026, 11, 3), {cls.bo: "present"})

    def test_a_schools_run_never_touches_another_school(self):
        run = self.run_invoicing(*NOVEMBER)
        self.assertRecordValues(
            run.invoice_ids,
            [
                {
                    "company_id": self.company.id,
                    "partner_id": self.zhou.id,
                    "amount_total": 7.0,
                }
            ],
        )
        self.assertEqual(
            run.invoice_ids.invoice_line_ids.afterschool_student_id, self.an
        )
        self.assertEqual(self.session_b.attendance_ids.billing_state, "to_invoice")
        self.assertFalse(
            self.env["account.move"].search([("company_id", "=", self.school_b.id)])
        )
        # each accountant sees their school's runs and periods to invoice only
        self.assertEqual(
            self.env["afterschool.invoice.run"].with_user(self.accountant_b).search([]),
            self.env["afterschool.invoice.run"],
        )
        self.assertEqual(
            self.env["afterschool.invoice.due"]
            .with_user(self.accountant_b)
            .search([])
            .student_id,
            self.bo,
        )

        run_b = self.run_invoicing(
            *NOVEMBER, user=self.accountant_b, company=self.school_b
        )
        self.assertRecordValues(
            run_b.invoice_ids,
            [
                {
                    "company_id": self.school_b.id,
                    "partner_id": self.zhou.id,
                    "amount_total": 8.0,
                    "journal_id": self.env["account.journal"]
                    .search(
                        [("company_id", "=", self.school_b.id), ("type", "=", "sale")],
                        limit=1,
                    )
                    .id,
                }
            ],
        )
        run_b.invoice_ids.with_user(self.accountant_b).action_post()
        receivable = run_b.invoice_ids.line_ids.filtered(
            lambda line: line.display_type == "payment_term"
        )
        self.assertEqual(receivable.account_id.company_ids, self.school_b)

    @freeze_time("2026-12-02 02:00:00")
    def test_the_scheduled_run_invoices_each_school_apart(self):
        Run = self.env["afterschool.invoice.run"]
        Run._cron_invoice_previous_month()  # the dispatch, then each school's job
        Run._cron_invoice_school(self.company.id)
        Run._cron_invoice_school(self.school_b.id)
        runs = self.env["afterschool.invoice.run"].search(
            [("company_id", "in", (self.company | self.school_b).ids)]
        )
        self.assertEqual(runs.company_id, self.company | self.school_b)
        self.assertEqual(set(runs.mapped("state")), {"done"})
        for run in runs:
            self.assertEqual(run.invoice_ids.company_id, run.company_id)
        self.assertEqual(sorted(runs.invoice_ids.mapped("amount_total")), [7.0, 8.0])
