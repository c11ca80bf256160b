from odoo import api, fields, models


class AfterschoolAgreementSignWizard(models.TransientModel):
    """Staff record a signature given on paper or on the school's tablet."""

    _name = "afterschool.agreement.sign.wizard"
    _description = "Record the Signature of an Entrustment Agreement"

    agreement_id = fields.Many2one("afterschool.agreement", string="Agreement", required=True)
    signer_name = fields.Char(string="Signed By", compute="_compute_signer_name", store=True, readonly=False,
                              precompute=True, required=True)
    signature = fields.Image(max_width=1024, max_height=1024)

    @api.depends("agreement_id")
    def _compute_signer_name(self):
        for wizard in self:
            wizard.signer_name = wizard.agreement_id.guardian_id.name

    def action_confirm(self):
        self.agreement_id.action_sign(self.signer_name, self.signature or False)
        return {"type": "ir.actions.act_window_close"}
