from odoo import api, fields, models


class AfterschoolLeadershipMember(models.Model):
    """A member of the school's leadership group for the programme (领导小组): they inspect sessions."""

    _name = "afterschool.leadership.member"
    _description = "After-School Leadership Group Member"
    _order = "company_id, role, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Member",
        required=True,
        index=True,
        check_company=True,
        domain="[('share', '=', False)]",
        ondelete="cascade",
    )
    role = fields.Selection(
        [
            ("leader", "Leader (组长)"),
            ("deputy", "Deputy Leader (副组长)"),
            ("member", "Member (成员)"),
        ],
        required=True,
        default="member",
    )

    _sql_constraints = [
        (
            "company_user_uniq",
            "unique(company_id, user_id)",
            "A user is in a school's leadership group once.",
        ),
    ]

    def _compute_display_name(self):
        roles = dict(self._fields["role"]._description_selection(self.env))
        for member in self:
            member.display_name = "%s (%s)" % (
                member.user_id.name or "",
                roles.get(member.role, ""),
            )

    # Record rules read the membership (res.users.afterschool_leadership_company_ids): their cached
    # domains must follow any change of the group.
    @api.model_create_multi
    def create(self, vals_list):
        members = super().create(vals_list)
        self.env.registry.clear_cache()
        return members

    def write(self, vals):
        res = super().write(vals)
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
