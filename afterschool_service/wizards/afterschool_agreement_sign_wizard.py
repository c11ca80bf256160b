from odoo import api, fields, models


class AfterschoolAgreementSignWizard(models.TransientModel):
    """Staff record a signature given on paper or on the school's tablet: which guardian signed, under what
    name; the agreement keeps who recorded it."""

    _name = "afterschool.agreement.sign.wizard"
    _description = "Record the Signature of an Entrustment Agreement"

    agreement_id = fields.Many2one(
        "afterschool.agreement", string="Agreement", required=True
    )
    student_guardian_ids = fields.Many2many(
        related="agreement_id.student_guardian_ids", string="Guardians"
    )
    guardian_id = fields.Many2one(
        "res.partner",
        string="Guardian Who Signed",
        required=True,
        compute="_compute_guardian_id",
        store=True,
        readonly=False,
        precompute=True,
        domain="[('id', 'in', student_guardian_ids)]",
    )
    signer_name = fields.Char(
        string="Signed By",
        compute="_compute_signer_name",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
    )
    signature = fields.Image(max_width=1024, max_height=1024)

    @api.depends("agreement_id")
    def _compute_guardian_id(self):
        for wizard in self:
            wizard.guardian_id = wizard.agreement_id.guardian_id

    @api.depends("guardian_id")
    def _compute_signer_name(self):
        for wizard in self:
            wizard.signer_name = wizard.guardian_id.name

    def action_confirm(self):
        self.agreement_id.action_sign(
            self.signer_name, self.signature or False, guardian_id=self.guardian_id.id
        )
        return {"type": "ir.actions.act_window_close"}
