from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.access import check_computed_fields, check_coordinator
from ..tools.groups import MANAGER_GROUP
from .afterschool_text_limit_mixin import TEXT_LIMIT


class AfterschoolIncident(models.Model):
    """A safety incident (安全事件) during a session, followed up by the coordinator."""

    _name = "afterschool.incident"
    _description = "After-School Incident"
    _inherit = ["mail.thread", "mail.activity.mixin", "afterschool.text.limit.mixin"]
    _text_limits = {"description": TEXT_LIMIT, "action_taken": TEXT_LIMIT}
    _order = "occurred_at desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    session_id = fields.Many2one(
        "afterschool.session",
        string="Session",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="session_id.company_id", store=True, index=True, precompute=True
    )
    group_id = fields.Many2one(
        related="session_id.group_id", store=True, string="Group"
    )
    teacher_id = fields.Many2one(
        related="session_id.teacher_id", store=True, string="Teacher"
    )
    roster_student_ids = fields.Many2many(
        "res.partner", compute="_compute_roster_student_ids"
    )
    student_id = fields.Many2one(
        "res.partner",
        string="Student",
        index=True,
        tracking=True,
        domain="[('id', 'in', roster_student_ids)]",
    )
    occurred_at = fields.Datetime(
        string="Time", required=True, default=fields.Datetime.now, tracking=True
    )
    description = fields.Text(string="What Happened", required=True)
    action_taken = fields.Text(string="Action Taken")
    guardian_informed = fields.Boolean(string="Guardian Informed", tracking=True)
    responsible_id = fields.Many2one(
        "res.users",
        string="Follow-up By",
        tracking=True,
        check_company=True,
        compute="_compute_responsible_id",
        store=True,
        readonly=False,
        precompute=True,
        help="The coordinator who follows the incident up; defaults to a coordinator of the school.",
    )
    state = fields.Selection(
        [("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        tracking=True,
    )

    # ------------------------------------------------------------------ computes
    @api.depends("session_id.attendance_ids.student_id")
    def _compute_roster_student_ids(self):
        for incident in self:
            incident.roster_student_ids = incident.session_id.attendance_ids.student_id

    @api.depends("company_id")
    def _compute_responsible_id(self):
        managers = (
            self.env.ref(MANAGER_GROUP)
            .sudo()
            .users.filtered(lambda user: not user._is_superuser())
        )
        for incident in self:
            if not incident.responsible_id:
                incident.responsible_id = (
                    managers.filtered(
                        lambda user, company=incident.company_id: (
                            company in user.company_ids
                        )
                    )[:1]
                    or self.env.user
                )

    @api.depends("session_id.display_name", "student_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for incident in self:
            incident.display_name = " – ".join(
                filter(
                    None, [incident.session_id.display_name, incident.student_id.name]
                )
            )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("state", "open") != "open" for vals in vals_list) and not (
            self.env.su or self.env.user.has_group(MANAGER_GROUP)
        ):
            raise UserError(self.env._("Only the coordinator closes an incident."))
        incidents = super().create(vals_list)
        for incident in incidents:
            incident.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=incident.responsible_id.id,
                summary=self.env._(
                    "Follow up the incident in %(session)s",
                    session=incident.session_id.display_name,
                ),
            )
        return incidents

    def write(self, vals):
        """Teachers record what happened; closing an incident, or moving it to another session, is the
        coordinator's (only their action_close closes)."""
        check_computed_fields(self, vals)
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            if "state" in vals and any(
                incident.state != vals["state"] for incident in self
            ):
                raise UserError(self.env._("Only the coordinator closes an incident."))
            if "session_id" in vals and any(
                incident.session_id.id != vals["session_id"] for incident in self
            ):
                raise UserError(
                    self.env._(
                        "Only the coordinator can move an incident to another session."
                    )
                )
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_close(self):
        check_coordinator(self, self.env._("Only the coordinator closes an incident."))
        for incident in self:
            if not (incident.action_taken or "").strip():
                raise UserError(
                    self.env._("Record the action taken before closing the incident.")
                )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        self.write({"state": "closed"})
        return True
