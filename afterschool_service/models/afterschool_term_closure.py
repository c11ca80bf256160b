from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .afterschool_text_limit_mixin import NAME_LIMIT


class AfterschoolTermClosure(models.Model):
    """Days without service inside a term: vacations, exam days, school closures."""

    _name = "afterschool.term.closure"
    _description = "After-School Closure"
    _inherit = ["afterschool.text.limit.mixin"]
    _text_limits = {"name": NAME_LIMIT}
    _order = "term_id, date_from"

    term_id = fields.Many2one(
        "afterschool.term", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="term_id.company_id", store=True, index=True)
    name = fields.Char(required=True, translate=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for closure in self:
            if closure.date_to < closure.date_from:
                raise ValidationError(
                    self.env._(
                        "The closure %(name)s ends before it starts.", name=closure.name
                    )
                )
        self.term_id.makeup_ids._check_date_in_term()

    @api.constrains("date_from", "date_to", "term_id")
    def _check_date_in_term(self):
        for closure in self:
            term = closure.term_id
            if closure.date_to < term.date_start or closure.date_from > term.date_end:
                raise ValidationError(
                    self.env._(
                        "The closure %(name)s (%(start)s to %(end)s) lies outside the term %(term)s.",
                        name=closure.name,
                        start=closure.date_from,
                        end=closure.date_to,
                        term=term.name,
                    )
                )
