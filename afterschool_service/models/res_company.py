from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    afterschool_period_rate = fields.Monetary(
        string="After-School Period Rate",
        currency_field="currency_id",
        default=3.5,
        help="Default fee per service period for new terms of this school.",
    )
