from odoo import fields, models


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
