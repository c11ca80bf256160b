from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_duration

from .afterschool_term import MAX_HOURS_AFTER_DISMISSAL
from .afterschool_text_limit_mixin import NAME_LIMIT


class AfterschoolTermWindow(models.Model):
    """A seasonal time window: from dismissal (hour_from) to the end of service (hour_to)."""

    _name = "afterschool.term.window"
    _description = "After-School Time Window"
    _inherit = ["afterschool.text.limit.mixin"]
    _text_limits = {"name": NAME_LIMIT}
    _order = "term_id, date_from"

    term_id = fields.Many2one(
        "afterschool.term", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="term_id.company_id", store=True, index=True)
    name = fields.Char(string="Season", translate=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    hour_from = fields.Float(
        string="Dismissal",
        required=True,
        default=16 + 20 / 60,
        help="Time of dismissal, when service starts.",
    )
    hour_to = fields.Float(string="Service Ends", required=True, default=17 + 50 / 60)

    @api.depends("name", "date_from", "date_to", "hour_from", "hour_to")
    def _compute_display_name(self):
        for window in self:
            window.display_name = "%s %s–%s" % (
                window.name or "",
                format_duration(window.hour_from),
                format_duration(window.hour_to),
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for window in self:
            if window.date_to < window.date_from:
                raise ValidationError(
                    self.env._(
                        "A time window cannot end (%(end)s) before it starts (%(start)s).",
                        end=window.date_to,
                        start=window.date_from,
                    )
                )

    @api.constrains("date_from", "date_to", "term_id")
    def _check_date_in_term(self):
        for window in self:
            term = window.term_id
            if window.date_from < term.date_start or window.date_to > term.date_end:
                raise ValidationError(
                    self.env._(
                        "The time window %(window)s (%(start)s to %(end)s) lies outside the term %(term)s.",
                        window=window.display_name,
                        start=window.date_from,
                        end=window.date_to,
                        term=term.name,
                    )
                )

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for window in self:
            if not (0 <= window.hour_from < 24 and 0 < window.hour_to <= 24):
                raise ValidationError(
                    self.env._("Window hours must lie within the day.")
                )
            if window.hour_to <= window.hour_from:
                raise ValidationError(
                    self.env._(
                        "A time window must end after dismissal (%(start)s).",
                        start=format_duration(window.hour_from),
                    )
                )
            if window.hour_to - window.hour_from > MAX_HOURS_AFTER_DISMISSAL + 1e-6:
                raise ValidationError(
                    self.env._(
                        "Service may not end more than 2 hours after dismissal: %(start)s–%(end)s is too long.",
                        start=format_duration(window.hour_from),
                        end=format_duration(window.hour_to),
                    )
                )

    @api.constrains("date_from", "date_to", "term_id")
    def _check_overlap(self):
        for term in self.term_id:
            windows = term.window_ids.sorted("date_from")
            for previous, current in zip(windows, windows[1:]):
                if current.date_from <= previous.date_to:
                    raise ValidationError(
                        self.env._(
                            "The time windows %(first)s and %(second)s of %(term)s overlap.",
                            first=previous.display_name,
                            second=current.display_name,
                            term=term.name,
                        )
                    )
