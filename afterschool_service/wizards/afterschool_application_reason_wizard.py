from odoo import fields, models


class AfterschoolApplicationReasonWizard(models.TransientModel):
    """Asks why an application is rejected, withdrawn or terminated and, when leaving, from when."""

    _name = "afterschool.application.reason.wizard"
    _description = "Reason for Ending an After-School Application"

    application_ids = fields.Many2many(
        "afterschool.application",
        "afterschool_reason_wizard_application_rel",
        "wizard_id",
        "application_id",
        string="Applications",
        required=True,
    )
    step = fields.Selection(
        [("reject", "Reject"), ("withdraw", "Withdraw"), ("terminate", "Terminate")],
        required=True,
    )
    reason = fields.Text(required=True)
    date_left = fields.Date(
        string="Effective From",
        default=lambda self: self.env.company._afterschool_today(),
        help="From this date on the student no longer attends; earlier attendance stays as it was.",
    )

    def action_confirm(self):
        # every application chosen, even those the user may not read: the steps refuse them
        applications = self.sudo().application_ids.with_env(self.env)
        if self.step == "reject":
            applications.action_reject(self.reason or "")
        elif self.step == "withdraw":
            applications.action_withdraw(self.reason or "", self.date_left)
        else:
            applications.action_terminate(self.reason or "", self.date_left)
        return {"type": "ir.actions.act_window_close"}
