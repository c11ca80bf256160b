from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty


class ResCompany(models.Model):
    _inherit = "res.company"

    afterschool_period_rate = fields.Monetary(
        string="After-School Period Rate",
        currency_field="currency_id",
        default=3.5,
        help="Default fee per service period for new terms of this school.",
    )

    # ------------------------------------------------------------------ enrolment
    afterschool_coordinator_id = fields.Many2one(
        "res.users", string="After-School Coordinator", domain="[('share', '=', False)]",
        help="Receives the school-review to-dos of the after-school applications. "
        "When empty, the first coordinator of the school does.",
    )
    afterschool_agreement_template = fields.Html(
        string="Entrustment Agreement Text", translate=True, sanitize_attributes=False,
        help="The text of the after-school entrustment agreement (委托协议), one per language. Placeholders: "
        "{{school}}, {{student}}, {{class}}, {{guardian}}, {{term}}, {{date_start}}, {{date_end}}, "
        "{{days}}, {{times}}, {{rate}}, {{periods_per_day}}, {{guardians}}, {{groups}}, {{venues}}, {{group_times}}, "
        "{{settlement}}, {{pickup_persons}}, {{emergency_contact}}, {{health_notes}}. "
        "Empty: the standard text is used.",
    )

    # ------------------------------------------------------------------ access
    afterschool_attendance_days = fields.Integer(
        string="Days to Correct Attendance", default=3,
        help="Teachers take attendance on the day of the session and may correct it this many days "
        "afterwards (0: on the day only). Later corrections are the coordinator's.",
    )

    @api.constrains("afterschool_attendance_days")
    def _check_afterschool_attendance_days(self):
        for company in self:
            if company.afterschool_attendance_days < 0:
                raise ValidationError(self.env._("The days to correct attendance cannot be negative."))

    def _get_afterschool_coordinator(self):
        """Who gets the school-review to-dos: the configured coordinator, else the first one of the school."""
        self.ensure_one()
        if self.afterschool_coordinator_id:
            return self.afterschool_coordinator_id
        return self.env["res.users"].sudo().search([
            ("groups_id", "in", self.env.ref("afterschool_service.group_afterschool_manager").id),
            ("company_ids", "in", self.id), ("share", "=", False), ("id", "!=", SUPERUSER_ID),
        ], order="id", limit=1)

    def _get_afterschool_agreement_template(self):
        """The school's agreement text in the context language, else the standard text in that language."""
        self.ensure_one()
        if not is_html_empty(self.afterschool_agreement_template):
            return self.afterschool_agreement_template
        return self.env["ir.qweb"]._render("afterschool_service.afterschool_agreement_default_text", {})

    def action_afterschool_load_default_agreement(self):
        """Fill the agreement text with the standard text, in every active language, to edit from there."""
        for lang, _name in self.env["res.lang"].get_installed():
            for company in self.with_context(lang=lang):
                company.afterschool_agreement_template = self.env["ir.qweb"].with_context(lang=lang)._render(
                    "afterschool_service.afterschool_agreement_default_text", {})
        return True
