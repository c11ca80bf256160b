from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

from ..tools.application_states import PLACED_STATES
from .afterschool_class import MAX_GRADE, MIN_GRADE
from .afterschool_term import WEEKDAY_FIELDS
from .afterschool_text_limit_mixin import NAME_LIMIT, check_staff


class AfterschoolActivityGroup(models.Model):
    """A reading room, club or homework room of one term, with its teacher, venue and capacity."""

    _name = "afterschool.activity.group"
    _description = "After-School Activity Group"
    _inherit = ["mail.thread", "mail.activity.mixin", "afterschool.text.limit.mixin"]
    _text_limits = {"name": NAME_LIMIT}
    _order = "term_id desc, kind, grade_min, name"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    name = fields.Char(required=True, tracking=True, translate=True)
    active = fields.Boolean(default=True)
    term_id = fields.Many2one(
        "afterschool.term",
        string="Term",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        related="term_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    kind = fields.Selection(
        [("reading", "Reading Room"), ("club", "Club"), ("homework", "Homework Room")],
        required=True,
        default="club",
        tracking=True,
    )
    teacher_id = fields.Many2one(
        "res.users",
        string="Responsible Teacher",
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    venue_id = fields.Many2one(
        "afterschool.venue", string="Venue", tracking=True, check_company=True
    )
    capacity = fields.Integer(required=True, default=30, tracking=True)
    grade_min = fields.Integer(string="From Grade", required=True, default=MIN_GRADE)
    grade_max = fields.Integer(string="To Grade", required=True, default=MAX_GRADE)
    mon = fields.Boolean(
        string="Monday",
        compute="_compute_days",
        store=True,
        readonly=False,
        precompute=True,
    )
    tue = fields.Boolean(
        string="Tuesday",
        compute="_compute_days",
        store=True,
        readonly=False,
        precompute=True,
    )
    wed = fields.Boolean(
        string="Wednesday",
        compute="_compute_days",
        store=True,
        readonly=False,
        precompute=True,
    )
    thu = fields.Boolean(
        string="Thursday",
        compute="_compute_days",
        store=True,
        readonly=False,
        precompute=True,
    )
    fri = fields.Boolean(
        string="Friday",
        compute="_compute_days",
        store=True,
        readonly=False,
        precompute=True,
    )
    sat = fields.Boolean(
        string="Saturday",
        compute="_compute_days",
        store=True,
        readonly=False,
        precompute=True,
    )
    sun = fields.Boolean(
        string="Sunday",
        compute="_compute_days",
        store=True,
        readonly=False,
        precompute=True,
    )
    date_from = fields.Date(
        string="Meets From",
        tracking=True,
        help="First date the group meets, for a room opened during the term; empty: from the term's start.",
    )
    description = fields.Html(
        translate=True, help="What the group does; shown to families when they apply."
    )
    color = fields.Integer()
    student_ids = fields.Many2many(
        "res.partner",
        string="Students",
        compute="_compute_student_ids",
        help="Students placed in this group and not withdrawn.",
    )
    student_count = fields.Integer(compute="_compute_student_count", string="Placed")
    session_ids = fields.One2many("afterschool.session", "group_id", string="Sessions")
    fill_rate = fields.Float(compute="_compute_student_count", string="Fill Rate (%)")

    # ------------------------------------------------------------------ computes
    @api.depends("term_id")
    def _compute_days(self):
        for group in self:
            for day in WEEKDAY_FIELDS:
                group[day] = group.term_id[day]

    @api.depends_context("uid")
    def _compute_student_ids(self):
        """The list shows the placed students the user may see (the form, not the kanban or list:
        checking access to every student of every group is what made those slow)."""
        placed = self._get_placed_students()
        Partner = self.env["res.partner"]
        visible = (
            Partner.union(*placed.values()).with_env(self.env)._filtered_access("read")
        )
        for group in self:
            group.student_ids = placed.get(group.id, Partner) & visible

    def _compute_student_count(self):
        """Count and fill rate are of all the students placed, in one grouped query."""
        # sudo: the count is the group's own figure, whoever may read the applications behind it
        counts = dict(
            self.env["afterschool.application"]
            .sudo()
            ._read_group(
                [("group_ids", "in", self.ids), ("state", "in", PLACED_STATES)],
                ["group_ids"],
                ["student_id:count_distinct"],
            )
        )
        for group in self:
            count = counts.get(group.sudo(), 0) if group.id else 0
            group.student_count = count
            group.fill_rate = 100.0 * count / group.capacity if group.capacity else 0.0

    def _get_placed_students(self):
        """{group id: students placed} from the live applications, in one grouped query (not the
        applications read one by one: a district-size term has thousands)."""
        placed, mine = {}, set(self.ids)
        Partner = self.env["res.partner"]
        for group, student_ids in (
            self.env["afterschool.application"]
            .sudo()
            ._read_group(
                [("group_ids", "in", self.ids), ("state", "in", PLACED_STATES)],
                ["group_ids"],
                ["student_id:array_agg"],
            )
        ):
            if group.id in mine:  # the applications' other groups come along
                placed[group.id] = Partner.browse(sorted(set(student_ids) - {None}))
        return placed

    # ------------------------------------------------------------------ constraints
    @api.constrains("capacity", "venue_id")
    def _check_capacity(self):
        for group in self:
            if group.capacity <= 0:
                raise ValidationError(
                    self.env._(
                        "The group %(name)s needs a capacity above zero.",
                        name=group.name,
                    )
                )
            if group.venue_id and group.capacity > group.venue_id.capacity:
                raise ValidationError(
                    self.env._(
                        "The group %(name)s cannot take %(capacity)s students: "
                        "its venue %(venue)s holds %(venue_capacity)s.",
                        name=group.name,
                        capacity=group.capacity,
                        venue=group.venue_id.name,
                        venue_capacity=group.venue_id.capacity,
                    )
                )

    @api.constrains("teacher_id")
    def _check_teacher_is_staff(self):
        check_staff(self.env, self.teacher_id)

    @api.constrains("grade_min", "grade_max")
    def _check_grades(self):
        for group in self:
            if not MIN_GRADE <= group.grade_min <= group.grade_max <= MAX_GRADE:
                raise ValidationError(
                    self.env._(
                        "The grades of %(name)s must run from 1 to 6, lowest first (got %(min)s to %(max)s).",
                        name=group.name,
                        min=group.grade_min,
                        max=group.grade_max,
                    )
                )

    @api.constrains("term_id", *WEEKDAY_FIELDS)
    def _check_days(self):
        for group in self:
            days = {day for day in WEEKDAY_FIELDS if group[day]}
            if not days:
                raise ValidationError(
                    self.env._("The group %(name)s meets on no day.", name=group.name)
                )
            extra = [day for day in days if not group.term_id[day]]
            if extra:
                labels = ", ".join(
                    group._fields[day].get_description(self.env)["string"]
                    for day in extra
                )
                raise ValidationError(
                    self.env._(
                        "The group %(name)s cannot meet on %(days)s: the term has no service then.",
                        name=group.name,
                        days=labels,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    def write(self, vals):
        enlarged = (
            self.filtered(lambda group: vals["capacity"] > group.capacity)
            if "capacity" in vals
            else self.browse()
        )
        result = super().write(vals)
        enlarged._promote_waiting_list()
        if {"teacher_id", "venue_id"} & set(vals):
            self._update_planned_sessions(vals)
        if set(WEEKDAY_FIELDS) & set(vals):
            scheduled = self.filtered("session_ids")
            if scheduled:
                self.env["afterschool.session"]._generate_for_terms(
                    scheduled.term_id, groups=scheduled
                )
        return result

    # ------------------------------------------------------------------ business
    def _update_planned_sessions(self, vals):
        """A new teacher or venue takes over the group's planned sessions from today on."""
        changes = {
            name: vals[name] for name in ("teacher_id", "venue_id") if name in vals
        }
        sessions = (
            self.env["afterschool.session"]
            .sudo()
            .search(
                [
                    ("group_id", "in", self.ids),
                    ("state", "=", "planned"),
                    ("date", ">=", self.company_id[:1]._afterschool_today()),
                ]
            )
        )
        sessions.write(changes)

    def _get_weekdays(self):
        """The group's days as Python weekday numbers (0 = Monday)."""
        self.ensure_one()
        return {index for index, day in enumerate(WEEKDAY_FIELDS) if self[day]}

    def _get_days_label(self):
        """'Tuesday, Thursday': the group's days in the user's language, for families."""
        self.ensure_one()
        return ", ".join(
            self._fields[day].get_description(self.env)["string"]
            for day in WEEKDAY_FIELDS
            if self[day]
        )

    def _get_times_label(self):
        """'16:30–18:00 (1 Sep – 31 Oct), 16:20–17:50 (1 Nov – 22 Jan)': the group's times, for families."""
        self.ensure_one()

        def hours(value):
            return "%02d:%02d" % divmod(round(value * 60), 60)

        windows = self.term_id.window_ids.sorted("date_from")
        if len(windows) == 1:
            return "%s–%s" % (hours(windows.hour_from), hours(windows.hour_to))
        return ", ".join(
            "%s–%s (%s – %s)"
            % (
                hours(window.hour_from),
                hours(window.hour_to),
                format_date(self.env, window.date_from, date_format="MMMd"),
                format_date(self.env, window.date_to, date_format="MMMd"),
            )
            for window in windows
        )

    def _admits_grade(self, grade):
        self.ensure_one()
        return self.grade_min <= grade <= self.grade_max

    # ------------------------------------------------------------------ enrolment: places and waiting list
    @api.constrains("capacity")
    def _check_capacity_above_placed(self):
        placed = self.env["afterschool.application"]._get_placed_counts(self)
        for group in self:
            if placed.get(group.id, 0) > group.capacity:
                raise ValidationError(
                    self.env._(
                        "%(count)s students are placed in %(name)s: its capacity cannot go below that.",
                        count=placed[group.id],
                        name=group.name,
                    )
                )

    def _promote_waiting_list(self):
        """A place freed up (withdrawal, termination, more capacity): place the next students waiting."""
        if not self:
            return 0
        return self._get_waiting_applications()._allocate(self)

    def _get_waiting_applications(self):
        """Approved applications waiting for a place in one of these groups."""
        waiting = (
            self.env["afterschool.application"]
            .sudo()
            .search(
                [("is_waiting", "=", True), ("requested_group_ids", "in", self.ids)]
            )
        )
        return waiting.filtered(
            lambda application: application.waiting_group_ids & self
        )

    def _open_room_in_venue(self, venue, teacher):
        """Open another room like this one in ``venue`` with ``teacher`` for the students waiting for this one.

        Both must be free on the room's days and times from today on. The room meets from today: its
        sessions are planned at once, the waiting students join its requested groups (it is the same
        activity) and are placed there in order of priority, with their rosters; the coordinator is told
        who moved and why.
        """
        self.ensure_one()
        today = self.company_id._afterschool_today()
        if today > self.term_id.date_end:
            raise UserError(
                self.env._(
                    "The term %(term)s is over: no room can be opened.",
                    term=self.term_id.name,
                )
            )
        date_from = max(today, self.term_id.date_start)
        if venue not in self._get_free_resources("venue_id", date_from):
            raise UserError(
                self.env._(
                    "The venue %(venue)s is not free on the days and times of %(group)s: choose a free venue.",
                    venue=venue.name,
                    group=self.name,
                )
            )
        if not teacher:
            raise UserError(
                self.env._(
                    "Choose the teacher of the new room: a room is never left without one."
                )
            )
        if teacher not in self._get_free_resources("teacher_id", date_from):
            raise UserError(
                self.env._(
                    "The teacher %(teacher)s is not free on the days and times of %(group)s: choose a free teacher.",
                    teacher=teacher.name,
                    group=self.name,
                )
            )
        room = self.copy(
            {
                "name": self.env._(
                    "%(name)s (%(venue)s)", name=self.name, venue=venue.name
                ),
                "venue_id": venue.id,
                "capacity": min(self.capacity, venue.capacity),
                "teacher_id": teacher.id,
                "date_from": date_from,
                **{day: self[day] for day in WEEKDAY_FIELDS},
            }
        )
        self.env["afterschool.session"]._generate_for_terms(room.term_id, groups=room)
        waiting = self._get_waiting_applications()
        waiting.write({"requested_group_ids": [Command.link(room.id)]})
        waiting._allocate(room)
        moved = waiting.filtered(lambda application: room in application.group_ids)
        room._notify_room_opened(self, moved)
        return room

    def _notify_room_opened(self, full_group, moved):
        """Tell the coordinator, in the new room's chatter, which students it took and why."""
        coordinator = self.company_id._get_afterschool_coordinator()
        names = ", ".join(moved.student_id.sorted("name").mapped("name")) or "-"
        body = self.env._(
            "New room opened for the students waiting for %(group)s, which is full. Placed here (%(count)s), "
            "in order of priority then of application: %(students)s.",
            group=full_group.name,
            count=len(moved),
            students=names,
        )
        self.sudo().message_post(
            body=body,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
            partner_ids=coordinator.partner_id.ids,
        )
        return body

    def _get_room_spans(self, date_from):
        """(start, stop) in UTC of the sessions this group would have from ``date_from`` on."""
        self.ensure_one()
        term = self.term_id
        tz = term._get_tz()
        weekdays = self._get_weekdays()
        spans = []
        for day, followed in term._get_service_schedule().items():
            window = term._get_window(day)
            if day >= date_from and followed in weekdays and window:
                spans.append(
                    self.env["afterschool.session"]._localize_span(
                        day, window.hour_from, window.hour_to, tz
                    )
                )
        return spans

    def _get_free_resources(self, field, date_from):
        """The venues (``venue_id``) or teachers (``teacher_id``) of the school free whenever this group
        would meet from ``date_from``: in no overlapping session and in no group of the term sharing a day."""
        self.ensure_one()
        company = self.company_id
        if field == "venue_id":
            candidates = (
                self.env["afterschool.venue"]
                .sudo()
                .search([("company_id", "in", [company.id, False])])
            )
        else:
            candidates = (
                self.env["res.users"]
                .sudo()
                .search(
                    [
                        ("share", "=", False),
                        ("company_ids", "in", company.id),
                        (
                            "groups_id",
                            "in",
                            self.env.ref(
                                "afterschool_service.group_afterschool_teacher"
                            ).id,
                        ),
                    ]
                )
            )
        weekdays = self._get_weekdays()
        groups = self.sudo().search(
            [("term_id", "=", self.term_id.id), (field, "!=", False)]
        )
        busy = groups.filtered(lambda group: group._get_weekdays() & weekdays)[field]
        # The room imagined with each candidate on each of its days: busy where it clashes with a stored session.
        spans = self._get_room_spans(date_from)
        imagined = [
            (None, resource_id, start, stop)
            for resource_id in candidates.ids
            for start, stop in spans
        ]
        for earlier, later in self.env["afterschool.session"]._find_clashes(
            field, imagined
        ):
            if (earlier[0] is None) != (later[0] is None):
                busy |= candidates.browse(later[1])
        return (candidates - busy).with_env(self.env)
