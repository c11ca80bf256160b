from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.access import check_coordinator
from ..tools.groups import MANAGER_GROUP
from .afterschool_text_limit_mixin import NAME_LIMIT

WEEKDAY_FIELDS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_SELECTION = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
MAX_HOURS_AFTER_DISMISSAL = 2.0
# A service day lasts at most 2 hours, in periods of at least half an hour.
MIN_PERIOD_MINUTES = 30
MAX_PERIODS_PER_DAY = 4
MAX_TERM_DAYS = 366
FIRST_YEAR, LAST_YEAR = 2000, 2199


class AfterschoolTerm(models.Model):
    """One term (学期) of after-school service at one school: the cycle of the programme."""

    _name = "afterschool.term"
    _description = "After-School Term"
    _inherit = ["mail.thread", "mail.activity.mixin", "afterschool.text.limit.mixin"]
    _order = "date_start desc, id desc"
    _text_limits = {"name": NAME_LIMIT}
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    name = fields.Char(required=True, tracking=True, translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", required=True, tracking=True)
    mon = fields.Boolean(string="Monday", default=False)
    tue = fields.Boolean(string="Tuesday", default=True)
    wed = fields.Boolean(string="Wednesday", default=True)
    thu = fields.Boolean(string="Thursday", default=True)
    fri = fields.Boolean(string="Friday", default=True)
    sat = fields.Boolean(string="Saturday", default=False)
    sun = fields.Boolean(string="Sunday", default=False)
    periods_per_day = fields.Integer(
        string="Periods per Day",
        default=2,
        required=True,
        tracking=True,
        help="Billable periods of one service day.",
    )
    period_rate = fields.Monetary(
        string="Rate per Period",
        currency_field="currency_id",
        tracking=True,
        compute="_compute_period_rate",
        store=True,
        readonly=False,
        precompute=True,
        help="Fee of one period; defaults to the school's rate in Settings.",
    )
    window_ids = fields.One2many(
        "afterschool.term.window", "term_id", string="Time Windows", copy=True
    )
    closure_ids = fields.One2many(
        "afterschool.term.closure", "term_id", string="Closures", copy=True
    )
    makeup_ids = fields.One2many(
        "afterschool.term.makeup", "term_id", string="Make-up School Days", copy=True
    )
    group_ids = fields.One2many(
        "afterschool.activity.group", "term_id", string="Activity Groups"
    )
    group_count = fields.Integer(compute="_compute_group_count", string="Groups")
    state = fields.Selection(
        [("draft", "Draft"), ("open", "Open"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )
    service_date_count = fields.Integer(
        compute="_compute_service_date_count",
        string="Service Days",
        help="School days with service in this term, after closures and public holidays.",
    )
    window_warning = fields.Char(compute="_compute_window_warning")
    satisfaction_open = fields.Boolean(
        string="Satisfaction Survey Open",
        readonly=True,
        copy=False,
        tracking=True,
        help="Families rate the groups their children attended in the portal (家长满意度): opened by the "
        "coordinator, usually at the end of the term.",
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A term with this name already exists at this school.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("company_id")
    def _compute_period_rate(self):
        for term in self:
            if not term.period_rate:
                term.period_rate = term.company_id.afterschool_period_rate

    def _compute_group_count(self):
        counts = dict(
            self.env["afterschool.activity.group"]._read_group(
                [("term_id", "in", self.ids)], ["term_id"], ["__count"]
            )
        )
        for term in self:
            term.group_count = counts.get(term, 0)

    @api.depends(
        "date_start",
        "date_end",
        "closure_ids.date_from",
        "closure_ids.date_to",
        "makeup_ids.date",
        "makeup_ids.weekday",
        *WEEKDAY_FIELDS,
    )
    def _compute_service_date_count(self):
        for term in self:
            term.service_date_count = (
                len(term.get_service_dates())
                if term.date_start and term.date_end
                else 0
            )

    @api.depends(
        "date_start",
        "date_end",
        "window_ids.date_from",
        "window_ids.date_to",
        "closure_ids.date_from",
        "closure_ids.date_to",
        "makeup_ids.date",
        "makeup_ids.weekday",
        *WEEKDAY_FIELDS,
    )
    def _compute_window_warning(self):
        for term in self:
            uncovered = (
                term._get_uncovered_dates() if term.date_start and term.date_end else []
            )
            term.window_warning = (
                self.env._(
                    "%(count)s service day(s) have no time window, the first on %(date)s.",
                    count=len(uncovered),
                    date=uncovered[0],
                )
                if uncovered
                else False
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for term in self:
            if term.date_end < term.date_start:
                raise ValidationError(
                    self.env._(
                        "The term %(term)s ends before it starts.", term=term.name
                    )
                )
            if not (
                FIRST_YEAR <= term.date_start.year and term.date_end.year <= LAST_YEAR
            ):
                raise ValidationError(
                    self.env._(
                        "The term %(term)s must lie between the years %(first)s and %(last)s.",
                        term=term.name,
                        first=FIRST_YEAR,
                        last=LAST_YEAR,
                    )
                )
            if (term.date_end - term.date_start).days >= MAX_TERM_DAYS:
                raise ValidationError(
                    self.env._(
                        "The term %(term)s is longer than a year: a term runs for one semester "
                        "(or at most a school year).",
                        term=term.name,
                    )
                )
        self.makeup_ids._check_date_in_term()
        self.window_ids._check_date_in_term()
        self.closure_ids._check_date_in_term()

    @api.constrains("periods_per_day")
    def _check_periods_per_day(self):
        for term in self:
            if term.periods_per_day <= 0:
                raise ValidationError(
                    self.env._("A service day has at least one period.")
                )
            if term.periods_per_day > MAX_PERIODS_PER_DAY:
                raise ValidationError(
                    self.env._(
                        "A service day has at most %(most)s periods: service ends at most 2 hours after dismissal.",
                        most=MAX_PERIODS_PER_DAY,
                    )
                )

    @api.constrains("period_rate")
    def _check_period_rate(self):
        for term in self:
            if term.period_rate < 0:
                raise ValidationError(
                    self.env._("The rate per period cannot be negative.")
                )

    @api.constrains(*WEEKDAY_FIELDS)
    def _check_weekdays(self):
        for term in self:
            if not term._get_weekdays():
                raise ValidationError(
                    self.env._(
                        "The term %(term)s needs at least one service weekday.",
                        term=term.name,
                    )
                )
        self.group_ids._check_days()

    # ------------------------------------------------------------------ actions
    def action_open(self):
        """Open the term for enrolment; its windows must cover every service day."""
        for term in self:
            if term.state != "draft":
                raise UserError(self.env._("Only a draft term can be opened."))
            uncovered = term._get_uncovered_dates()
            if uncovered:
                raise UserError(
                    self.env._(
                        "The time windows of %(term)s do not cover %(count)s service day(s), "
                        "the first on %(date)s. Add or extend a window first.",
                        term=term.name,
                        count=len(uncovered),
                        date=uncovered[0],
                    )
                )
        self.write({"state": "open"})
        return True

    def action_close(self):
        if any(term.state != "open" for term in self):
            raise UserError(self.env._("Only an open term can be closed."))
        self.write({"state": "closed"})
        return True

    def action_open_satisfaction(self):
        """Let the families of the term rate the groups their children attended."""
        self._check_satisfaction_right()
        self.sudo().write({"satisfaction_open": True})
        return True

    def action_close_satisfaction(self):
        self._check_satisfaction_right()
        self.sudo().write({"satisfaction_open": False})
        return True

    def _check_satisfaction_right(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only the coordinator opens or closes the satisfaction survey."
                )
            )
        self.check_access("write")

    def action_archive(self):
        """Privacy at the end of a term: archive a closed term with its students' data (groups, applications,
        agreements, attendance). Kept for the records — billing and the supervision ledger still count them —
        but off the everyday screens, and teachers no longer see those students through this term."""
        if any(term.state != "closed" for term in self):
            raise UserError(
                self.env._(
                    "Only a closed term can be archived with its students' data: close it first."
                )
            )
        self._set_student_data_active(False)
        return super().action_archive()

    def action_unarchive(self):
        result = super().action_unarchive()
        self._set_student_data_active(True)
        return result

    def action_reset_draft(self):
        if any(term.state == "draft" for term in self):
            raise UserError(
                self.env._("Only an open or closed term can go back to draft.")
            )
        self.write({"state": "draft"})
        return True

    def action_generate_sessions(self):
        """Create the missing sessions of every group of the term (contract API); idempotent.

        Running it again after a closure, a holiday or a change of a group's days also cancels
        the sessions that left the schedule; the work itself lives with the sessions.
        """
        check_coordinator(
            self,
            self.env._("Only the coordinator can generate the sessions of a term."),
        )
        if any(term.state == "closed" for term in self):
            raise UserError(
                self.env._("Sessions cannot be generated for a closed term.")
            )
        created = self.env["afterschool.session"]._generate_for_terms(self)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "%(count)s new session(s) planned.", count=len(created)
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_session_action"
        )
        action["domain"] = [("term_id", "=", self.id)]
        action["context"] = {"search_default_filter_planned": 0}
        return action

    def action_view_groups(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_activity_group_action"
        )
        action["domain"] = [("term_id", "=", self.id)]
        action["context"] = {"default_term_id": self.id}
        return action

    # ------------------------------------------------------------------ business
    def _set_student_data_active(self, active):
        """Archive (or restore) the terms' groups, applications, agreements and attendance, a query per model."""
        if not self:
            return
        domain = [("term_id", "in", self.ids), ("active", "=", not active)]
        for model in (
            "afterschool.activity.group",
            "afterschool.application",
            "afterschool.agreement",
            "afterschool.attendance",
        ):
            self.env[model].with_context(active_test=False).search(domain).write(
                {"active": active}
            )

    def _get_weekdays(self):
        """The service weekdays as Python weekday numbers (0 = Monday)."""
        self.ensure_one()
        return {index for index, day in enumerate(WEEKDAY_FIELDS) if self[day]}

    def _get_tz(self):
        """The school's timezone: the working calendar's, else the company's, else China's."""
        self.ensure_one()
        return self.company_id._afterschool_tz()

    def _get_public_holidays(self):
        """Local dates covered by the company's public holidays (calendar leaves without a resource)."""
        self.ensure_one()
        company = self.company_id
        tz = self._get_tz()
        start = fields.Datetime.to_datetime(self.date_start) - timedelta(days=1)
        stop = fields.Datetime.to_datetime(self.date_end) + timedelta(days=2)
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search(
                [
                    ("resource_id", "=", False),
                    ("company_id", "=", company.id),
                    ("calendar_id", "in", [company.resource_calendar_id.id, False]),
                    ("date_from", "<", stop),
                    ("date_to", ">", start),
                ]
            )
        )
        holidays = set()
        for leave in leaves:
            first = pytz.utc.localize(leave.date_from).astimezone(tz).date()
            last = (
                (pytz.utc.localize(leave.date_to) - timedelta(seconds=1))
                .astimezone(tz)
                .date()
            )
            while first <= last:
                holidays.add(first)
                first += timedelta(days=1)
        return holidays

    def _get_service_schedule(self):
        """Map each service date to the weekday whose timetable it follows.

        A normal school day follows its own weekday; a make-up day (调休) follows the weekday
        it was declared for, and counts only when that weekday is a service weekday.
        """
        self.ensure_one()
        weekdays = self._get_weekdays()
        closed = set()
        for closure in self.closure_ids:
            day = max(closure.date_from, self.date_start)
            while day <= min(closure.date_to, self.date_end):
                closed.add(day)
                day += timedelta(days=1)
        closed |= self._get_public_holidays()
        schedule = {}
        day = self.date_start
        while day <= self.date_end:
            if day.weekday() in weekdays and day not in closed:
                schedule[day] = day.weekday()
            day += timedelta(days=1)
        for makeup in self.makeup_ids.filtered(
            lambda m: self.date_start <= m.date <= self.date_end
        ):
            followed = int(makeup.weekday)
            if followed in weekdays:
                schedule[makeup.date] = followed
            else:
                schedule.pop(makeup.date, None)
        return dict(sorted(schedule.items()))

    def get_service_dates(self):
        """The term's service dates as 'YYYY-MM-DD' strings (contract API)."""
        self.ensure_one()
        return [fields.Date.to_string(day) for day in self._get_service_schedule()]

    def _get_window(self, day):
        """The seasonal window in force on a date, or an empty recordset."""
        self.ensure_one()
        return self.window_ids.filtered(lambda w: w.date_from <= day <= w.date_to)[:1]

    def _get_uncovered_dates(self):
        """Service dates (as strings) that no time window covers."""
        self.ensure_one()
        windows = [
            (w.date_from, w.date_to)
            for w in self.window_ids
            if w.date_from and w.date_to
        ]
        return [
            fields.Date.to_string(day)
            for day in self._get_service_schedule()
            if not any(start <= day <= end for start, end in windows)
        ]
