from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date
from odoo.tools.sql import create_index

# What billing is based on: frozen once a line is billed, except through the billing correction.
BILLED_FIELDS = {"state", "session_id", "student_id", "invoice_line_id"}
BILLING_CORRECTION_CONTEXT = "afterschool_billing_correction"
MANAGER_GROUP = "afterschool_service.group_afterschool_manager"


class AfterschoolAttendance(models.Model):
    """One student on the roster of one session: presence, pickup handover, and billing link."""

    _name = "afterschool.attendance"
    _description = "After-School Attendance"
    _order = "session_id, student_name, id"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    session_id = fields.Many2one("afterschool.session", required=True, index=True, ondelete="cascade")
    active = fields.Boolean(default=True, help="Archived with its term, once the term is over.")
    student_id = fields.Many2one("res.partner", string="Student", required=True, index=True, ondelete="restrict")
    # Stored related and computed fields are precomputed: a roster is inserted in one INSERT, not
    # inserted and then rewritten by an UPDATE per field (dead rows, twice the writes).
    student_name = fields.Char(related="student_id.name", store=True, precompute=True, string="Student Name")
    class_id = fields.Many2one(related="student_id.class_id", string="Class")
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True, precompute=True)
    term_id = fields.Many2one(related="session_id.term_id", store=True, index=True, precompute=True)
    group_id = fields.Many2one(related="session_id.group_id", store=True, index=True, precompute=True)
    date = fields.Date(related="session_id.date", store=True, index=True, precompute=True)
    teacher_id = fields.Many2one(related="session_id.teacher_id", string="Teacher")
    session_state = fields.Selection(related="session_id.state", string="Session Status")
    session_stop = fields.Datetime(related="session_id.stop", string="Service Ends")
    state = fields.Selection(
        [("present", "Present"), ("absent", "Absent"), ("excused", "Excused")],
        string="Attendance", index=True,
    )
    check_out = fields.Datetime(string="Picked Up At")
    picked_up_by_id = fields.Many2one(
        "res.partner", string="Picked Up By", domain="[('id', 'in', allowed_pickup_ids)]",
        help="A guardian or an authorised pickup person of the student.",
    )
    allowed_pickup_ids = fields.Many2many("res.partner", compute="_compute_allowed_pickup_ids",
                                          string="Allowed Pickup Persons")
    late_pickup = fields.Boolean(
        string="Late Pickup", compute="_compute_late_pickup", store=True, readonly=False, index=True, precompute=True,
        help="Present, and not collected by the end of the service window.",
    )
    leave_id = fields.Many2one("afterschool.leave", string="Leave", index=True, ondelete="set null", copy=False,
                               help="The leave that excuses the student from this session.")
    absent_from_school = fields.Boolean(
        compute="_compute_absent_from_school", string="Absent from School",
        help="The school recorded the student absent from school that day.",
    )
    note = fields.Char()
    invoice_line_id = fields.Many2one("account.move.line", string="Invoice Line", copy=False, index=True,
                                      ondelete="set null")

    _sql_constraints = [
        ("session_student_uniq", "unique(session_id, student_id)", "A student is on a session's roster once."),
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
                line.state == "present" and stop
                and ((line.check_out and line.check_out > stop) or (not line.check_out and stop < now))
            )

    def _compute_absent_from_school(self):
        absences = self.env["afterschool.school.absence"].sudo().search([
            ("student_id", "in", self.student_id.ids), ("date", "in", list(set(self.mapped("date")))),
        ])
        absent = {(absence.student_id.id, absence.date) for absence in absences}
        for line in self:
            line.absent_from_school = (line.student_id.id, line.date) in absent

    # ------------------------------------------------------------------ constraints
    @api.constrains("picked_up_by_id", "student_id", "state")
    def _check_pickup(self):
        for line in self.filtered("picked_up_by_id"):
            if line.state != "present":
                raise ValidationError(self.env._(
                    "%(student)s is not marked present, so nobody can collect them from %(session)s.",
                    student=line.student_id.name, session=line.session_id.name))
            allowed = line.student_id._get_pickup_partners()
            if line.picked_up_by_id not in allowed:
                raise ValidationError(self.env._(
                    "%(person)s is not allowed to collect %(student)s. Allowed: %(allowed)s.",
                    person=line.picked_up_by_id.name, student=line.student_id.name,
                    allowed=", ".join(allowed.mapped("name")) or self.env._("nobody on file")))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        """New roster lines of a child on leave are excused right away (and survive roster rebuilds)."""
        leaves = self.env["afterschool.leave"]._find_covering(vals_list)
        for vals in vals_list:
            leave = leaves.get((vals.get("student_id"), vals.get("session_id")))
            if leave and not vals.get("state"):
                vals.update(state="excused", leave_id=leave)
            if vals.get("picked_up_by_id") and not vals.get("check_out"):
                vals["check_out"] = fields.Datetime.now()
        return super().create(vals_list)

    def write(self, vals):
        self._check_attendance_period()
        self._check_billed(vals)
        if vals.get("picked_up_by_id") and "check_out" not in vals:
            not_out = self.filtered(lambda line: not line.check_out)
            super(AfterschoolAttendance, not_out).write(dict(vals, check_out=fields.Datetime.now()))
            return super(AfterschoolAttendance, self - not_out).write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_billed(self):
        if self.filtered("invoice_line_id") and not self.env.context.get(BILLING_CORRECTION_CONTEXT):
            raise UserError(self.env._("Billed attendance cannot be deleted."))

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
            "views": [(self.env.ref("afterschool_service.afterschool_attendance_view_form_pickup").id, "form")],
            "target": "new",
        }

    # ------------------------------------------------------------------ business
    def _check_attendance_period(self):
        """Teachers take attendance on the day and may correct it for a few days (a setting of the school);
        older attendance is the coordinator's to correct. Checked here, whatever screen writes."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        for term, lines in self.sudo().grouped("term_id").items():
            today = datetime.now(term._get_tz()).date()
            days = term.company_id.afterschool_attendance_days
            early = lines.filtered(lambda line: line.date > today)[:1]
            if early:
                raise AccessError(self.env._(
                    "The attendance of %(session)s can only be taken from the day of the session, %(date)s.",
                    session=early.session_id.name, date=format_date(self.env, early.date)))
            late = lines.filtered(lambda line: line.date < today - timedelta(days=days))[:1]
            if late:
                raise AccessError(self.env._(
                    "The attendance of %(session)s (%(date)s) can no longer be changed: teachers correct attendance "
                    "up to %(days)s day(s) after the session. Ask the coordinator to correct it.",
                    session=late.session_id.name, date=format_date(self.env, late.date), days=days))

    def _check_billed(self, vals):
        """Billed attendance changes only through the billing correction, never silently."""
        if self.env.context.get(BILLING_CORRECTION_CONTEXT) or not BILLED_FIELDS & set(vals):
            return
        billed = self.filtered("invoice_line_id")
        changed = billed.filtered(lambda line: any(
            (line[name].id if isinstance(line[name], models.BaseModel) else line[name])
            != (vals[name] or False)
            for name in BILLED_FIELDS & set(vals)))
        if changed:
            raise UserError(self.env._(
                "The attendance of %(student)s on %(date)s is already billed (%(invoice)s): "
                "it can only change through a billing correction.",
                student=changed[0].student_id.name, date=changed[0].date,
                invoice=changed[0].invoice_line_id.move_id.display_name))

    @api.model
    def _cron_flag_late_pickups(self):
        """Flag the children still not collected after the window's end, for the coordinator."""
        now = fields.Datetime.now()
        lines = self.sudo().search([
            ("state", "=", "present"), ("check_out", "=", False), ("late_pickup", "=", False),
            ("session_id.stop", "<", now), ("session_id.stop", ">=", now - timedelta(days=2)),
        ])
        lines.write({"late_pickup": True})
        return len(lines)
    # ------------------------------------------------------------------ billing
    # Kept by the monthly invoicing run (afterschool.invoice.run); never edited by hand.
    billed_periods = fields.Integer(
        readonly=True, copy=False,
        help="Periods of this attendance invoiced so far, corrections included.",
    )
    periods_to_invoice = fields.Integer(
        compute="_compute_billing_state", store=True, precompute=True, copy=False,
        help="Periods the next invoicing run settles: positive to invoice, negative to credit.",
    )
    billing_state = fields.Selection(
        [("none", "Nothing to Invoice"), ("to_invoice", "To Invoice"),
         ("invoiced", "Invoiced"), ("to_correct", "To Correct")],
        compute="_compute_billing_state", store=True, precompute=True, index=True, copy=False,
    )
    invoice_guardian_id = fields.Many2one(
        related="student_id.invoice_guardian_id", store=True, precompute=True, string="Invoice Guardian",
        help="The student's invoice guardian, who is invoiced for this attendance.")
    # (kept on the attendance so that the invoicing run walks a school's guardians in order through
    # an index, batch after batch, without reading the rest of the month)

    def init(self):
        """Indexes of the invoicing run: the attendance to invoice, by school and guardian (each
        batch reads only its own guardians' rows), and the billed attendance to correct."""
        super().init()
        create_index(self.env.cr, "afterschool_attendance_to_invoice_index", self._table,
                     ["company_id", "invoice_guardian_id", "date"], where="billing_state = 'to_invoice'")
        create_index(self.env.cr, "afterschool_attendance_to_correct_index", self._table,
                     ["company_id", "date"], where="billing_state = 'to_correct'")
    billing_entry_ids = fields.One2many(
        "afterschool.billing.entry", "attendance_id", string="Billing History", readonly=True,
    )

    @api.depends("state", "session_id.periods", "session_id.state", "billed_periods")
    def _compute_billing_state(self):
        """Periods due are those of a session the student was present at; what differs from
        what was billed is what the next run invoices or credits."""
        for attendance in self:
            session = attendance.session_id
            due = session.periods if attendance.state == "present" and session.state != "cancelled" else 0
            attendance.periods_to_invoice = due - attendance.billed_periods
            if not attendance.periods_to_invoice:
                attendance.billing_state = "invoiced" if attendance.billed_periods else "none"
            else:
                attendance.billing_state = "to_correct" if attendance.billed_periods else "to_invoice"
