from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """After-school invoices are ordinary customer invoices; cancelling one releases its attendance."""

    _inherit = "account.move"

    afterschool_run_id = fields.Many2one(
        "afterschool.invoice.run",
        string="After-School Invoicing Run",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    afterschool_entry_ids = fields.One2many(
        "afterschool.billing.entry",
        "move_id",
        string="Periods Billed",
        readonly=True,
    )
    afterschool_entry_count = fields.Integer(
        compute="_compute_afterschool_entry_count", string="Attendance Billed"
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("afterschool_run_id") for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "After-school invoices are created by the invoicing run only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if "afterschool_run_id" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The invoicing run of an invoice is recorded by the run only."
                )
            )
        return super().write(vals)

    def _compute_afterschool_entry_count(self):
        # sudo: any user who opens an invoice sees the count; the list itself follows access rights
        counts = dict(
            self.env["afterschool.billing.entry"]
            .sudo()
            ._read_group([("move_id", "in", self.ids)], ["move_id"], ["__count"])
        )
        for move in self:
            move.afterschool_entry_count = counts.get(move.sudo(), 0)

    def _afterschool_letterhead_in_page(self, report_type):
        """Whether the invoice prints the school's letterhead in the page itself: an after-school invoice
        printed as PDF by a wkhtmltopdf that drops the layout's separate header (Debian's build, unpatched
        Qt). Elsewhere the layout's own header shows the school (patched wkhtmltopdf, the HTML preview),
        so it is not printed twice, and other invoices are left as Odoo prints them."""
        self.ensure_one()
        return (
            bool(self.afterschool_run_id)
            and report_type == "pdf"
            and not self.env["ir.actions.report"]._afterschool_pdf_prints_headers()
        )

    # ------------------------------------------------------------------ actions
    def button_cancel(self):
        """A cancelled invoice no longer bills its attendance: the next run bills it again."""
        res = super().button_cancel()
        self.env["afterschool.billing.entry"].sudo().search(
            [("move_id", "in", self.ids)]
        )._release()
        return res

    def button_draft(self):
        """Refuse to revive a cancelled after-school invoice: its attendance may be billed again already."""
        if any(move.state == "cancel" and move.afterschool_run_id for move in self):
            raise UserError(
                self.env._(
                    "This after-school invoice was cancelled and its attendance released for the next invoicing "
                    "run; resetting it to draft would bill those periods twice. Run the invoicing again instead."
                )
            )
        return super().button_draft()

    def action_view_afterschool_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_billing_entry_action"
        )
        action["domain"] = [("move_id", "=", self.id)]
        return action
