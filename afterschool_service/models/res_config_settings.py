from odoo import Command, api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    afterschool_period_rate = fields.Monetary(
        related="company_id.afterschool_period_rate",
        readonly=False,
        currency_field="currency_id",
    )

    afterschool_invoice_due_days = fields.Integer(
        related="company_id.afterschool_invoice_due_days", readonly=False
    )

    # ------------------------------------------------------------------ enrolment
    afterschool_coordinator_id = fields.Many2one(
        related="company_id.afterschool_coordinator_id", readonly=False
    )
    afterschool_agreement_template = fields.Html(
        related="company_id.afterschool_agreement_template", readonly=False
    )

    afterschool_posting_full_names = fields.Boolean(
        related="company_id.afterschool_posting_full_names", readonly=False
    )
    afterschool_posting_days = fields.Integer(
        related="company_id.afterschool_posting_days", readonly=False
    )
    afterschool_posting_contact = fields.Char(
        related="company_id.afterschool_posting_contact", readonly=False
    )

    # ------------------------------------------------------------------ access
    afterschool_attendance_days = fields.Integer(
        related="company_id.afterschool_attendance_days", readonly=False
    )
    afterschool_content_presets = fields.Text(
        related="company_id.afterschool_content_presets", readonly=False
    )

    # ------------------------------------------------------------------ family notices
    afterschool_not_collected_minutes = fields.Integer(
        related="company_id.afterschool_not_collected_minutes", readonly=False
    )
    afterschool_notice_mandatory_absence = fields.Boolean(
        related="company_id.afterschool_notice_mandatory_absence", readonly=False
    )
    afterschool_notice_mandatory_pickup = fields.Boolean(
        related="company_id.afterschool_notice_mandatory_pickup", readonly=False
    )
    afterschool_notice_mandatory_not_collected = fields.Boolean(
        related="company_id.afterschool_notice_mandatory_not_collected", readonly=False
    )
    afterschool_notice_sms = fields.Boolean(
        related="company_id.afterschool_notice_sms", readonly=False
    )
    afterschool_notice_contact = fields.Char(
        related="company_id.afterschool_notice_contact", readonly=False
    )
    afterschool_sms_installed = fields.Boolean(
        string="SMS App Installed", compute="_compute_afterschool_sms_installed"
    )

    def _compute_afterschool_sms_installed(self):
        self.afterschool_sms_installed = "sms.sms" in self.env

    def action_afterschool_load_default_agreement(self):
        self.company_id.action_afterschool_load_default_agreement()
        return {"type": "ir.actions.client", "tag": "reload"}

    # ------------------------------------------------------------------ billing
    afterschool_tax_ids = fields.Many2many(
        "account.tax",
        "afterschool_settings_tax_rel",
        "settings_id",
        "tax_id",
        string="Taxes on After-School Fees",
        domain="[('type_tax_use', '=', 'sale'), ('company_id', 'parent_of', company_id)]",
        help="Sales taxes of this school on the after-school service product; none by default.",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        product = self.env.ref("afterschool_service.product_service_period").sudo()
        res["afterschool_tax_ids"] = [
            Command.set(
                product.taxes_id.filtered(
                    lambda tax: tax.company_id == self.env.company
                ).ids
            )
        ]
        return res

    def set_values(self):
        """The product is shared by all schools: change only this school's taxes on it."""
        res = super().set_values()
        product = self.env.ref("afterschool_service.product_service_period").sudo()
        company_taxes = product.taxes_id.filtered(
            lambda tax: tax.company_id == self.company_id
        )
        if company_taxes != self.afterschool_tax_ids:
            product.taxes_id = (
                product.taxes_id - company_taxes | self.afterschool_tax_ids
            )
        return res
