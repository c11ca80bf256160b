from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    afterschool_period_rate = fields.Monetary(
        related="company_id.afterschool_period_rate",
        readonly=False,
        currency_field="currency_id",
    )
