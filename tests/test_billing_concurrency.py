import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import date, datetime, timedelta

import psycopg2.errors

from odoo import SUPERUSER_ID, Command, api
from odoo.exceptions import UserError
from odoo.tools import mute_logger

from .common import AfterschoolCase, one_window_term

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


class TestBillingConcurrency(AfterschoolCase):
    """Two runs at the same time (two workers, two accountants) bill every period once.

    Like two Odoo workers, each run has its own database connection, so the school's data is
    committed first (in the main company, which has a chart of accounts) and removed afterwards.
    """

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True}
            )
            company = env.ref("base.main_company")
            term = env["afterschool.term"].create(
                {
                    "name": "Concurrency Test Term",
                    "company_id": company.id,
                    **one_window_term(),
                }
            )
            group = env["afterschool.activity.group"].create(
                {"name": "Concurrency Reading Room", "term_id": term.id}
            )
            guardians = env["res.partner"].create(
                [{"name": "Concurrent Guardian %s" % n} for n in range(3)]
            )
            students = env["res.partner"].create(
                [
                    {
                        "name": "Concurrent Child %s" % n,
                        "is_student": True,
                        "guardian_ids": [Command.set(guardian.ids)],
                    }
                    for n, guardian in enumerate(guardians)
                ]
            )
            for day in (date(2026, 11, 3), date(2026, 11, 4)):
                start = datetime.combine(day, datetime.min.time()) + timedelta(
                    hours=8, minutes=30
                )
                session = env["afterschool.session"].create(
                    {
                        "group_id": group.id,
                        "date": day,
                        "start": start,
                        "stop": start + timedelta(hours=1),
                        "periods": 2,
                    }
                )
                env["afterschool.attendance"].create(
                    [
                        {
                            "session_id": session.id,
                            "student_id": student.id,
                            "state": "present",
                        }
                        for student in students
                    ]
                )
            self.company_id, self.term_id, self.guardian_ids = (
                company.id,
                term.id,
                guardians.ids,
            )
            self.student_ids = students.ids
            self.job_id = company.afterschool_invoice_cron_id.id
            self.started = (
                cr.now()
            )  # the test's clock (PostgreSQL's now() is the real one)
        self.addCleanup(self.remove_data)

    def remove_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env["account.move"].search(
                [("partner_id", "in", self.guardian_ids)]
            ).unlink()
            term = env["afterschool.term"].browse(self.term_id)
            env["afterschool.invoice.run"].search(
                [("company_id", "=", self.company_id), ("date_from", "=", NOVEMBER[0])]
            ).unlink()
            env["ir.cron.trigger"].search(
                [("create_date", ">=", self.started), ("cron_id", "=", self.job_id)]
            ).unlink()
            env["afterschool.attendance"].search([("term_id", "=", term.id)]).unlink()
            term.group_ids.session_ids.unlink()
            term.group_ids.unlink()
            term.unlink()
            env["res.partner"].browse(self.student_ids + self.guardian_ids).unlink()

    def create_invoices(self, cr):
        """An accountant's run in the transaction of ``cr`` (failing rather than waiting on a lock)."""
        cr.execute("SET LOCAL lock_timeout = '5s'")
        env = api.Environment(
            cr, SUPERUSER_ID, {"allowed_company_ids": [self.company_id]}
        )
        action = (
            env["afterschool.invoice.wizard"]
            .create(
                {
                    "company_id": self.company_id,
                    "date_from": NOVEMBER[0],
                    "date_to": NOVEMBER[1],
                }
            )
            .action_create_invoices()
        )
        return env["afterschool.invoice.run"].browse(action["res_id"])

    def assertBilledOnce(self):
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            invoices = env["account.move"].search(
                [("partner_id", "in", self.guardian_ids)]
            )
            self.assertEqual(len(invoices), 3)
            self.assertEqual(sorted(invoices.partner_id.ids), sorted(self.guardian_ids))
            self.assertEqual(invoices.invoice_line_ids.mapped("quantity"), [4.0] * 3)
            attendance = env["afterschool.attendance"].search(
                [("term_id", "=", self.term_id)]
            )
            self.assertEqual(attendance.mapped("billed_periods"), [2] * 6)
            self.assertEqual(len(attendance.billing_entry_ids), 6)

    def test_a_second_run_during_the_first_creates_nothing(self):
        with (
            closing(self.registry.cursor()) as cr1,
            closing(self.registry.cursor()) as cr2,
        ):
            self.assertEqual(self.create_invoices(cr1).invoice_count, 3)
            # the first run is not committed yet: the second is turned away
            with self.assertRaisesMessage(UserError, "being created by another run"):
                self.create_invoices(cr2)
            cr2.rollback()
            cr1.commit()
            # once the first is committed, the second finds everything invoiced
            self.assertEqual(self.create_invoices(cr2).invoice_count, 0)
            cr2.commit()
        self.assertBilledOnce()

    @mute_logger("odoo.sql_db")
    def test_a_run_that_started_before_the_other_committed_is_refused(self):
        with (
            closing(self.registry.cursor()) as cr1,
            closing(self.registry.cursor()) as cr2,
        ):
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            # the second transaction starts now: in its snapshot nothing is invoiced
            self.assertEqual(
                env2["afterschool.attendance"].search_count(
                    [
                        ("term_id", "=", self.term_id),
                        ("billing_state", "=", "to_invoice"),
                    ]
                ),
                6,
            )
            self.create_invoices(cr1)
            cr1.commit()
            with self.assertRaises(psycopg2.errors.SerializationFailure):
                self.create_invoices(cr2)
            cr2.rollback()  # Odoo retries such a request; the retry finds nothing to invoice
            self.assertEqual(self.create_invoices(cr2).invoice_count, 0)
            cr2.commit()
        self.assertBilledOnce()

    @mute_logger("odoo.sql_db")
    def test_two_workers_at_the_same_moment(self):
        barrier = threading.Barrier(2)

        def worker():
            with closing(self.registry.cursor()) as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["res.partner"].browse(self.guardian_ids).mapped(
                    "name"
                )  # start the transaction
                barrier.wait(timeout=10)
                try:
                    invoice_count = self.create_invoices(cr).invoice_count
                except (
                    UserError,
                    psycopg2.errors.SerializationFailure,
                    psycopg2.errors.LockNotAvailable,
                ) as error:
                    cr.rollback()
                    return type(error).__name__
                # Two real transactions must race: each worker owns its cursor.
                cr.commit()  # pylint: disable=invalid-commit
                return invoice_count

        with ThreadPoolExecutor(max_workers=2) as executor:
            results = [
                future.result(timeout=60)
                for future in [executor.submit(worker), executor.submit(worker)]
            ]
        self.assertIn(3, results)
        self.assertEqual(len([result for result in results if result == 3]), 1, results)
        self.assertBilledOnce()

    def test_two_cron_workers_on_one_school(self):
        """Two workers running the school's job at once (its scheduled action duplicated, or run by
        hand while the scheduler runs it): the school's lock lets one invoice, the other comes back
        later and finds the month done."""
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            run = env["afterschool.invoice.run"].create(
                {
                    "company_id": self.company_id,
                    "date_from": NOVEMBER[0],
                    "date_to": NOVEMBER[1],
                    "origin": "cron",
                }
            )
            cr.commit()  # pylint: disable=invalid-commit
        with (
            closing(self.registry.cursor()) as cr1,
            closing(self.registry.cursor()) as cr2,
        ):
            env1 = api.Environment(cr1, SUPERUSER_ID, {})
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            env1["afterschool.invoice.run"]._cron_invoice_school(self.company_id)
            # the first worker has not committed: the second invoices nothing and comes back later
            __, progress = env2["ir.cron"].browse(self.job_id)._add_progress()
            env2["afterschool.invoice.run"].with_context(
                ir_cron_progress_id=progress.id
            )._cron_invoice_school(self.company_id)
            # not called again at once: its trigger brings it back
            self.assertEqual((progress.done, progress.remaining), (0, 0))
            self.assertEqual(
                env2["ir.cron.trigger"].search_count(
                    [("cron_id", "=", self.job_id), ("call_at", ">", self.started)]
                ),
                1,
            )
            self.assertFalse(
                env2["account.move"].search([("partner_id", "in", self.guardian_ids)])
            )
            cr2.commit()
            cr1.commit()
        with closing(self.registry.cursor()) as cr3:
            # the second worker's next call, once the first committed: nothing left to do
            env3 = api.Environment(cr3, SUPERUSER_ID, {})
            env3["afterschool.invoice.run"]._cron_invoice_school(self.company_id)
            run = env3["afterschool.invoice.run"].browse(run.id)
            self.assertEqual((run.state, run.invoice_count), ("done", 3))
            cr3.commit()
        self.assertBilledOnce()
