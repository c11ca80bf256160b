from odoo import api, fields, models
from odoo.exceptions import UserError


class AccountMoveLine(models.Model):
    """An after-school invoice line names the student whose periods it bills."""

    _inherit = "account.move.line"

    afterschool_student_id = fields.Many2one(
        "res.partner",
        string="Student",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("afterschool_student_id") for vals in vals_list
        ):
            raise UserError(
                self.env._(
                    "After-school invoice lines are created by the invoicing run only."
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if "afterschool_student_id" in vals and not self.env.su:
            raise UserError(
                self.env._(
                    "The student of an after-school invoice line is recorded by the run only."
                )
            )
        return super().write(vals)

    def unlink(self):
        """Deleting a line of a draft invoice (or the draft itself) releases the attendance it billed."""
        billed_lines = self.filtered("afterschool_student_id")
        if billed_lines:
            self.env["afterschool.billing.entry"].sudo().search(
                [("move_line_id", "in", billed_lines.ids)]
            )._release()
        return super().unlink()
