from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .afterschool_text_limit_mixin import NAME_LIMIT, TEXT_LIMIT


class AfterschoolVenue(models.Model):
    """A room or ground where groups meet; its capacity caps the groups placed there."""

    _name = "afterschool.venue"
    _description = "After-School Venue"
    _inherit = ["afterschool.text.limit.mixin"]
    _text_limits = {"name": NAME_LIMIT, "note": TEXT_LIMIT}
    _order = "name"

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    capacity = fields.Integer(required=True, default=40)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    note = fields.Text(translate=True)

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A venue with this name already exists at this school.",
        ),
    ]

    @api.constrains("capacity")
    def _check_capacity(self):
        for venue in self:
            if venue.capacity <= 0:
                raise ValidationError(
                    self.env._(
                        "The venue %(name)s needs a capacity above zero.",
                        name=venue.name,
                    )
                )
        self.env["afterschool.activity.group"].search(
            [("venue_id", "in", self.ids)]
        )._check_capacity()
