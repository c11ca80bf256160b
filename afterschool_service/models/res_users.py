from odoo import api, fields, models

from ..tools.groups import MANAGER_GROUP, TEACHER_GROUP


class ResUsers(models.Model):
    """Teachers land on today's roll-call; members of a school's leadership group read that school's
    sessions to inspect them (record rules use ``afterschool_leadership_company_ids``)."""

    _inherit = "res.users"

    afterschool_leadership_company_ids = fields.Many2many(
        "res.company",
        string="After-School Leadership at",
        compute="_compute_afterschool_leadership_company_ids",
    )

    @api.depends_context("uid")
    def _compute_afterschool_leadership_company_ids(self):
        members = (
            self.env["afterschool.leadership.member"]
            .sudo()
            .search([("user_id", "in", self.ids)])
        )
        for user in self:
            user.afterschool_leadership_company_ids = members.filtered(
                lambda m, u=user: m.user_id == u
            ).company_id

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._set_afterschool_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if "groups_id" in vals or any(
            key.startswith(("in_group_", "sel_groups_")) for key in vals
        ):
            self._set_afterschool_home_action()
        return result

    def _set_afterschool_home_action(self):
        """Teachers land on their roll-call of today when they log in, unless they have another home."""
        action = self.env.ref(
            "afterschool_service.afterschool_rollcall_action", raise_if_not_found=False
        )
        teachers = self.filtered(
            lambda user: (
                not user.action_id
                and not user.share
                and user.has_group(TEACHER_GROUP)
                and not user.has_group(MANAGER_GROUP)
            )
        )
        if action and teachers:
            teachers.sudo().write({"action_id": action.id})

    def _afterschool_bus_alert(self, title, message):
        """An instant, sticky notification in these users' open Odoo tabs (the alerts that cannot wait)."""
        for user in self.filtered("active"):
            user._bus_send(
                "simple_notification",
                {"type": "warning", "title": title, "message": message, "sticky": True},
            )
