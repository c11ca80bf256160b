from odoo import api, fields, models


class AfterschoolAttendance(models.Model):
    """One student on the roster of one session: presence, pickup handover, and billing link."""

    _name = "afterschool.attendance"
    _description = "After-School Attendance"
    _order = "session_id, student_id"
    _check_company_auto = True

    session_id = fields.Many2one("afterschool.session", required=True, index=True, ondelete="cascade")
    student_id = fields.Many2one("res.partner", string="Student", required=True, index=True, ondelete="restrict")
    company_id = fields.Many2one(related="session_id.company_id", store=True, index=True)
    term_id = fields.Many2one(related="session_id.term_id", store=True, index=True)
    group_id = fields.Many2one(related="session_id.group_id", store=True, index=True)
    date = fields.Date(related="session_id.date", store=True, index=True)
    state = fields.Selection(
        [("present", "Present"), ("absent", "Absent"), ("excused", "Excused")],
        string="Attendance", index=True,
    )
    check_out = fields.Datetime(string="Picked Up At")
    picked_up_by_id = fields.Many2one("res.partner", string="Picked Up By")
    note = fields.Char()
    invoice_line_id = fields.Many2one("account.move.line", string="Invoice Line", copy=False, index=True,
                                      ondelete="set null")

    _sql_constraints = [
        ("session_student_uniq", "unique(session_id, student_id)", "A student is on a session's roster once."),
    ]

    # ------------------------------------------------------------------ billing
    # Kept by the monthly invoicing run (afterschool.invoice.run); never edited by hand.
    billed_periods = fields.Integer(
        readonly=True, copy=False,
        help="Periods of this attendance invoiced so far, corrections included.",
    )
    periods_to_invoice = fields.Integer(
        compute="_compute_billing_state", store=True, copy=False,
        help="Periods the next invoicing run settles: positive to invoice, negative to credit.",
    )
    billing_state = fields.Selection(
        [("none", "Nothing to Invoice"), ("to_invoice", "To Invoice"),
         ("invoiced", "Invoiced"), ("to_correct", "To Correct")],
        compute="_compute_billing_state", store=True, index=True, copy=False,
    )
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
