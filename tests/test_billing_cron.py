from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError

from .common import BillingCase, keep_other_schools_out


class TestBillingCron(BillingCase):
    """The scheduled run invoices the previous month in batches, committing after each one."""

    clock = "2026-12-02 02:00:00"  # 10:00 on 2 December in Shanghai

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every school is invoiced: the demo schools' November stays out of these counts
        keep_other_schools_out(cls, date(2026, 11, 1), date(2026, 11, 30))
        cls.guardians = (
            cls.create_guardian("Chen Jing")
            | cls.create_guardian("Liu Yang")
            | cls.create_guardian("Huang Min")
        )
        cls.students = cls.env["res.partner"].concat(
            *(
                cls.create_student("Child of %s" % guardian.name, guardian)
                for guardian in cls.guardians
            )
        )
        everyone = dict.fromkeys(cls.students, "present")
        cls.november = cls.attend(
            cls.reading, date(2026, 11, 24), everyone
        ) | cls.attend(cls.chess, date(2026, 11, 25), everyone)
        cls.december = cls.attend(cls.reading, date(2026, 12, 1), everyone)

    def run_cron(self, **kwargs):
        """The monthly dispatch, then one call of the school's own job as the scheduler makes it;
        returns the job's progress."""
        self.env["afterschool.invoice.run"]._cron_invoice_previous_month()
        cron, progress = self.company.afterschool_invoice_cron_id._add_progress()
        self.env["afterschool.invoice.run"].with_context(
            ir_cron_progress_id=progress.id
        )._cron_invoice_school(self.company.id, **kwargs)
        return progress

    def run_cron_until_it_fails(self, **kwargs):
        """A call that fails part-way. Unlike assertRaises, no savepoint around the call: what its
        batches did before the failure stays, as their commits keep it in production."""
        try:
            self.run_cron(**kwargs)
        except UserError as error:
            return error
        self.fail("the scheduled run should have failed")

    def invoices(self):
        return self.env["account.move"].search(
            [("partner_id", "in", self.guardians.ids)]
        )

    def test_previous_month_in_batches_over_several_calls(self):
        progress = self.run_cron(batch_size=1, max_batches=2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        run = self.env["afterschool.invoice.run"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertRecordValues(
            run,
            [
                {
                    "origin": "cron",
                    "state": "running",
                    "date_from": date(2026, 11, 1),
                    "date_to": date(2026, 11, 30),
                    "invoice_count": 2,
                }
            ],
        )
        progress = self.run_cron(batch_size=1, max_batches=2)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(
            self.env["afterschool.invoice.run"].search(
                [("company_id", "=", self.company.id)]
            ),
            run,
        )
        run.invalidate_recordset()
        self.assertRecordValues(
            run,
            [
                {
                    "state": "done",
                    "invoice_count": 3,
                    "attendance_count": 6,
                    "period_count": 12,
                }
            ],
        )
        self.assertEqual(self.invoices().partner_id, self.guardians)
        self.assertEqual(set(self.invoices().mapped("amount_total")), {14.0})
        self.assertFalse(
            self.invoices().invoice_user_id, "no salesperson on scheduled invoices"
        )
        # nothing more for November; December waits for January
        progress = self.run_cron()
        self.assertEqual((progress.done, progress.remaining), (0, 0))
        self.assertEqual(
            len(
                self.env["afterschool.invoice.run"].search(
                    [("company_id", "=", self.company.id)]
                )
            ),
            1,
        )
        self.assertEqual(
            set(self.december.attendance_ids.mapped("billing_state")), {"to_invoice"}
        )

    def test_crash_after_the_first_batch_loses_only_that_batch(self):
        other_school = self._create_company(
            name="Other School", currency_id=self.env.ref("base.CNY").id
        )
        first, second, third = self.guardians.sorted("id")
        second.company_id = (
            other_school  # a data error: this guardian belongs to another school
        )
        self.assertIn(
            "Incompatible companies", str(self.run_cron_until_it_fails(batch_size=1))
        )
        # the first batch is kept (committed in production); the failed batch left nothing behind
        self.assertEqual(self.invoices().partner_id, first)
        run = self.env["afterschool.invoice.run"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            (run.state, run.invoice_count, run.attendance_count), ("running", 1, 2)
        )
        unbilled = self.november.attendance_ids.filtered(
            lambda a: a.student_id.invoice_guardian_id != first
        )
        self.assertEqual(set(unbilled.mapped("billing_state")), {"to_invoice"})
        self.assertFalse(unbilled.invoice_line_id)
        self.assertFalse(unbilled.billing_entry_ids)
        self.assertFalse(
            self.env["account.move.line"].search(
                [("afterschool_student_id", "in", unbilled.student_id.ids)]
            )
        )

        # once the data is fixed, the next call completes the same run
        second.company_id = False
        progress = self.run_cron(batch_size=1)
        self.assertEqual((progress.done, progress.remaining), (2, 0))
        run.invalidate_recordset()
        self.assertEqual(
            (run.state, run.invoice_count, run.attendance_count), ("done", 3, 6)
        )
        self.assertEqual(len(self.invoices()), 3)
        self.assertEqual(self.invoices().partner_id, self.guardians)

    def test_an_interrupted_run_is_completed_the_month_after(self):
        first, second, __ = self.guardians.sorted("id")
        second.company_id = self._create_company(
            name="Other School", currency_id=self.env.ref("base.CNY").id
        )
        self.run_cron_until_it_fails(batch_size=1)
        november = self.env["afterschool.invoice.run"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual((november.state, november.invoice_count), ("running", 1))
        second.company_id = False
        with freeze_time("2027-01-02 02:00:00"):
            self.run_cron()
        runs = self.env["afterschool.invoice.run"].search(
            [("company_id", "=", self.company.id)], order="date_from"
        )
        runs.invalidate_recordset()
        self.assertEqual(
            runs.mapped("date_from"), [date(2026, 11, 1), date(2026, 12, 1)]
        )
        self.assertEqual(runs.mapped("state"), ["done", "done"])
        self.assertEqual(runs.mapped("invoice_count"), [3, 3])
        self.assertEqual(
            runs[1].invoice_ids.invoice_line_ids.mapped("quantity"), [2.0] * 3
        )
