from odoo import api, fields, models


class AfterschoolSession(models.Model):
    """One sitting of one activity group on one service date."""

    _name = "afterschool.session"
    _description = "After-School Session"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, start, id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    group_id = fields.Many2one(
        "afterschool.activity.group", string="Group", required=True, index=True, ondelete="cascade",
        check_company=True,
    )
    term_id = fields.Many2one(related="group_id.term_id", store=True, index=True, string="Term")
    company_id = fields.Many2one(related="group_id.company_id", store=True, index=True, precompute=True)
    kind = fields.Selection(related="group_id.kind", store=True)
    date = fields.Date(required=True, index=True)
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)
    periods = fields.Integer(default=2, required=True)
    teacher_id = fields.Many2one("res.users", string="Teacher", index=True, tracking=True, check_company=True)
    venue_id = fields.Many2one("afterschool.venue", string="Venue", index=True, tracking=True, check_company=True)
    calendar_event_id = fields.Many2one("calendar.event", string="Calendar Event", copy=False, ondelete="set null")
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned", required=True, index=True, tracking=True, copy=False,
    )
    content = fields.Text(string="Content", help="What was done in this session, for the supervision ledger.")
    attendance_ids = fields.One2many("afterschool.attendance", "session_id", string="Attendance")

    _sql_constraints = [
        ("group_date_uniq", "unique(group_id, date)", "A group meets at most once a day."),
    ]

    @api.depends("group_id.name", "date")
    def _compute_name(self):
        for session in self:
            session.name = "%s %s" % (session.group_id.name or "", session.date or "")

    # ------------------------------------------------------------------ business
    def _sync_rosters(self):
        """Bring the rosters of planned sessions in line with the enrolments, in a few queries.

        Adds a line for every student attending the group on the session's date and removes the
        unmarked, unbilled lines of students who no longer attend (e.g. withdrawn from that date).
        Marked or billed lines stay: they are history.
        """
        sessions = self.filtered(lambda s: s.state == "planned")
        if not sessions:
            return
        attending = self.env["afterschool.application"]._get_students_by_group_and_date(
            sessions.group_id, sorted(set(sessions.mapped("date"))))
        Attendance = self.env["afterschool.attendance"].sudo()
        existing = Attendance.search([("session_id", "in", sessions.ids)])
        existing_keys = {(line.session_id.id, line.student_id.id) for line in existing}
        to_create, expected_keys = [], set()
        for session in sessions:
            for student in attending.get((session.group_id.id, session.date), []):
                key = (session.id, student.id)
                expected_keys.add(key)
                if key not in existing_keys:
                    to_create.append({"session_id": session.id, "student_id": student.id})
        stale = existing.filtered(
            lambda line: (line.session_id.id, line.student_id.id) not in expected_keys
            and not line.state and not line.invoice_line_id)
        stale.unlink()
        Attendance.create(to_create)
