from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .afterschool_term import WEEKDAY_SELECTION
from .afterschool_text_limit_mixin import NAME_LIMIT


class AfterschoolTermMakeup(models.Model):
    """A make-up school day (调休), e.g. a Saturday that follows Tuesday's timetable."""

    _name = "afterschool.term.makeup"
    _description = "After-School Make-up Day"
    _inherit = ["afterschool.text.limit.mixin"]
    _text_limits = {"name": NAME_LIMIT}
    _order = "term_id, date"

    term_id = fields.Many2one(
        "afterschool.term", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="term_id.company_id", store=True, index=True)
    date = fields.Date(required=True)
    weekday = fields.Selection(
        WEEKDAY_SELECTION,
        string="Follows Timetable Of",
        required=True,
        help="The weekday whose timetable this day follows.",
    )
    name = fields.Char(string="Reason", translate=True)

    _sql_constraints = [
        (
            "date_term_uniq",
            "unique(term_id, date)",
            "This date is already a make-up day of the term.",
        ),
    ]

    @api.constrains("date", "term_id")
    def _check_date_in_term(self):
        for makeup in self:
            term = makeup.term_id
            if not term.date_start <= makeup.date <= term.date_end:
                raise ValidationError(
                    self.env._(
                        "The make-up day %(date)s lies outside the term %(term)s.",
                        date=makeup.date,
                        term=term.name,
                    )
                )
            closure = term.closure_ids.filtered(
                lambda c: c.date_from <= makeup.date <= c.date_to
            )
            if closure:
                raise ValidationError(
                    self.env._(
                        "The make-up day %(date)s falls in the closure %(closure)s.",
                        date=makeup.date,
                        closure=closure[0].name,
                    )
                )
