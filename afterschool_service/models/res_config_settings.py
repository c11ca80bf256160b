from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    afterschool_period_rate = fields.Monetary(
        related="company_id.afterschool_period_rate",
        readonly=False,
        currency_field="currency_id",
    )

    # ------------------------------------------------------------------ enrolment
    afterschool_coordinator_id = fields.Many2one(related="company_id.afterschool_coordinator_id", readonly=False)
    afterschool_agreement_template = fields.Html(related="company_id.afterschool_agreement_template", readonly=False)

    # ------------------------------------------------------------------ access
    afterschool_attendance_days = fields.Integer(related="company_id.afterschool_attendance_days", readonly=False)

    def action_afterschool_load_default_agreement(self):
        self.company_id.action_afterschool_load_default_agreement()
        return {"type": "ir.actions.client", "tag": "reload"}
