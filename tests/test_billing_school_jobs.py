from datetime import date

from odoo.exceptions import AccessError, UserError

from .common import BillingCase, keep_other_schools_out


class TestBillingSchoolJobs(BillingCase):
    """Each school has its own invoicing job, woken by the monthly dispatch: Odoo runs one scheduled
    action in one worker at a time, so with several cron workers several schools are invoiced at once."""

    clock = "2026-12-02 02:00:00"  # 10:00 on 2 December in Shanghai

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # every school is invoiced: the demo schools' November stays out of these counts
        keep_other_schools_out(cls, date(2026, 11, 1), date(2026, 11, 30))
        cls.school_b = cls._create_company(
            name="Second Primary School", currency_id=cls.env.ref("base.CNY").id
        )
        cls.term_b = cls.create_term(name="Autumn Term B", company_id=cls.school_b.id)
        cls.club_b = cls.create_group(cls.term_b, "Football Club")
        cls.quiet_school = cls._create_company(
            name="School Without Service", currency_id=cls.env.ref("base.CNY").id
        )
        cls.guardians = cls.create_guardian("Chen Jing") | cls.create_guardian(
            "Liu Yang"
        )
        cls.students_a = cls.env["res.partner"].concat(
            *(cls.create_student("A of %s" % g.name, g) for g in cls.guardians)
        )
        cls.students_b = cls.env["res.partner"].concat(
            *(
                cls.create_student("B of %s" % g.name, g, class_id=False)
                for g in cls.guardians
            )
        )
        cls.attend(
            cls.reading, date(2026, 11, 24), dict.fromkeys(cls.students_a, "present")
        )
        cls.attend(
            cls.club_b, date(2026, 11, 24), dict.fromkeys(cls.students_b, "present")
        )
        cls.Run = cls.env["afterschool.invoice.run"]

    def job(self, company):
        return company.afterschool_invoice_cron_id

    def triggered(self, company):
        return self.env["ir.cron.trigger"].search(
            [("cron_id", "=", self.job(company).id)]
        )

    def runs(self, company):
        return self.Run.search([("company_id", "=", company.id)])

    def test_every_school_has_its_own_job(self):
        schools = self.company | self.school_b | self.quiet_school
        jobs = schools.afterschool_invoice_cron_id
        self.assertEqual(len(jobs), 3, "one job per school")
        for school in schools:
            self.assertRecordValues(
                self.job(school),
                [
                    {
                        "active": True,
                        "model_id": self.env["ir.model"]._get_id(
                            "afterschool.invoice.run"
                        ),
                        "code": "model._cron_invoice_school(%d)" % school.id,
                        "user_id": self.env.ref("base.user_root").id,
                        "name": "After-School Service: invoice %s" % school.name,
                    }
                ],
            )
        # the schools installed before the addon got theirs too
        self.assertTrue(self.env.ref("base.main_company").afterschool_invoice_cron_id)
        self.assertNotIn(
            self.env.ref("afterschool_service.ir_cron_afterschool_invoice"), jobs
        )

    def test_a_new_school_gets_its_job_and_its_name(self):
        school = self.env["res.company"].create({"name": "New Primary School"})
        job = self.job(school)
        self.assertEqual(job.code, "model._cron_invoice_school(%d)" % school.id)
        school.name = "Renamed Primary School"
        self.assertEqual(
            job.name, "After-School Service: invoice Renamed Primary School"
        )
        # an administrator deleted it: the upgrade (or the next dispatch) gives it back
        job.unlink()
        self.assertFalse(self.job(school))
        self.env["res.company"]._afterschool_create_invoice_jobs()
        self.assertTrue(self.job(school))
        self.assertNotEqual(self.job(school), job)

    def test_the_dispatch_opens_the_runs_and_wakes_each_school(self):
        self.Run._cron_invoice_previous_month()
        for school in (self.company, self.school_b):
            self.assertRecordValues(
                self.runs(school),
                [
                    {
                        "origin": "cron",
                        "state": "running",
                        "date_from": date(2026, 11, 1),
                        "invoice_count": 0,
                    }
                ],
            )
            self.assertEqual(len(self.triggered(school)), 1, school.name)
        # nothing to invoice, nothing woken
        self.assertFalse(self.runs(self.quiet_school))
        self.assertFalse(self.triggered(self.quiet_school))
        # a second dispatch (run by hand) opens nothing more
        self.Run._cron_invoice_previous_month()
        self.assertEqual(len(self.runs(self.company)), 1)

    def test_each_school_is_invoiced_once_by_its_own_job(self):
        self.Run._cron_invoice_previous_month()
        # a school's job invoices that school only, in its own company
        self.Run._cron_invoice_school(self.school_b.id)
        run_b = self.runs(self.school_b)
        self.assertEqual((run_b.state, run_b.invoice_count), ("done", 2))
        self.assertEqual(run_b.invoice_ids.company_id, self.school_b)
        self.assertEqual(run_b.invoice_ids.journal_id.company_id, self.school_b)
        self.assertEqual(
            run_b.invoice_ids.invoice_line_ids.afterschool_student_id, self.students_b
        )
        self.assertEqual(self.runs(self.company).state, "running")
        self.assertFalse(self.runs(self.company).invoice_ids)

        self.Run._cron_invoice_school(self.company.id)
        run_a = self.runs(self.company)
        self.assertEqual((run_a.state, run_a.invoice_count), ("done", 2))
        self.assertEqual(run_a.invoice_ids.company_id, self.company)

        # jobs run again (a late trigger, a second worker), a second dispatch: nothing more
        self.Run._cron_invoice_school(self.company.id)
        self.Run._cron_invoice_school(self.school_b.id)
        self.Run._cron_invoice_previous_month()
        invoices = self.env["account.move"].search(
            [("partner_id", "in", self.guardians.ids)]
        )
        self.assertEqual(len(invoices), 4)
        self.assertEqual(
            sorted(invoices.invoice_line_ids.afterschool_student_id.ids),
            sorted((self.students_a | self.students_b).ids),
        )
        self.assertEqual(
            (self.runs(self.company) | self.runs(self.school_b)).mapped("state"),
            ["done", "done"],
        )

    def test_a_job_that_runs_on_its_own_opens_nothing(self):
        self.Run._cron_invoice_school(self.company.id)
        self.assertFalse(self.runs(self.company))
        self.Run._cron_invoice_school(self.quiet_school.id)
        self.assertFalse(self.runs(self.quiet_school))

    def test_a_failing_school_stops_no_other(self):
        # a data error in the first school: a guardian belongs to another school
        broken = self.create_guardian("Wrong Company", company_id=self.quiet_school.id)
        child = self.create_student("Child of a wrong company", broken)
        self.attend(self.chess, date(2026, 11, 25), {child: "present"})
        self.Run._cron_invoice_previous_month()
        with self.assertRaisesMessage(UserError, "Incompatible companies"):
            self.Run._cron_invoice_school(self.company.id, batch_size=1)
        # the other school's job runs as usual (in production: another worker, another transaction)
        self.Run._cron_invoice_school(self.school_b.id)
        run_b = self.runs(self.school_b)
        self.assertEqual((run_b.state, run_b.invoice_count), ("done", 2))
        self.assertEqual(self.runs(self.company).state, "running")

    def test_an_archived_job_is_not_woken(self):
        self.job(self.school_b).active = False
        self.Run._cron_invoice_previous_month()
        self.assertFalse(self.triggered(self.school_b))
        self.assertEqual(len(self.triggered(self.company)), 1)
        self.assertEqual(self.runs(self.school_b).state, "running")

    def test_only_administrators_see_the_jobs(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.accountant).read(
                ["afterschool_invoice_cron_id"]
            )
        with self.assertRaises(AccessError):
            self.company.with_user(self.accountant).write(
                {"afterschool_invoice_cron_id": False}
            )
