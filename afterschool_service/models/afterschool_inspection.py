from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.groups import MANAGER_GROUP

MAX_HEADCOUNT = 500


class AfterschoolInspection(models.Model):
    """A spot check of a session by the school's leadership group (监管检查).

    The programme asks schools to "加强监管检查力度，建立监管工作台账": who looked, when, how many
    children they saw against the roster, and whether the session kept its rules (no group teaching
    or tutoring, safety, content as planned). Something wrong gives the teacher a follow-up to-do.
    """

    _name = "afterschool.inspection"
    _description = "After-School Inspection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "inspected_at desc, id desc"
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
    date = fields.Date(related="session_id.date", store=True, index=True)
    inspector_id = fields.Many2one(
        "res.users",
        string="Inspector",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    inspected_at = fields.Datetime(string="Inspected At", tracking=True)
    headcount_seen = fields.Integer(string="Headcount Seen", tracking=True)
    headcount_roster = fields.Integer(
        string="Headcount on Roster",
        compute="_compute_headcount_roster",
        store=True,
        precompute=True,
        help="Children expected in the room: those marked present, or the roster before roll call.",
    )
    no_group_teaching = fields.Boolean(
        string="No Group Teaching or Tutoring",
        default=True,
        help="No new lessons and no tutoring for the class (严禁集体授课、变相补课).",
    )
    safety_ok = fields.Boolean(string="Safety in Order", default=True)
    content_as_planned = fields.Boolean(string="Content as Planned", default=True)
    photo_ids = fields.Many2many("ir.attachment", string="Photos")
    finding = fields.Text(string="Finding", tracking=True)
    has_issue = fields.Boolean(compute="_compute_has_issue", string="Something Wrong")
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("compliant", "Compliant"),
            ("issue", "Issue Found"),
            ("resolved", "Resolved"),
        ],
        default="planned",
        required=True,
        tracking=True,
        readonly=True,
        index=True,
    )

    # ------------------------------------------------------------------ computes
    @api.depends("session_id")
    def _compute_headcount_roster(self):
        for inspection in self:
            session = inspection.session_id
            inspection.headcount_roster = (
                session.present_count
                if session.unmarked_count == 0 and session.planned_count
                else session.planned_count
            )

    @api.depends(
        "headcount_seen",
        "headcount_roster",
        "no_group_teaching",
        "safety_ok",
        "content_as_planned",
    )
    def _compute_has_issue(self):
        for inspection in self:
            inspection.has_issue = not (
                inspection.no_group_teaching
                and inspection.safety_ok
                and inspection.content_as_planned
                and inspection.headcount_seen == inspection.headcount_roster
            )

    @api.depends("session_id.group_id.name", "session_id.date", "inspector_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """The session as its reader names it (not its stored search name), then the inspector."""
        for inspection in self:
            inspection.display_name = " – ".join(
                filter(
                    None,
                    [
                        inspection.session_id.display_name,
                        inspection.inspector_id.name,
                    ],
                )
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("headcount_seen")
    def _check_headcount_seen(self):
        for inspection in self:
            if not 0 <= inspection.headcount_seen <= MAX_HEADCOUNT:
                raise ValidationError(
                    self.env._(
                        "The headcount seen must be between 0 and %(max)s.",
                        max=MAX_HEADCOUNT,
                    )
                )

    @api.constrains("inspector_id", "company_id", "session_id")
    def _check_inspector(self):
        for inspection in self:
            if not inspection._is_inspector(inspection.inspector_id):
                raise ValidationError(
                    self.env._(
                        "%(user)s is neither in the leadership group nor a coordinator of %(school)s: only "
                        "they inspect sessions.",
                        user=inspection.inspector_id.name,
                        school=inspection.company_id.name,
                    )
                )
            session = inspection.session_id
            if inspection.inspector_id in (
                session.teacher_id | session.duty_teacher_id
            ):
                raise ValidationError(
                    self.env._(
                        "%(user)s teaches or is on duty at %(session)s: nobody inspects their own session.",
                        user=inspection.inspector_id.name,
                        session=session.display_name,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.pop("state", None)
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            self.check_access(
                "write"
            )  # who may write at all, before what they may change
        if "state" in vals and not self.env.su:
            raise AccessError(
                self.env._("An inspection's status changes only through its buttons.")
            )
        if (
            self.filtered(lambda inspection: inspection.state != "planned")
            and set(vals)
            & {
                "session_id",
                "inspector_id",
                "headcount_seen",
                "no_group_teaching",
                "safety_ok",
                "content_as_planned",
                "inspected_at",
                "finding",
            }
            and not self.env.user.has_group(MANAGER_GROUP)
        ):
            raise UserError(
                self.env._(
                    "A recorded inspection is kept as it was; add a note in its chatter."
                )
            )
        return super().write(vals)

    # ------------------------------------------------------------------ actions
    def action_record(self):
        """Record what was seen: compliant, or an issue with a follow-up to-do for the teacher."""
        self._check_may_act()
        if self.filtered(lambda inspection: inspection.state != "planned"):
            raise UserError(self.env._("Only a planned inspection can be recorded."))
        for inspection in self:
            if inspection.has_issue and not (inspection.finding or "").strip():
                raise UserError(
                    self.env._(
                        "Describe the finding: the checklist or the headcount shows something wrong."
                    )
                )
        now = fields.Datetime.now()
        issues = self.filtered("has_issue")
        for inspection in self:
            inspection.sudo().write(
                {
                    "state": "issue" if inspection.has_issue else "compliant",
                    "inspected_at": inspection.inspected_at or now,
                }
            )
        for inspection in issues.filtered("teacher_id"):
            inspection.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=inspection.teacher_id.id,
                summary=self.env._(
                    "Follow up the inspection of %(session)s",
                    session=inspection.session_id.name,
                ),
                note=inspection.finding,
            )
        return True

    def action_resolve(self):
        """The issue was followed up: the coordinator or the leadership group closes it."""
        self._check_may_act()
        if self.filtered(lambda inspection: inspection.state != "issue"):
            raise UserError(
                self.env._("Only an inspection with an issue can be resolved.")
            )
        self.sudo().activity_feedback(["mail.mail_activity_data_todo"])
        self.sudo().write({"state": "resolved"})
        return True

    # ------------------------------------------------------------------ business
    def _is_inspector(self, user):
        """In the school's leadership group, or a coordinator of the school."""
        self.ensure_one()
        if user.has_group(MANAGER_GROUP) and self.company_id in user.company_ids:
            return True
        return bool(
            self.env["afterschool.leadership.member"]
            .sudo()
            .search_count(
                [("company_id", "=", self.company_id.id), ("user_id", "=", user.id)],
                limit=1,
            )
        )

    def _check_may_act(self):
        """The caller may write these very inspections and is their inspector or a coordinator."""
        self.check_access("write")
        for inspection in self:
            if not (
                self.env.user.has_group(MANAGER_GROUP)
                or inspection.inspector_id == self.env.user
            ):
                raise AccessError(
                    self.env._(
                        "Only the inspector or a coordinator records an inspection."
                    )
                )
