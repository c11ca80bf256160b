from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, format_date
from odoo.tools.sql import create_index, drop_index, make_index_name

from ..tools.access import check_computed_fields
from ..tools.groups import ACCOUNTANT_GROUP, MANAGER_GROUP

# What a roster line is about: fixed when the line is created.
ROSTER_FIELDS = {"session_id", "student_id"}
# What billing keeps: written here only, by _write_billing (a correction, a release) and
# _write_settled_billing (the invoicing run's batch), never by write().
BILLING_FIELDS = {
    "billed_periods",
    "invoice_line_id",
    "correction_reason",
    "corrected_by_id",
    "corrected_on",
}
# Kept by the system (leaves, the late-pickup cron): written as superuser only.
SYSTEM_FIELDS = {"leave_id", "late_pickup"}
# What families are told about: a change of these queues or calls off a notice (afterschool.notice).
NOTICE_FIELDS = {"state", "picked_up_by_id", "check_out"}
CORRECTABLE_STATES = ("present", "absent", "excused")
NOTE_LIMIT = 2000  # a line's note: a few sentences


def _int_array(values):
    """An int[] written as one literal ('{1,2,NULL}'): PostgreSQL reads one string, where an ARRAY
    of ten thousand constants (a batch's attendance) is parsed and planned constant by constant."""
    return "{%s}" % ",".join(
        "NULL" if value is None else str(int(value)) for value in values
    )


class AfterschoolAttendance(models.Model):
    """One student on the roster of one session: presence, pickup handover, and billing link."""

    _name = "afterschool.attendance"
    _description = "After-School Attendance"
    _inherit = ["afterschool.text.limit.mixin"]
    _text_limits = {"note": NOTE_LIMIT}
    _order = "session_id, student_name, id"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    # no index of its own: the unique (session, student) index serves the session's roster
    session_id = fields.Many2one(
        "afterschool.session", required=True, ondelete="cascade"
    )
    active = fields.Boolean(
        default=True, help="Archived with its term, once the term is over."
    )
    student_id = fields.Many2one(
        "res.partner", string="Student", required=True, index=True, ondelete="restrict"
    )
    # Stored related and computed fields are precomputed: a roster is inserted in one INSERT, not
    # inserted and then rewritten by an UPDATE per field (dead rows, twice the writes).
    student_name = fields.Char(
        related="student_id.name", store=True, precompute=True, string="Student Name"
    )
    class_id = fields.Many2one(related="student_id.class_id", string="Class")
    # no index of its own: a school's attendance is read by date, student or guardian (indexes
    # that start with the school serve the invoicing run)
    company_id = fields.Many2one(
        related="session_id.company_id", store=True, precompute=True
    )
    # no b-tree of their own: block-range (BRIN) indexes in init(), as rosters are inserted term
    # by term (a b-tree entry per billed line costs the monthly run more than the term's archiving,
    # the one search by term, gains from it)
    term_id = fields.Many2one(related="session_id.term_id", store=True, precompute=True)
    group_id = fields.Many2one(
        related="session_id.group_id", store=True, precompute=True
    )
    date = fields.Date(
        related="session_id.date", store=True, index=True, precompute=True
    )
    teacher_id = fields.Many2one(related="session_id.teacher_id", string="Teacher")
    session_state = fields.Selection(
        related="session_id.state", string="Session Status"
    )
    session_stop = fields.Datetime(related="session_id.stop", string="Service Ends")
    state = fields.Selection(
        [("present", "Present"), ("absent", "Absent"), ("excused", "Excused")],
        string="Attendance",
    )
    check_out = fields.Datetime(string="Picked Up At")
    picked_up_by_id = fields.Many2one(
        "res.partner",
        string="Picked Up By",
        domain="[('id', 'in', allowed_pickup_ids)]",
        help="A guardian or an authorised pickup person of the student.",
    )
    allowed_pickup_ids = fields.Many2many(
        "res.partner",
        compute="_compute_allowed_pickup_ids",
        string="Allowed Pickup Persons",
    )
    late_pickup = fields.Boolean(
        string="Late Pickup",
        compute="_compute_late_pickup",
        store=True,
        readonly=False,
        precompute=True,
        help="Present, and not collected by the end of the service window.",
    )
    leave_id = fields.Many2one(
        "afterschool.leave",
        string="Leave",
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The leave that excuses the student from this session.",
    )
    absent_from_school = fields.Boolean(
        compute="_compute_absent_from_school",
        string="Absent from School",
        help="The school recorded the student absent from school that day.",
    )
    note = fields.Char()
    # Written by billing only (_write_billing, _write_settled_billing). Its "set null" is a trigger on the
    # invoice lines, not a foreign key: see _auto_init.
    invoice_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice Line",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
    )

    _sql_constraints = [
        (
            "session_student_uniq",
            "unique(session_id, student_id)",
            "A student is on a session's roster once.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("student_id.guardian_ids", "student_id.authorized_pickup_ids")
    def _compute_allowed_pickup_ids(self):
        for line in self:
            line.allowed_pickup_ids = line.student_id._get_pickup_partners()

    @api.depends("state", "check_out", "session_id.stop")
    def _compute_late_pickup(self):
        now = fields.Datetime.now()
        for line in self:
            stop = line.session_id.stop
            line.late_pickup = bool(
                line.state == "present"
                and stop
                and (
                    (line.check_out and line.check_out > stop)
                    or (not line.check_out and stop < now)
                )
            )

    def _compute_absent_from_school(self):
        absences = (
            self.env["afterschool.school.absence"]
            .sudo()
            .search(
                [
                    ("student_id", "in", self.student_id.ids),
                    ("date", "in", list(set(self.mapped("date")))),
                ]
            )
        )
        absent = {(absence.student_id.id, absence.date) for absence in absences}
        for line in self:
            line.absent_from_school = (line.student_id.id, line.date) in absent

    # ------------------------------------------------------------------ constraints
    @api.constrains("picked_up_by_id", "student_id", "state")
    def _check_pickup(self):
        for line in self.filtered("picked_up_by_id"):
            if line.state != "present":
                raise ValidationError(
                    self.env._(
                        "%(student)s is not marked present, so nobody can collect them from %(session)s.",
                        student=line.student_id.name,
                        session=line.session_id.display_name,
                    )
                )
            allowed = line.student_id._get_pickup_partners()
            if line.picked_up_by_id not in allowed:
                raise ValidationError(
                    self.env._(
                        "%(person)s is not allowed to collect %(student)s. Allowed: %(allowed)s.",
                        person=line.picked_up_by_id.name,
                        student=line.student_id.name,
                        allowed=", ".join(allowed.mapped("name"))
                        or self.env._("nobody on file"),
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        """New roster lines of a child on leave are excused right away (and survive roster rebuilds)."""
        written = set().union(*vals_list) if vals_list else set()
        if written & BILLING_FIELDS:
            raise UserError(
                self.env._("What was billed is recorded by the invoicing run only.")
            )
        if written & SYSTEM_FIELDS and not self.env.su:
            raise UserError(
                self.env._("Leaves and late pickups are recorded by the system only.")
            )
        leaves = self.env["afterschool.leave"]._find_covering(vals_list)
        for vals in vals_list:
            leave = leaves.get((vals.get("student_id"), vals.get("session_id")))
            if leave and not vals.get("state"):
                vals.update(state="excused", leave_id=leave)
            if vals.get("picked_up_by_id") and not vals.get("check_out"):
                vals["check_out"] = fields.Datetime.now()
        lines = super().create(vals_list)
        self.env["afterschool.notice"]._on_attendance_changed(lines, {})
        return lines

    def write(self, vals):
        if not self.env.su:
            self.check_access(
                "write"
            )  # before any message names a student or a session
        self._check_system_fields(vals)
        self._check_billed(vals)
        self._check_attendance_period()
        before = None
        if NOTICE_FIELDS & set(vals):
            before = {line.id: (line.state, line.picked_up_by_id.id) for line in self}
        if vals.get("picked_up_by_id") and "check_out" not in vals:
            not_out = self.filtered(lambda line: not line.check_out)
            super(AfterschoolAttendance, not_out).write(
                dict(vals, check_out=fields.Datetime.now())
            )
            result = super(AfterschoolAttendance, self - not_out).write(vals)
        else:
            result = super().write(vals)
        if before is not None:
            self.env["afterschool.notice"]._on_attendance_changed(self, before)
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.filtered("invoice_line_id"):
            raise UserError(
                self.env._(
                    "Billed attendance cannot be deleted; a coordinator or an accountant can correct it instead."
                )
            )

    # ------------------------------------------------------------------ actions
    def action_present(self):
        self.write({"state": "present"})
        return True

    def action_absent(self):
        self.write({"state": "absent", "picked_up_by_id": False, "check_out": False})
        return True

    def action_excused(self):
        self.write({"state": "excused", "picked_up_by_id": False, "check_out": False})
        return True

    def action_open_pickup(self):
        """The small pickup form: who collected the child, and when."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Pickup of %(student)s", student=self.student_id.name),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "afterschool_service.afterschool_attendance_view_form_pickup"
                    ).id,
                    "form",
                )
            ],
            "target": "new",
        }

    def action_correct(self, state, reason):
        """Correct billed attendance, or that of a month already invoiced (a coordinator or an accountant):
        present ↔ absent or excused, with a reason. Tracked in the session's chatter and on the invoice; the
        next invoicing run settles the difference (credit note or extra line) and keeps the reason in the
        billing history."""
        self._check_correction_access()
        if state not in CORRECTABLE_STATES:
            raise UserError(
                self.env._("Correct the attendance to present, absent or excused.")
            )
        reason = reason.strip() if isinstance(reason, str) else ""
        if not reason:
            raise UserError(
                self.env._(
                    "Give the reason for the correction: it stays in the billing history."
                )
            )
        unchanged = self.filtered(lambda line: line.state == state)
        if unchanged:
            raise UserError(
                self.env._(
                    "The attendance of %(student)s on %(date)s is already %(state)s.",
                    student=unchanged[0].student_id.name,
                    date=format_date(self.env, unchanged[0].date),
                    state=self._get_state_label(state),
                )
            )
        previous = {line: line.state for line in self}
        vals = {
            "state": state,
            "correction_reason": reason,
            "corrected_by_id": self.env.uid,
            "corrected_on": fields.Datetime.now(),
        }
        if state != "present":
            vals.update(picked_up_by_id=False, check_out=False)
        self._write_billing(vals)
        self._post_correction(previous, reason)
        return True

    def action_open_correct_wizard(self):
        """The "Correct Attendance" dialog (state and reason) on billed attendance."""
        self._check_correction_access()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_attendance_correct_wizard_action"
        )
        action["context"] = {"default_attendance_ids": self.ids}
        return action

    # ------------------------------------------------------------------ business
    def _check_correction_access(self):
        """Billed attendance is corrected by the coordinator (who may write it) or the accountant (who reads
        it for billing), within their schools (record rules)."""
        if self.env.su:
            return
        user = self.env.user
        if user.has_group(MANAGER_GROUP):
            self.check_access("write")
        elif user.has_group(ACCOUNTANT_GROUP):
            self.check_access("read")
        else:
            raise AccessError(
                self.env._(
                    "Only a coordinator or an accountant can correct billed attendance."
                )
            )

    def _write_billing(self, vals):
        """The one way to write what billing keeps (and billed attendance): the invoicing run and
        action_correct call it once they have checked who may. It skips this model's write() checks,
        so it is reachable from server code only, never from a client."""
        # pylint: disable=super-method-mismatch
        # (deliberate: the plain ORM write, without this model's write() checks, for billing only)
        if vals.get("invoice_line_id"):
            # what a foreign key would do (see _auto_init): the line exists, and stays until commit
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM account_move_line WHERE id = %s FOR KEY SHARE",
                    vals["invoice_line_id"],
                )
            )
            if not self.env.cr.fetchone():
                raise ValidationError(
                    self.env._("The invoice line billing this attendance was deleted.")
                )
        return super(AfterschoolAttendance, self.sudo()).write(vals)

    @api.model
    def _write_settled_billing(self, attendance_ids, billed, invoice_lines):
        """What the invoicing run settled, one UPDATE for a batch (thousands of rows): each
        attendance's billed periods and invoice line, nothing left to invoice, and its billing state
        as _compute_billing_state gives it for a settled attendance (``_settled_billing_state``).
        The write stamps stay those of the last roll-call edit: who billed and when are the run's."""
        if not attendance_ids:
            return
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            UPDATE afterschool_attendance a
               SET billed_periods = settled.billed, invoice_line_id = settled.line,
                   periods_to_invoice = 0, billing_state = %s, correction_reason = NULL
              FROM unnest(%s::int[], %s::int[], %s::int[]) AS settled(id, billed, line)
             WHERE a.id = settled.id
            """,
                SQL(
                    "CASE WHEN settled.billed = 0 THEN %s ELSE %s END",
                    *self._settled_billing_state(),
                ),
                _int_array(attendance_ids),
                _int_array(billed),
                _int_array(invoice_lines),
            )
        )
        self.invalidate_model(
            [
                "billed_periods",
                "invoice_line_id",
                "periods_to_invoice",
                "billing_state",
                "correction_reason",
            ]
        )

    @api.model
    def _settled_billing_state(self):
        """(state when nothing was billed, state when something was): a settled attendance's."""
        return "none", "invoiced"

    def _post_correction(self, previous, reason):
        """Note each correction in the session's chatter and on the invoice that billed the line."""
        for line in self.sudo():
            body = self.env._(
                "Billed attendance of %(student)s on %(date)s corrected from %(old)s to %(new)s by %(user)s: "
                "%(reason)s. The next invoicing run settles it.",
                student=line.student_id.name,
                date=format_date(self.env, line.date),
                old=self._get_state_label(previous[line]),
                new=self._get_state_label(line.state),
                user=self.env.user.name,
                reason=reason,
            )
            line.session_id.message_post(body=body, subtype_xmlid="mail.mt_note")
            if line.invoice_line_id:
                line.invoice_line_id.move_id.message_post(
                    body=body, subtype_xmlid="mail.mt_note"
                )

    def _get_state_label(self, state):
        return dict(self._fields["state"]._description_selection(self.env)).get(
            state
        ) or self.env._("not marked")

    def _check_system_fields(self, vals):
        """What billing keeps is written by billing; a roster line's student and session never change;
        leaves and late pickups are the system's."""
        if BILLING_FIELDS & set(vals):
            raise UserError(
                self.env._(
                    "What was billed is recorded by the invoicing run only; to change billed attendance, use "
                    "Correct Attendance (coordinator or accountant)."
                )
            )
        for name in ROSTER_FIELDS & set(vals):
            if any(line[name].id != vals[name] for line in self):
                raise UserError(
                    self.env._(
                        "A roster line's student and session cannot change; the roster follows the enrolment."
                    )
                )
        if (
            "active" in vals
            and not self.env.su
            and not self.env.user.has_group(MANAGER_GROUP)
        ):
            # a line off the roster is a child the not-collected alert no longer counts
            raise UserError(
                self.env._(
                    "A child leaves a roster with their enrolment (withdrawal or termination); "
                    "roster lines are archived with their term only."
                )
            )
        if SYSTEM_FIELDS & set(vals) and not self.env.su:
            raise UserError(
                self.env._("Leaves and late pickups are recorded by the system only.")
            )
        check_computed_fields(
            self, vals
        )  # billing state, periods to invoice, school, date…

    def _check_attendance_period(self):
        """Teachers take attendance on the day and may correct it for a few days (a setting of the school);
        older attendance is the coordinator's to correct. Checked here, whatever screen writes."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        for term, lines in self.sudo().grouped("term_id").items():
            today = term.company_id._afterschool_today()
            days = term.company_id.afterschool_attendance_days
            early = lines.filtered(lambda line: line.date > today)[:1]
            if early:
                raise AccessError(
                    self.env._(
                        "The attendance of %(session)s can only be taken from the day of the session, %(date)s.",
                        session=early.session_id.display_name,
                        date=format_date(self.env, early.date),
                    )
                )
            late = lines.filtered(
                lambda line: line.date < today - timedelta(days=days)
            )[:1]
            if late:
                raise AccessError(
                    self.env._(
                        "The attendance of %(session)s (%(date)s) can no longer be changed: "
                        "teachers correct attendance "
                        "up to %(days)s day(s) after the session. Ask the coordinator to correct it.",
                        session=late.session_id.display_name,
                        date=format_date(self.env, late.date),
                        days=days,
                    )
                )

    def _check_billed(self, vals):
        """Billed attendance changes only through Correct Attendance (action_correct), never silently."""
        if "state" not in vals:
            return
        changed = self.filtered(
            lambda line: line.invoice_line_id and line.state != (vals["state"] or False)
        )
        if changed:
            raise UserError(
                self.env._(
                    "The attendance of %(student)s on %(date)s is already billed: ask a coordinator or an accountant "
                    "to correct it (Correct Attendance), so that the next invoicing run settles it.",
                    student=changed[0].student_id.name,
                    date=format_date(self.env, changed[0].date),
                )
            )

    def _is_unexpected_absence(self):
        """Absent at roll call, though neither on leave nor on the school's absence list, in a session held."""
        self.ensure_one()
        return (
            self.state == "absent"
            and not self.leave_id
            and not self.absent_from_school
            and self.session_id.state != "cancelled"
        )

    # ------------------------------------------------------------------ billing
    # Kept by the monthly invoicing run (afterschool.invoice.run); never edited by hand.
    billed_periods = fields.Integer(
        readonly=True,
        copy=False,
        help="Periods of this attendance invoiced so far, corrections included.",
    )
    periods_to_invoice = fields.Integer(
        compute="_compute_billing_state",
        store=True,
        precompute=True,
        copy=False,
        help="Periods the next invoicing run settles: positive to invoice, negative to credit.",
    )
    billing_state = fields.Selection(
        [
            ("none", "Nothing to Invoice"),
            ("to_invoice", "To Invoice"),
            ("invoiced", "Invoiced"),
            ("to_correct", "To Correct"),
        ],
        compute="_compute_billing_state",
        store=True,
        precompute=True,
        copy=False,
    )
    invoice_guardian_id = fields.Many2one(
        related="student_id.invoice_guardian_id",
        store=True,
        precompute=True,
        string="Invoice Guardian",
        help="The student's invoice guardian, who is invoiced for this attendance.",
    )
    # (kept on the attendance so that the invoicing run walks a school's guardians in order through
    # an index, batch after batch, without reading the rest of the month)

    def _auto_init(self):
        """The invoice line is linked without a foreign key (init() drops the one of earlier versions).

        A foreign key checks every row that gets a new invoice line, one query each: a third of the
        monthly run's cost per child and day in the database. Billing links attendance only to lines
        it created in the same transaction, or (_write_billing) to lines it locks first, so that check
        can never fail; what the key did on the other side, clearing the link of a deleted line,
        is done by a trigger on the invoice lines (init), for the whole statement at once."""
        res = super()._auto_init()
        # the field asked for its key in a post-init step (run in order, before the keys are made)
        self.pool.post_init(self._forget_invoice_line_foreign_key)
        return res

    def _forget_invoice_line_foreign_key(self):
        self.pool._foreign_keys.pop((self._table, "invoice_line_id"), None)

    def init(self):
        """Indexes of the invoicing run: the attendance to invoice, by school and guardian (each
        batch reads only its own guardians' rows), and the billed attendance to correct.

        Every index costs each roll-call and each billed line an index entry (a row whose billing
        changes is written anew in every index), so the table keeps only those a query walks: the
        indexes of earlier versions on the session (the unique session-student index serves it), the
        attendance state, late pickup and billing state (the partial indexes serve the run) go, and
        the leave and invoice line are indexed where set only."""
        res = super().init()
        for column in (
            "session_id",
            "company_id",
            "state",
            "late_pickup",
            "billing_state",
        ):
            drop_index(self.env.cr, make_index_name(self._table, column), self._table)
        for column in ("leave_id", "invoice_line_id"):
            index = make_index_name(self._table, column)
            self.env.cr.execute(
                SQL(
                    "SELECT 1 FROM pg_indexes WHERE indexname = %s AND indexdef NOT LIKE %s",
                    index,
                    "%WHERE%",
                )
            )
            if (
                self.env.cr.fetchone()
            ):  # a full index of an earlier version: recreated partial
                drop_index(self.env.cr, index, self._table)
        create_index(
            self.env.cr,
            "afterschool_attendance_to_invoice_index",
            self._table,
            ["company_id", "invoice_guardian_id", "date"],
            where="billing_state = 'to_invoice'",
        )
        create_index(
            self.env.cr,
            "afterschool_attendance_to_correct_index",
            self._table,
            ["company_id", "date"],
            where="billing_state = 'to_correct'",
        )
        self._init_term_group_indexes()
        self._init_invoice_line_link()
        return res

    def _init_term_group_indexes(self):
        """Term and group are indexed by block range (BRIN): rows are inserted term by term, so a
        term's archiving and a term's or group's deletion read the term's pages only, and a billed
        line costs these indexes next to nothing (a b-tree entry each otherwise)."""
        for column in ("term_id", "group_id"):
            drop_index(self.env.cr, make_index_name(self._table, column), self._table)
            self.env.cr.execute(
                SQL(
                    "CREATE INDEX IF NOT EXISTS %s ON %s USING brin (%s)"
                    " WITH (pages_per_range = 32, autosummarize = on)",
                    SQL.identifier("%s_%s_brin" % (self._table, column)),
                    SQL.identifier(self._table),
                    SQL.identifier(column),
                )
            )

    def _init_invoice_line_link(self):
        """Deleting invoice lines clears the attendance's link to them, in the database (as the
        foreign key's "on delete set null" did, see _auto_init): one indexed UPDATE per DELETE
        statement. The addon's own unlink of a billed line has released its attendance already."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s",
                SQL.identifier(self._table),
                SQL.identifier("%s_invoice_line_id_fkey" % self._table),
            )
        )
        cr.execute(
            SQL("""
            CREATE OR REPLACE FUNCTION afterschool_attendance_unlink_invoice_lines()
            RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                UPDATE afterschool_attendance
                   SET invoice_line_id = NULL
                 WHERE invoice_line_id = ANY(ARRAY(SELECT id FROM deleted_lines));
                RETURN NULL;
            END
            $body$""")
        )
        cr.execute(
            SQL("""
            CREATE OR REPLACE TRIGGER afterschool_attendance_invoice_line_set_null
             AFTER DELETE ON account_move_line
            REFERENCING OLD TABLE AS deleted_lines
               FOR EACH STATEMENT EXECUTE FUNCTION afterschool_attendance_unlink_invoice_lines()""")
        )

    billing_entry_ids = fields.One2many(
        "afterschool.billing.entry",
        "attendance_id",
        string="Billing History",
        readonly=True,
    )
    # The last correction of billed attendance (action_correct); the reason moves to the billing history
    # with the run that settles it.
    correction_reason = fields.Text(
        readonly=True, copy=False, help="Why billed attendance was corrected."
    )
    corrected_by_id = fields.Many2one(
        "res.users", string="Corrected By", readonly=True, copy=False
    )
    corrected_on = fields.Datetime(readonly=True, copy=False)

    @api.depends("state", "session_id.periods", "session_id.state", "billed_periods")
    def _compute_billing_state(self):
        """Periods due are those of a session the student was present at; what differs from
        what was billed is what the next run invoices or credits."""
        for attendance in self:
            session = attendance.session_id
            due = (
                session.periods
                if attendance.state == "present" and session.state != "cancelled"
                else 0
            )
            attendance.periods_to_invoice = due - attendance.billed_periods
            if not attendance.periods_to_invoice:
                nothing_billed, billed = self._settled_billing_state()
                attendance.billing_state = (
                    billed if attendance.billed_periods else nothing_billed
                )
            else:
                attendance.billing_state = (
                    "to_correct" if attendance.billed_periods else "to_invoice"
                )
