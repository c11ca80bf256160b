import logging
import threading
from collections import defaultdict
from datetime import timedelta

import psycopg2
from babel.dates import format_skeleton
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL
from odoo.tools.i18n import format_list
from odoo.tools.misc import babel_locale_parse

BATCH_SIZE = 200  # guardians per batch: one account.move.create, one commit in the cron
CRON_BATCHES_PER_CALL = 5  # then the scheduler calls again for the rest
LOCK_BUSY_RETRY = timedelta(minutes=5)

_logger = logging.getLogger(__name__)


class AfterschoolInvoiceRun(models.Model):
    """One invoicing run of a school for a period: invoices the attendance not yet billed and
    settles the billed attendance that changed since. Its record is the run's result."""

    _name = "afterschool.invoice.run"
    _description = "After-School Invoicing Run"
    _order = "id desc"

    # ------------------------------------------------------------------ fields
    company_id = fields.Many2one(
        "res.company",
        string="School",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    date_from = fields.Date(string="From", required=True, readonly=True)
    date_to = fields.Date(string="To", required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Run By", readonly=True, default=lambda self: self.env.user
    )
    origin = fields.Selection(
        [("manual", "Accountant"), ("cron", "Scheduled")],
        required=True,
        readonly=True,
        default="manual",
    )
    state = fields.Selection(
        [("running", "Running"), ("done", "Done")],
        required=True,
        readonly=True,
        default="running",
        help="A scheduled run commits batch after batch; it stays Running until every guardian is done.",
    )
    date_done = fields.Datetime(string="Finished On", readonly=True)
    invoice_ids = fields.One2many(
        "account.move",
        "afterschool_run_id",
        string="Invoices and Credit Notes",
        readonly=True,
    )
    invoice_count = fields.Integer(compute="_compute_totals", string="Invoices")
    credit_note_count = fields.Integer(compute="_compute_totals", string="Credit Notes")
    amount_total = fields.Monetary(
        compute="_compute_totals", string="Total", currency_field="currency_id"
    )
    attendance_count = fields.Integer(
        string="Attendance Settled",
        readonly=True,
        help="Attendance lines invoiced or corrected by this run.",
    )
    period_count = fields.Integer(
        string="Periods", readonly=True, help="Periods invoiced less periods credited."
    )
    note = fields.Text(readonly=True)

    # ------------------------------------------------------------------ computes
    def _compute_totals(self):
        # sudo: coordinators follow the runs' results without access to the invoices themselves
        totals = {
            (run, move_type): (count, amount)
            for run, move_type, count, amount in self.env["account.move"]
            .sudo()
            ._read_group(
                [("afterschool_run_id", "in", self.ids), ("state", "!=", "cancel")],
                ["afterschool_run_id", "move_type"],
                ["__count", "amount_total_signed:sum"],
            )
        }
        for run in self:
            invoices = totals.get((run.sudo(), "out_invoice"), (0, 0.0))
            credit_notes = totals.get((run.sudo(), "out_refund"), (0, 0.0))
            run.invoice_count = invoices[0]
            run.credit_note_count = credit_notes[0]
            run.amount_total = invoices[1] + credit_notes[1]

    @api.depends("company_id", "date_from", "date_to")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for run in self:
            run.display_name = "%s: %s" % (
                run.company_id.name or "",
                run._get_period_label(),
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for run in self:
            if run.date_to < run.date_from:
                raise ValidationError(
                    self.env._("The invoicing period ends before it starts.")
                )

    # ------------------------------------------------------------------ actions
    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.account_move_afterschool_action"
        )
        action["domain"] = [("afterschool_run_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ business: running
    def _execute(self, batch_size=BATCH_SIZE):
        """Invoice the whole period in this transaction, batch after batch (an accountant's run)."""
        self.ensure_one()
        more, after_partner = True, 0
        while more:
            __, more, after_partner = self._invoice_next_batch(
                batch_size, after_partner
            )
        self._finish()

    @api.model
    def _cron_invoice_previous_month(self):
        """The monthly dispatch (the scheduled action "invoice the previous month"): opens each school's
        run of its previous month, keeps the runs a crash interrupted, and wakes each of those schools'
        own job (``_cron_invoice_school``).

        Odoo runs one scheduled action in one worker at a time; with a job per school, each free cron
        worker takes a school, so a district is invoiced in the time of its largest school. With one
        worker the schools are invoiced one after the other, as before.
        """
        runs = self._get_scheduled_runs()
        schools = runs.company_id
        for company in schools:
            job = company._afterschool_ensure_invoice_job()
            if not job.active:
                _logger.warning(
                    "Invoicing of %s not started: its scheduled action %s is archived",
                    company.name,
                    job.id,
                )
            job._trigger()
        self.env["ir.cron"]._notify_progress(done=len(schools), remaining=0)

    @api.model
    def _cron_invoice_school(
        self, company_id, batch_size=BATCH_SIZE, max_batches=CRON_BATCHES_PER_CALL
    ):
        """A school's job: carry on the school's scheduled runs, committing after each batch.

        Works in the school's company. Reports its progress to the scheduler, which calls again while
        guardians remain, so a large school finishes over several calls; a crash loses only the batch
        in progress, and a failing school stops no other (each has its job). Runs are opened by the
        monthly dispatch only: a job that runs on its own opens none.
        """
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        company = self.env["res.company"].browse(company_id).exists()
        runs = self.with_company(company).search(
            [
                ("origin", "=", "cron"),
                ("state", "=", "running"),
                ("company_id", "=", company.id),
            ],
            order="date_from, id",
        )
        remaining = {run: run._count_remaining() for run in runs}
        done = batches = 0
        busy = False
        for run in runs:
            after_partner = 0  # guardians are invoiced in id order: each batch starts after the last one
            while remaining[run] and batches < max_batches:
                if not run._try_lock_company():
                    busy = True
                    break
                processed, more, after_partner = run._invoice_next_batch(
                    batch_size, after_partner
                )
                # counted once per call, not per batch: the count reads the whole month
                remaining[run] = max(remaining[run] - processed, 1) if more else 0
                done += processed
                batches += 1
                if auto_commit:
                    self.env["ir.cron"]._notify_progress(
                        done=done, remaining=sum(remaining.values())
                    )
                    # Each batch is committed so that a long month is invoiced in
                    # steps the scheduler can resume (ir.cron's progress protocol).
                    # pylint: disable=invalid-commit
                    self.env.cr.commit()
            if busy:
                break
            if not remaining[run]:
                run._finish()
        if busy:
            # An accountant's run, or another copy of the job, is invoicing the school: come back in a
            # while (told "nothing remaining", the scheduler does not call again at once).
            company._afterschool_ensure_invoice_job()._trigger(
                fields.Datetime.now() + LOCK_BUSY_RETRY
            )
        self.env["ir.cron"]._notify_progress(
            done=done, remaining=0 if busy else sum(remaining.values())
        )

    @api.model
    def _get_scheduled_runs(self):
        """The scheduled runs to carry on: those a crash or the batch limit interrupted, oldest first,
        then a new run for each school with something to settle in its previous month."""
        runs = self.search(
            [("origin", "=", "cron"), ("state", "=", "running")], order="date_from, id"
        )
        self.env.flush_all()
        # one index probe per school, not a scan of all the attendance waiting to be billed
        self.env.cr.execute(
            SQL("""
            SELECT company.id FROM res_company company
             WHERE EXISTS (SELECT 1 FROM afterschool_attendance a
                            WHERE a.company_id = company.id AND a.billing_state = 'to_invoice')
                OR EXISTS (SELECT 1 FROM afterschool_attendance a
                            WHERE a.company_id = company.id AND a.billing_state = 'to_correct')
             ORDER BY company.id""")
        )
        for company in self.env["res.company"].browse(
            [row[0] for row in self.env.cr.fetchall()]
        ):
            date_from, date_to = self._get_previous_month(company)
            if any(
                run.company_id == company
                and run.date_from == date_from
                and run.date_to == date_to
                for run in runs
            ):
                continue
            values = {
                "company_id": company.id,
                "date_from": date_from,
                "date_to": date_to,
                "origin": "cron",
            }
            if self.new(values)._fetch_batch_partners(1)[0]:
                runs |= self.create(values)
        return runs

    @api.model
    def _get_previous_month(self, company):
        """First and last day of the month before today, in the school's timezone."""
        first_of_month = company._afterschool_today().replace(day=1)
        return first_of_month - relativedelta(months=1), first_of_month - relativedelta(
            days=1
        )

    def _finish(self):
        """Close the run and note the attendance it could not invoice."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT student.name FROM res_partner student WHERE student.id IN (%s UNION ALL %s)",
                self._to_invoice_sql(
                    SQL("a.student_id"), SQL("AND a.invoice_guardian_id IS NULL")
                ),
                self._to_correct_sql(
                    SQL("a.student_id"),
                    SQL(
                        "AND (a.periods_to_invoice > 0 OR billed_move.id IS NULL) AND a.invoice_guardian_id IS NULL"
                    ),
                ),
            )
        )
        orphans = sorted(row[0] for row in self.env.cr.fetchall())
        self.write(
            {
                "state": "done",
                "date_done": fields.Datetime.now(),
                "note": self.env._(
                    "Not invoiced, these students have no invoice guardian: %(students)s",
                    students=", ".join(orphans),
                )
                if orphans
                else False,
            }
        )

    # ------------------------------------------------------------------ business: one batch
    def _try_lock_company(self):
        """One run at a time per school: a transaction-level advisory lock, taken without waiting."""
        self.env.cr.execute(
            SQL(
                "SELECT pg_try_advisory_xact_lock(hashtext('afterschool.invoice.run'), %s)",
                self.company_id.id,
            )
        )
        return self.env.cr.fetchone()[0]

    def _invoice_next_batch(self, batch_size, after_partner=0):
        """Invoice the next ``batch_size`` guardians after ``after_partner`` (in id order), all or
        nothing; returns (guardians done, whether guardians remain, the last guardian done)."""
        self.ensure_one()
        with self.env.cr.savepoint():
            if not self._try_lock_company():
                raise UserError(
                    self.env._(
                        "Invoices of %(school)s are being created by another run; try again when it has finished.",
                        school=self.company_id.name,
                    )
                )
            if not after_partner:
                self._analyze_attendance()
            partner_ids, more = self._fetch_batch_partners(batch_size, after_partner)
            if partner_ids:
                self._invoice_attendance(self._lock_batch_attendance(partner_ids))
        return len(partner_ids), more, partner_ids[-1] if partner_ids else after_partner

    def _analyze_attendance(self):
        """Refresh the planner's statistics of the attendance (and of the partners, students and
        guardians, often created with it) when a run starts on an attendance table that changed much
        since they were taken (rosters are inserted by the thousand, maybe in this very transaction):
        on stale statistics PostgreSQL may read the whole month for every batch instead of walking
        the guardians' index. ANALYZE reads a sample, not the table; it does not wait for
        another run analysing at the same time more than a few seconds (autovacuum gives way)."""
        self.env.cr.execute(
            SQL("""
            SELECT reltuples,
                   pg_stat_get_mod_since_analyze(oid) + pg_stat_get_xact_tuples_inserted(oid)
                   + pg_stat_get_xact_tuples_updated(oid) + pg_stat_get_xact_tuples_deleted(oid)
              FROM pg_class WHERE oid = 'afterschool_attendance'::regclass""")
        )
        rows, changed = self.env.cr.fetchone()
        if changed <= 0.2 * max(rows, 0) + 1000:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(SQL("SHOW lock_timeout"))
                lock_timeout = self.env.cr.fetchone()[0]
                self.env.cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
                self.env.cr.execute(SQL("ANALYZE afterschool_attendance, res_partner"))
                self.env.cr.execute(
                    SQL("SELECT set_config('lock_timeout', %s, true)", lock_timeout)
                )
        except psycopg2.errors.LockNotAvailable:
            _logger.info(
                "Invoicing run %s: statistics of the attendance not refreshed (table busy)",
                self.id,
            )

    # Which attendance a run settles, in two parts that each have their own index:
    #   - new periods (billing state "to invoice"): the period's attendance, and attendance added to an
    #     earlier month that was already invoiced; settled by the student's invoice guardian;
    #   - billed attendance that changed ("to correct"), of any earlier date: more periods go to the
    #     invoice guardian, fewer are credited to the partner of the invoice that billed them.
    def _to_invoice_sql(self, select, extra=SQL()):
        return SQL(
            """
            SELECT %(select)s
              FROM afterschool_attendance a
             WHERE a.company_id = %(company)s
               AND a.billing_state = 'to_invoice'
               AND a.date <= %(date_to)s
               AND (a.date >= %(date_from)s OR EXISTS (
                        SELECT 1 FROM afterschool_attendance month_billed
                         WHERE month_billed.student_id = a.student_id
                           AND month_billed.company_id = a.company_id
                           AND month_billed.billed_periods > 0
                           AND month_billed.date >= date_trunc('month', a.date)::date
                           AND month_billed.date < (date_trunc('month', a.date) + interval '1 month')::date))
               %(extra)s
        """,
            select=select,
            extra=extra,
            company=self.company_id.id,
            date_from=self.date_from,
            date_to=self.date_to,
        )

    def _to_correct_sql(self, select, extra=SQL()):
        return SQL(
            """
            SELECT %(select)s
              FROM afterschool_attendance a
         LEFT JOIN account_move_line billed_line ON billed_line.id = a.invoice_line_id
         LEFT JOIN account_move billed_move ON billed_move.id = billed_line.move_id
             WHERE a.company_id = %(company)s
               AND a.billing_state = 'to_correct'
               AND a.date <= %(date_to)s
               %(extra)s
        """,
            select=select,
            extra=extra,
            company=self.company_id.id,
            date_to=self.date_to,
        )

    @property
    def _correction_partner_sql(self):
        """Who settles a correction: credits go to the invoice's partner, the rest to the invoice guardian."""
        return SQL("""CASE WHEN a.periods_to_invoice < 0
                           THEN COALESCE(billed_move.partner_id, a.invoice_guardian_id)
                           ELSE a.invoice_guardian_id END""")

    def _count_remaining(self):
        """How many guardians (and credited partners) the run still has to settle (reads the month)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT count(DISTINCT partner_id) FROM (%s UNION ALL %s) candidate",
                self._to_invoice_sql(SQL("a.invoice_guardian_id AS partner_id")),
                self._to_correct_sql(
                    SQL("%s AS partner_id", self._correction_partner_sql)
                ),
            )
        )
        return self.env.cr.fetchone()[0]

    def _fetch_batch_partners(self, batch_size, after_partner=0):
        """The next ``batch_size`` partners to settle after ``after_partner``, and whether more remain.

        The new periods are read in guardian order from their index and stop at the batch's last
        guardian, so a batch reads its own rows, not the rest of the month; corrections are few.
        """
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            SELECT DISTINCT a.invoice_guardian_id
              FROM (%s) a
             ORDER BY a.invoice_guardian_id
             LIMIT %s
        """,
                self._to_invoice_sql(
                    SQL("a.invoice_guardian_id"),
                    SQL("AND a.invoice_guardian_id > %s", after_partner),
                ),
                batch_size + 1,
            )
        )
        partner_ids = {row[0] for row in self.env.cr.fetchall()}
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT partner_id FROM (%s) correction WHERE partner_id > %s",
                self._to_correct_sql(
                    SQL("%s AS partner_id", self._correction_partner_sql)
                ),
                after_partner,
            )
        )
        partner_ids.update(row[0] for row in self.env.cr.fetchall())
        partner_ids = sorted(partner_ids)
        return partner_ids[:batch_size], len(partner_ids) > batch_size

    def _lock_batch_attendance(self, partner_ids):
        """Lock the batch's attendance rows. Another run that billed them after this transaction
        began makes PostgreSQL refuse the lock (serialization failure): nothing is billed twice."""
        attendance_ids = []
        for query in (
            self._to_invoice_sql(
                SQL("a.id"), SQL("AND a.invoice_guardian_id = ANY(%s)", partner_ids)
            ),
            self._to_correct_sql(
                SQL("a.id"),
                SQL("AND %s = ANY(%s)", self._correction_partner_sql, partner_ids),
            ),
        ):
            self.env.cr.execute(
                SQL("%s ORDER BY a.id FOR NO KEY UPDATE OF a NOWAIT", query)
            )
            attendance_ids += [row[0] for row in self.env.cr.fetchall()]
        return self.env["afterschool.attendance"].browse(attendance_ids)

    def _invoice_attendance(self, attendances):
        """Create the invoices and credit notes settling these attendance lines, in one create,
        and link every attendance to the line that settled it."""
        moves_vals, links_by_move = self._prepare_moves(attendances)
        Move = self.env["account.move"].with_company(self.company_id)
        # The school's properties of the partners (fiscal position, ...) in one query: the invoice's
        # fiscal position reads them partner by partner otherwise (the payment term, left empty
        # here, is what loads them all at once in a plain create).
        Move.partner_id.browse(
            sorted({vals["partner_id"] for vals in moves_vals})
        ).fetch(["property_account_position_id"])
        moves = Move.create(moves_vals)
        links = {}
        for move, move_links in zip(moves, links_by_move):
            lines_by_sequence = {line.sequence: line for line in move.invoice_line_ids}
            for sequence, attendance_periods in move_links.items():
                links[lines_by_sequence[sequence]] = attendance_periods
        self.env["afterschool.billing.entry"]._create_for_lines(links)
        settled = [
            periods
            for attendance_periods in links.values()
            for __, periods in attendance_periods
        ]
        self.write(
            {
                "attendance_count": self.attendance_count + len(settled),
                "period_count": self.period_count + sum(settled),
            }
        )

    def _prepare_moves(self, attendances):
        """Values of the invoices (one per guardian) and credit notes (one per invoice corrected),
        and per move ``{line sequence: [(attendance, periods)]}``."""
        company = self.company_id
        journal = self.env["account.journal"].search(
            [
                *self.env["account.journal"]._check_company_domain(company),
                ("type", "=", "sale"),
            ],
            limit=1,
        )
        if not journal:
            raise UserError(
                self.env._(
                    "%(school)s has no sales journal: set up its accounting (chart of accounts) first.",
                    school=company.name,
                )
            )
        product = self.env.ref("afterschool_service.product_service_period")
        # Odoo looks up the analytic distribution models line by line (one query per guardian); a
        # school that has none (the usual case) gets the lines' empty distribution at once, a school
        # that has some gets Odoo's lookup.
        no_analytic = (
            {"analytic_distribution": False}
            if not self._has_analytic_distribution_models()
            else {}
        )
        moves = self._group_attendance(attendances)
        moves_vals, links_by_move, texts_by_lang = [], [], {}
        for (move_type, partner, reference), move_lines in sorted(
            moves.items(), key=lambda item: (item[0][1].id, item[0][0], item[0][2].id)
        ):
            lang = partner.lang or self.env.lang
            if lang not in texts_by_lang:
                texts_by_lang[lang] = _BillingTexts(self.with_context(lang=lang).env)
            texts = texts_by_lang[lang]
            move_lines.sort(
                key=lambda item: (item[0][0].name, item[0][4], item[0][1].id)
            )
            line_commands, move_links = [], {}
            for sequence, (
                (student, term, price_unit, discount, month, line_reference),
                attendance_periods,
            ) in enumerate(move_lines, start=1):
                periods = sum(p for __, p in attendance_periods)
                groups = (
                    self.env["afterschool.attendance"]
                    .union(*(a for a, __ in attendance_periods))
                    .group_id
                )
                line_commands.append(
                    Command.create(
                        {
                            "sequence": sequence,
                            "product_id": product.id,
                            "name": texts.line_name(
                                student,
                                term,
                                groups,
                                month,
                                line_reference,
                                credit=periods < 0,
                            ),
                            "quantity": abs(periods),
                            "price_unit": price_unit,
                            "discount": discount,
                            "afterschool_student_id": student.id,
                            **no_analytic,
                        }
                    )
                )
                move_links[sequence] = attendance_periods
            students = sorted({line_key[0].name for line_key, __ in move_lines})
            months = sorted({line_key[4] for line_key, __ in move_lines})
            attended = defaultdict(
                set
            )  # what a parent checks: the days each child attended
            for (student, *__), attendance_periods in move_lines:
                attended[student.name].update(
                    a.date for a, p in attendance_periods if p > 0
                )
            vals = {
                "move_type": move_type,
                "partner_id": partner.id,
                "company_id": company.id,
                "journal_id": journal.id,
                "currency_id": company.currency_id.id,
                "invoice_date": self.date_to,
                "invoice_user_id": self.user_id.id
                if self.origin == "manual"
                else False,
                "invoice_origin": texts.origin(months),
                "narration": texts.narration(months, students)
                + texts.attended_dates(attended),
                "afterschool_run_id": self.id,
                "invoice_line_ids": line_commands,
            }
            if move_type == "out_invoice":
                vals["payment_reference"] = texts.payment_reference(months, students)
                # Due after the school's term of payment, not on the invoice date.
                vals["invoice_payment_term_id"] = False
                vals["invoice_date_due"] = self.date_to + timedelta(
                    days=company.afterschool_invoice_due_days
                )
            else:
                vals["ref"] = texts.correction_ref(reference)
                vals["reversed_entry_id"] = reference.id
            moves_vals.append(vals)
            links_by_move.append(move_links)
        return moves_vals, links_by_move

    def _has_analytic_distribution_models(self):
        """Whether an analytic distribution model could apply to the school's invoice lines."""
        # sudo: a yes or no for the run, whoever runs it; the models themselves are not read
        return bool(
            self.env["account.analytic.distribution.model"]
            .sudo()
            .search_count([("company_id", "in", [self.company_id.id, False])], limit=1)
        )

    def _group_attendance(self, attendances):
        """{(move type, partner, invoice corrected): [(line key, [(attendance, periods)])]}.

        One line per student, term, rate, discount, month and invoice referenced: new periods go to
        the invoice guardian's invoice at the term's rate less the waiver, credits reverse the line
        that billed them, on a credit note to that invoice's partner.
        """
        month_invoices = self._get_month_invoices(attendances)
        # the waiver is private to managers and accountants; the cron and the accountant both need it
        waivers = {
            student.id: student.fee_waiver_percent
            for student in attendances.student_id.sudo()
        }
        lines = defaultdict(list)
        for attendance in attendances:
            periods = attendance.periods_to_invoice
            student = attendance.student_id
            month = attendance.date.replace(day=1)
            billed_line = attendance.invoice_line_id
            reference = billed_line.move_id or month_invoices.get(
                (student.id, month), self.env["account.move"]
            )
            if periods < 0:
                move_key = (
                    "out_refund",
                    billed_line.move_id.partner_id or student.invoice_guardian_id,
                    reference,
                )
                price_unit, discount = (
                    (billed_line.price_unit, billed_line.discount)
                    if billed_line
                    else (attendance.term_id.period_rate, waivers[student.id])
                )
            else:
                move_key = (
                    "out_invoice",
                    student.invoice_guardian_id,
                    self.env["account.move"],
                )
                price_unit, discount = (
                    attendance.term_id.period_rate,
                    waivers[student.id],
                )
            line_key = (
                student,
                attendance.term_id,
                price_unit,
                discount,
                month,
                reference,
            )
            lines[move_key, line_key].append((attendance, periods))
        moves = defaultdict(list)
        for (move_key, line_key), attendance_periods in lines.items():
            moves[move_key].append((line_key, attendance_periods))
        return moves

    def _get_month_invoices(self, attendances):
        """{(student id, first of month): the invoice that already billed the student that month},
        so that periods added to an invoiced month reference it.

        Read from the batch's students' attendance, then the lines and invoices by id: joined in one
        query, PostgreSQL may walk every invoice of the database instead when its statistics of the
        invoices are stale (as they are after a large run created thousands of them)."""
        months = {attendance.date.replace(day=1) for attendance in attendances}
        # Only the batch's students' rows, through the student index. No condition on what is billed:
        # its statistics date from before the run billed anything, and PostgreSQL would plan around
        # the few billed rows it expects, reading more of them batch after batch.
        self.env.cr.execute(
            SQL(
                """
            SELECT a.student_id, date_trunc('month', a.date)::date, a.invoice_line_id, a.billed_periods
              FROM afterschool_attendance a
             WHERE a.student_id = ANY(%s) AND a.company_id = %s AND a.date >= %s AND a.date < %s
        """,
                attendances.student_id.ids,
                self.company_id.id,
                min(months),
                max(months) + relativedelta(months=1),
            )
        )
        rows = [row[:3] for row in self.env.cr.fetchall() if row[2] and row[3] > 0]
        lines = self.env["account.move.line"].sudo().browse({row[2] for row in rows})
        invoice_by_line = {
            line.id: line.move_id
            for line in lines
            if line.move_id.move_type == "out_invoice"
        }
        month_invoices = {}
        for student_id, month, line_id in rows:
            invoice = invoice_by_line.get(line_id)
            if invoice and (
                (student_id, month) not in month_invoices
                or invoice.id < month_invoices[student_id, month].id
            ):
                month_invoices[student_id, month] = invoice
        return {
            key: invoice.with_env(self.env) for key, invoice in month_invoices.items()
        }

    def _get_period_label(self):
        """'March 2026' for a calendar month, else the two dates."""
        self.ensure_one()
        if not (self.date_from and self.date_to):
            return ""
        if self.date_from.day == 1 and self.date_to == self.date_from + relativedelta(
            months=1, days=-1
        ):
            return _BillingTexts(self.env).month(self.date_from)
        return "%s – %s" % (self.date_from, self.date_to)


class _BillingTexts:
    """The words of the invoices, in the guardian's language."""

    def __init__(self, env):
        self.env = env
        self.locale = babel_locale_parse(env.lang or "en_US")
        self._months, self._groups, self._days = {}, {}, {}

    def month(self, month):
        return self.months([month])

    def months(self, months):
        key = tuple(months)
        if key not in self._months:
            self._months[key] = format_list(
                self.env,
                [
                    format_skeleton("yMMMM", month, locale=self.locale)
                    for month in months
                ],
            )
        return self._months[key]

    def groups(self, groups):
        if groups not in self._groups:
            self._groups[groups] = format_list(
                self.env, sorted(groups.with_env(self.env).mapped("name"))
            )
        return self._groups[groups]

    def line_name(self, student, term, groups, month, reference, credit=False):
        values = {
            "student": student.name,
            "month": self.month(month),
            "term": term.with_env(self.env).name,
            "groups": self.groups(groups),
            "invoice": reference.display_name,
        }
        if credit and reference:
            return self.env._(
                "%(student)s – periods no longer due, %(month)s (%(term)s: %(groups)s), invoice %(invoice)s",
                **values,
            )
        if credit:  # the invoice that billed them is gone (deleted while in draft)
            return self.env._(
                "%(student)s – periods no longer due, %(month)s (%(term)s: %(groups)s)",
                **values,
            )
        if reference:
            return self.env._(
                "%(student)s – additional periods, %(month)s (%(term)s: %(groups)s), invoice %(invoice)s",
                **values,
            )
        return self.env._(
            "%(student)s – after-school service, %(month)s (%(term)s: %(groups)s)",
            **values,
        )

    def origin(self, months):
        return self.env._("After-school service %(months)s", months=self.months(months))

    def payment_reference(self, months, students):
        return self.env._(
            "After-school service %(months)s: %(students)s",
            months=self.months(months),
            students=format_list(self.env, students),
        )

    def narration(self, months, students):
        return Markup("<p>%s</p>") % self.env._(
            "After-school service of %(months)s for %(students)s: one line per child, term and "
            "month; the quantity is the number of periods attended, at the term's rate per period, less "
            "any fee waiver.",
            months=self.months(months),
            students=format_list(self.env, students),
        )

    def day(self, day):
        if day not in self._days:
            self._days[day] = format_skeleton("MMMd", day, locale=self.locale)
        return self._days[day]

    def attended_dates(self, attended):
        """One line per child: the days attended, 11月3日、11月5日 (nothing when no day was attended)."""
        lines = [
            self.env._(
                "Days attended by %(student)s: %(dates)s",
                student=student,
                dates=format_list(self.env, [self.day(day) for day in sorted(days)]),
            )
            for student, days in sorted(attended.items())
            if days
        ]
        return Markup("").join(Markup("<p>%s</p>") % line for line in lines)

    def correction_ref(self, invoice):
        if not invoice:
            return self.env._("Correction of earlier after-school invoices")
        return self.env._("Correction of %(invoice)s", invoice=invoice.display_name)
