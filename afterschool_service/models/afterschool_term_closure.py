from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AfterschoolTermClosure(models.Model):
    """Days without service inside a term: vacations, exam days, school closures."""

    _name = "afterschool.term.closure"
    _description = "After-School Closure"
    _order = "term_id, date_from"

    term_id = fields.Many2one("afterschool.term", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="term_id.company_id", store=True, index=True)
    name = fields.Char(required=True, translate=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for closure in self:
            if closure.date_to < closure.date_from:
                raise ValidationError(self.env._(
                    "The closure %(name)s ends before it starts.", name=closure.name))
        self.term_id.makeup_ids._check_date_in_term()
