from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.groups import ACCOUNTANT_GROUP


class AfterschoolInvoiceWizard(models.TransientModel):
    """The accountant's invoicing run for one school and period (by default the previous month)."""

    _name = "afterschool.invoice.wizard"
    _description = "Create After-School Invoices"

    # ------------------------------------------------------------------ fields
    company_id = fields.Many2one(
        "res.company",
        string="School",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.companies.ids)],
    )
    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_period()[0]
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: self._default_period()[1]
    )
    guardian_count = fields.Integer(
        compute="_compute_preview",
        string="Guardians to Invoice",
        help="Guardians whose invoices or credit notes this run will create.",
    )

    # ------------------------------------------------------------------ defaults
    @api.model
    def _default_period(self):
        """The previous calendar month, in the user's timezone."""
        first_of_month = self.env.company._afterschool_today().replace(day=1)
        return first_of_month - relativedelta(months=1), first_of_month - relativedelta(
            days=1
        )

    # ------------------------------------------------------------------ computes
    @api.depends("company_id", "date_from", "date_to")
    def _compute_preview(self):
        for wizard in self:
            wizard.guardian_count = (
                wizard._new_run()._count_remaining() if wizard._is_valid_period() else 0
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if not wizard._is_valid_period():
                raise ValidationError(
                    self.env._("The invoicing period ends before it starts.")
                )

    # ------------------------------------------------------------------ actions
    def action_create_invoices(self):
        """Create the period's invoices and credit notes, all or nothing; show the run's result."""
        self.ensure_one()
        if not (self.env.su or self.env.user.has_group(ACCOUNTANT_GROUP)):
            raise AccessError(
                self.env._("Only an accountant can create the after-school invoices.")
            )
        if self.company_id not in self.env.companies:
            raise UserError(
                self.env._(
                    "You cannot invoice for %(school)s: it is not among your selected companies.",
                    school=self.company_id.name,
                )
            )
        # Runs, the invoices' links to them and what attendance was billed are the system's: the run
        # works as superuser once the accountant and the school are checked, and records who ran it.
        run = (
            self.env["afterschool.invoice.run"]
            .sudo()
            .create(
                {
                    "company_id": self.company_id.id,
                    "date_from": self.date_from,
                    "date_to": self.date_to,
                    "origin": "manual",
                    "user_id": self.env.uid,
                }
            )
        )
        run._execute()
        return {
            "type": "ir.actions.act_window",
            "res_model": "afterschool.invoice.run",
            "res_id": run.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ business
    def _is_valid_period(self):
        return bool(self.date_from and self.date_to and self.date_from <= self.date_to)

    def _new_run(self):
        return self.env["afterschool.invoice.run"].new(
            {
                "company_id": self.company_id.id,
                "date_from": self.date_from,
                "date_to": self.date_to,
            }
        )
