from odoo import fields, models


class AccountMoveLine(models.Model):
    """An after-school invoice line names the student whose periods it bills."""

    _inherit = "account.move.line"

    afterschool_student_id = fields.Many2one(
        "res.partner", string="Student", readonly=True, copy=False, index="btree_not_null",
    )

    def unlink(self):
        """Deleting a line of a draft invoice (or the draft itself) releases the attendance it billed."""
        billed_lines = self.filtered("afterschool_student_id")
        if billed_lines:
            self.env["afterschool.billing.entry"].sudo().search([("move_line_id", "in", billed_lines.ids)])._release()
        return super().unlink()
