from odoo import api, fields, models


class ResUsers(models.Model):
    """The schools where a user belongs to the leadership group: they read those schools' sessions
    to inspect them (record rules use this field)."""

    _inherit = "res.users"

    afterschool_leadership_company_ids = fields.Many2many(
        "res.company", string="After-School Leadership at", compute="_compute_afterschool_leadership_company_ids",
    )

    @api.depends_context("uid")
    def _compute_afterschool_leadership_company_ids(self):
        members = self.env["afterschool.leadership.member"].sudo().search([("user_id", "in", self.ids)])
        for user in self:
            user.afterschool_leadership_company_ids = members.filtered(lambda m, u=user: m.user_id == u).company_id
