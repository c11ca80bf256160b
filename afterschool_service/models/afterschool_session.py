"""The session's record: its fields and the rules every write obeys (who may change what, when it may
be closed, cancelled or moved, one place at a time for a teacher and a venue).

The jobs done on sessions in bulk live beside it, each in a file of its own extending this model
(as Odoo's account keeps account_move_line_tax_details.py beside account_move_line.py):
afterschool_session_schedule.py (generation from the term, calendar events, rosters),
afterschool_session_pickup_alert.py (the not-collected alert's cron) and
afterschool_session_rollcall.py (the roll-call screen's RPC). The demo builders are the demo
model's (afterschool_demo_service.py).
"""

from collections import defaultdict
from datetime import datetime

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date, format_datetime

from ..tools.access import check_computed_fields
from ..tools.dates import format_service_date
from ..tools.groups import MANAGER_GROUP
from .afterschool_term import MAX_PERIODS_PER_DAY, MIN_PERIOD_MINUTES
from .afterschool_text_limit_mixin import TEXT_LIMIT, check_staff

# What a teacher may change on a session they teach; the schedule itself is the coordinator's.
TEACHER_WRITABLE_FIELDS = {"content", "state", "attendance_ids"}
# Fields that shape the teacher's calendar event.
EVENT_FIELDS = {"name", "start", "stop", "teacher_id", "venue_id", "state"}
# Context that keeps calendar events quiet: no invitation, no alarm, no chatter, no tracking.
QUIET_EVENT_CONTEXT = {
    "no_mail_to_attendees": True,
    "dont_notify": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "tracking_disable": True,
}


class AfterschoolSession(models.Model):
    """One sitting of one activity group on one service date."""

    _name = "afterschool.session"
    _description = "After-School Session"
    _inherit = ["mail.thread", "mail.activity.mixin", "afterschool.text.limit.mixin"]
    _text_limits = {"content": TEXT_LIMIT}
    _order = "date desc, start, id"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    name = fields.Char(compute="_compute_name", store=True)
    group_id = fields.Many2one(
        "afterschool.activity.group",
        string="Group",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    term_id = fields.Many2one(
        related="group_id.term_id", store=True, index=True, string="Term"
    )
    company_id = fields.Many2one(
        related="group_id.company_id", store=True, index=True, precompute=True
    )
    kind = fields.Selection(related="group_id.kind", store=True)
    grade_min = fields.Integer(related="group_id.grade_min", string="From Grade")
    grade_max = fields.Integer(related="group_id.grade_max", string="To Grade")
    date = fields.Date(required=True, index=True)
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)
    periods = fields.Integer(default=2, required=True)
    teacher_id = fields.Many2one(
        "res.users", string="Teacher", index=True, tracking=True, check_company=True
    )
    venue_id = fields.Many2one(
        "afterschool.venue",
        string="Venue",
        index=True,
        tracking=True,
        check_company=True,
    )
    duty_teacher_id = fields.Many2one(
        "res.users",
        string="Duty Teacher",
        index=True,
        check_company=True,
        copy=False,
        help="The teacher on duty (值班) for the group's grade that day, set by the duty rotation.",
    )
    calendar_event_id = fields.Many2one(
        "calendar.event", string="Calendar Event", copy=False, ondelete="set null"
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    cancelled_by_schedule = fields.Boolean(
        copy=False,
        readonly=True,
        help="Cancelled because the date left the schedule (closure, holiday, day change); "
        "generating the sessions again plans it back if the date returns.",
    )
    content = fields.Text(
        string="Content",
        help="What was done in this session, for the supervision ledger.",
    )
    attendance_ids = fields.One2many(
        "afterschool.attendance", "session_id", string="Attendance"
    )
    incident_ids = fields.One2many(
        "afterschool.incident", "session_id", string="Incidents"
    )
    inspection_ids = fields.One2many(
        "afterschool.inspection",
        "session_id",
        string="Inspections",
        groups="afterschool_service.group_afterschool_teacher,afterschool_service.group_afterschool_district_officer",
    )
    planned_count = fields.Integer(
        string="Planned Headcount",
        compute="_compute_headcounts",
        store=True,
        aggregator="sum",
        help="Students on the roster.",
    )
    present_count = fields.Integer(
        string="Actual Headcount",
        compute="_compute_headcounts",
        store=True,
        aggregator="sum",
        help="Students marked present.",
    )
    unmarked_count = fields.Integer(
        string="Not Marked", compute="_compute_headcounts", store=True, aggregator="sum"
    )
    late_pickup_count = fields.Integer(
        string="Late Pickups",
        compute="_compute_headcounts",
        store=True,
        aggregator="sum",
    )
    incident_count = fields.Integer(
        compute="_compute_incident_count", string="Incident Count"
    )
    time_display = fields.Char(compute="_compute_time_display", string="Time")
    is_coordinator = fields.Boolean(compute="_compute_is_coordinator")
    # ------------------------------------------------------------------ family notices
    not_collected_alert_at = fields.Datetime(
        string="Not-Collected Alert",
        readonly=True,
        copy=False,
        help="When the duty teacher and the coordinator were alerted that children were still not collected.",
    )
    notice_count = fields.Integer(
        compute="_compute_notice_count", string="Family Notices"
    )

    _sql_constraints = [
        (
            "group_date_uniq",
            "unique(group_id, date)",
            "A group meets at most once a day.",
        ),
        (
            "start_before_stop",
            "CHECK(start < stop)",
            "A session must end after it starts.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("group_id.name", "date")
    def _compute_name(self):
        """Stored for search only (group and ISO date); people read display_name."""
        for session in self:
            session.name = "%s %s" % (session.group_id.name or "", session.date or "")

    @api.depends("group_id.name", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """Composed when read, in the reader's language: 阅览室（一至三年级） 11月27日 周五."""
        for session in self:
            session.display_name = " ".join(
                filter(
                    None,
                    [
                        session.group_id.name,
                        format_service_date(self.env, session.date),
                    ],
                )
            )

    @api.depends("attendance_ids.state", "attendance_ids.late_pickup")
    def _compute_headcounts(self):
        counts = defaultdict(int)
        # Archived rosters (a past term's) still count: the supervision ledger keeps its headcounts.
        for session, state, late, count in (
            self.env["afterschool.attendance"]
            .with_context(active_test=False)
            ._read_group(
                [("session_id", "in", self.ids)],
                ["session_id", "state", "late_pickup"],
                ["__count"],
            )
        ):
            counts[session.id, "planned"] += count
            counts[session.id, state or "unmarked"] += count
            if late:
                counts[session.id, "late"] += count
        for session in self:
            session.planned_count = counts[session.id, "planned"]
            session.present_count = counts[session.id, "present"]
            session.unmarked_count = counts[session.id, "unmarked"]
            session.late_pickup_count = counts[session.id, "late"]

    def _compute_notice_count(self):
        Notice = self.env["afterschool.notice"]
        counts = (
            dict(
                Notice._read_group(
                    [("session_id", "in", self.ids)], ["session_id"], ["__count"]
                )
            )
            if Notice.has_access("read")
            else {}
        )
        for session in self:
            session.notice_count = counts.get(session, 0)

    @api.depends_context("uid")
    def _compute_is_coordinator(self):
        self.is_coordinator = self.env.user.has_group(MANAGER_GROUP)

    def _compute_incident_count(self):
        counts = dict(
            self.env["afterschool.incident"]._read_group(
                [("session_id", "in", self.ids)], ["session_id"], ["__count"]
            )
        )
        for session in self:
            session.incident_count = counts.get(session, 0)

    @api.depends("start", "stop")
    @api.depends_context("tz")
    def _compute_time_display(self):
        for session in self:
            session.time_display = (
                "%s–%s"
                % (
                    format_datetime(self.env, session.start, dt_format="HH:mm"),
                    format_datetime(self.env, session.stop, dt_format="HH:mm"),
                )
                if session.start and session.stop
                else False
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("teacher_id", "duty_teacher_id")
    def _check_teachers_are_staff(self):
        check_staff(self.env, self.teacher_id | self.duty_teacher_id)

    @api.constrains("periods", "start", "stop")
    def _check_periods(self):
        """A session counts at least one period and no more than its time allows, a period lasting half an hour
        at least (never 0, -2 or 10000: each period is billed)."""
        for session in self:
            minutes = (session.stop - session.start).total_seconds() / 60
            most = max(1, min(MAX_PERIODS_PER_DAY, int(minutes // MIN_PERIOD_MINUTES)))
            if not 1 <= session.periods <= most:
                raise ValidationError(
                    self.env._(
                        "%(session)s counts 1 to %(most)s period(s) (a period lasts at least %(minutes)s minutes), "
                        "not %(periods)s.",
                        session=session.name,
                        most=most,
                        minutes=MIN_PERIOD_MINUTES,
                        periods=session.periods,
                    )
                )

    @api.constrains("start", "stop", "teacher_id", "venue_id", "state")
    def _check_double_booking(self):
        """A teacher or a venue is in one session at a time: one search for the whole batch."""
        sessions = self.sudo().filtered(lambda s: s.state != "cancelled")
        ids = set(self.ids)
        for resource in ("teacher_id", "venue_id"):
            spans = [(s, s[resource].id, s.start, s.stop) for s in sessions]
            # Only a clash involving these sessions is theirs to refuse, not two stored ones that already overlap.
            clash = next(
                (
                    (earlier[0], later[0])
                    for earlier, later in self._find_clashes(
                        resource, spans, exclude_ids=self.ids
                    )
                    if earlier[0].id in ids or later[0].id in ids
                ),
                None,
            )
            if clash:
                earlier, later = clash
                mine, other = (later, earlier) if later.id in ids else (earlier, later)
                if resource == "teacher_id":
                    message = self.env._(
                        "Double booking: the teacher %(who)s is already in %(other)s (%(when)s), "
                        "which overlaps %(session)s.",
                        who=mine.teacher_id.name,
                        other=other.name,
                        when=other._get_local_span(),
                        session=mine.display_name,
                    )
                else:
                    message = self.env._(
                        "Double booking: the venue %(who)s is already used by %(other)s (%(when)s), "
                        "which overlaps %(session)s.",
                        who=mine.venue_id.name,
                        other=other.name,
                        when=other._get_local_span(),
                        session=mine.display_name,
                    )
                raise ValidationError(message)

    @api.model
    def _find_clashes(self, field, spans, exclude_ids=()):
        """The one home of "a teacher or a venue is in one place at a time": the constraint above, the
        generation's check before it writes anything and the free teachers and venues of a new room all ask it.

        ``spans`` are sittings as (key, resource id, start, stop), start and stop in UTC: planned or only
        imagined, the key anything the caller needs back (a group, a session, None). The stored sessions
        not cancelled of the same resources (``field``: ``teacher_id`` or ``venue_id``) that overlap them
        join in as (session, resource id, start, stop), except those in ``exclude_ids``.

        Yields (earlier, later) for overlapping sittings of one resource, resource by resource in the order
        they first appear, by start: a sweep keeping the sitting that ends latest so far, so every sitting
        that overlaps another is in at least one pair.
        """
        spans = [span for span in spans if span[1]]
        if not spans:
            return
        stored = self.sudo().search_fetch(
            [
                ("state", "!=", "cancelled"),
                (field, "in", list({span[1] for span in spans})),
                ("id", "not in", list(exclude_ids)),
                ("start", "<", max(span[3] for span in spans)),
                ("stop", ">", min(span[2] for span in spans)),
            ],
            [field, "start", "stop"],
        )
        by_resource = defaultdict(list)
        for span in spans + [(s, s[field].id, s.start, s.stop) for s in stored]:
            by_resource[span[1]].append(span)
        for entries in by_resource.values():
            entries.sort(key=lambda span: span[2])
            latest = entries[0]
            for entry in entries[1:]:
                if entry[2] < latest[3]:
                    yield latest, entry
                if entry[3] > latest[3]:
                    latest = entry

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        self._add_calendar_events(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_write_access(vals)
        check_computed_fields(self, vals)
        if vals.get("state") == "done":
            self._check_can_close()
        if vals.get("state") == "cancelled":
            self._check_can_cancel()
        if "date" in vals or self._moves_to_another_day(vals):
            for session in self:
                super(AfterschoolSession, session).write(
                    session._prepare_move_values(vals)
                )
            self._sync_calendar_events()
            return True
        result = super().write(vals)
        if EVENT_FIELDS & set(vals):
            self._sync_calendar_events()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        if self.attendance_ids.filtered("invoice_line_id"):
            raise UserError(
                self.env._(
                    "A session with billed attendance cannot be deleted; cancel it instead."
                )
            )
        if self.filtered(lambda s: s.state == "done"):
            raise UserError(
                self.env._(
                    "A closed session is part of the supervision ledger and cannot be deleted."
                )
            )

    def unlink(self):
        events = self.calendar_event_id
        result = super().unlink()
        events.with_context(**QUIET_EVENT_CONTEXT).sudo().unlink()
        return result

    # ------------------------------------------------------------------ actions
    def action_mark_all_present(self):
        """One tap: every student not yet marked is present (leave and school absences stay)."""
        self._check_teacher_access()
        self.attendance_ids.filtered(lambda line: not line.state).write(
            {"state": "present"}
        )
        return True

    def action_done(self):
        """Close the sessions; warn about children marked present whose pickup is not recorded."""
        self.write({"state": "done"})
        not_collected = self.attendance_ids.filtered(
            lambda line: (
                line.state == "present"
                and not line.check_out
                and not line.picked_up_by_id
            )
        )
        if not not_collected:
            return True
        message = self.env._(
            "Closed. No pickup is recorded for %(students)s, marked present: they may still be in the "
            "building. Check that they have been collected and record who collected them.",
            students=", ".join(not_collected.student_id.mapped("name")),
        )
        for session in not_collected.session_id.sudo():
            session.message_post(body=message, subtype_xmlid="mail.mt_note")
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "message": message,
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_cancel(self):
        self.write({"state": "cancelled", "cancelled_by_schedule": False})
        return True

    def action_reset_planned(self):
        if any(session.state == "planned" for session in self):
            raise UserError(
                self.env._("Only a closed or cancelled session can be planned again.")
            )
        self.write({"state": "planned", "cancelled_by_schedule": False})
        self._sync_rosters()
        return True

    def action_view_roster(self):
        """The roster as big tappable cards: the phone screen for taking attendance."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_attendance_roster_action"
        )
        action["domain"] = [("session_id", "=", self.id)]
        action["context"] = {"default_session_id": self.id}
        action["display_name"] = self.name
        return action

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_incident_action"
        )
        action["domain"] = [("session_id", "=", self.id)]
        action["context"] = {"default_session_id": self.id}
        return action

    def action_view_notices(self):
        """The family notices of this session: the proof that families were told."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_notice_action"
        )
        action["domain"] = [("session_id", "=", self.id)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------ business: moving a session
    def _moves_to_another_day(self, vals):
        """A new start or stop on another local day than the session's date (the form's datetime fields)."""
        if not ({"start", "stop"} & set(vals)):
            return False
        for session in self:
            tz = session.term_id._get_tz()
            for name in ("start", "stop"):
                if name in vals and vals[name]:
                    moment = pytz.utc.localize(
                        fields.Datetime.to_datetime(vals[name])
                    ).astimezone(tz)
                    if moment.date() != session.date:
                        return True
        return False

    def _prepare_move_values(self, vals):
        """Date, start and stop move together: a new date keeps the times of day, a new start takes its date.

        Refused when the new date is not a service day of the term.
        """
        self.ensure_one()
        vals = dict(vals)
        tz = self.term_id._get_tz()

        def local(moment):
            return pytz.utc.localize(fields.Datetime.to_datetime(moment)).astimezone(tz)

        if "date" in vals:
            day = fields.Date.to_date(vals["date"])
            for name in ("start", "stop"):
                moment = local(vals.get(name) or self[name])
                if moment.date() != day:
                    moved = tz.localize(
                        datetime.combine(day, moment.time().replace(tzinfo=None))
                    )
                    vals[name] = moved.astimezone(pytz.utc).replace(tzinfo=None)
        else:
            day = local(vals.get("start") or self.start).date()
            vals["date"] = day
            if "stop" not in vals:
                stop = local(self.stop)
                moved = tz.localize(
                    datetime.combine(day, stop.time().replace(tzinfo=None))
                )
                vals["stop"] = moved.astimezone(pytz.utc).replace(tzinfo=None)
        if (
            day != self.date
            and fields.Date.to_string(day) not in self.term_id.get_service_dates()
        ):
            raise UserError(
                self.env._(
                    "%(session)s cannot move to %(date)s: it is not a service day of %(term)s "
                    "(closed, a holiday or not one of its weekdays).",
                    session=self.name,
                    date=format_date(self.env, day),
                    term=self.term_id.name,
                )
            )
        return vals

    # ------------------------------------------------------------------ business: checks
    def _check_write_access(self, vals):
        """Teachers take attendance and record content; changing the schedule is the coordinator's."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        forbidden = set(vals) - TEACHER_WRITABLE_FIELDS
        if vals.get("state", "done") != "done":
            forbidden.add("state")
        if forbidden:
            raise AccessError(
                self.env._(
                    "Only the coordinator can change the schedule of a session (%(fields)s).",
                    fields=", ".join(
                        sorted(self._fields[name].string for name in forbidden)
                    ),
                )
            )
        self._check_teacher_access()

    def _check_teacher_access(self):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        self.check_access("write")  # before naming a session the user may not even read
        foreign = self.filtered(
            lambda s: self.env.user not in (s.teacher_id | s.duty_teacher_id)
        )
        if foreign:
            raise AccessError(
                self.env._(
                    "You can only take attendance for your own sessions, not for %(session)s.",
                    session=foreign[0].display_name,
                )
            )

    def _check_can_close(self):
        is_coordinator = self.env.su or self.env.user.has_group(MANAGER_GROUP)
        now = fields.Datetime.now()
        for session in self:
            if not is_coordinator and session.start > now:
                raise UserError(
                    self.env._(
                        "%(session)s has not started yet (%(when)s): close it once it has taken place.",
                        session=session.name,
                        when=session._get_local_span(),
                    )
                )
            if session.state == "cancelled":
                raise UserError(
                    self.env._(
                        "The cancelled session %(session)s cannot be closed.",
                        session=session.display_name,
                    )
                )
            if not (session.content or "").strip():
                raise UserError(
                    self.env._(
                        "Write what was done in %(session)s before closing it: the supervision ledger needs it.",
                        session=session.display_name,
                    )
                )
            unmarked = session.attendance_ids.filtered(lambda line: not line.state)
            if unmarked:
                raise UserError(
                    self.env._(
                        "Mark every student of %(session)s before closing it; still unmarked: %(students)s.",
                        session=session.display_name,
                        students=", ".join(unmarked.student_id.mapped("name")),
                    )
                )

    def _check_can_cancel(self):
        if self.filtered(lambda s: s.state == "done"):
            raise UserError(self.env._("A closed session cannot be cancelled."))
        billed = self.attendance_ids.filtered("invoice_line_id")
        if billed and not self.env.user.has_group(MANAGER_GROUP):
            raise UserError(
                self.env._(
                    "The session %(session)s has billed attendance: only the coordinator can cancel it "
                    "(the next invoicing run then credits it).",
                    session=billed[0].session_id.display_name,
                )
            )

    def _get_local_span(self):
        """'2026-09-01 16:30–18:00' in the school's timezone, for messages."""
        self.ensure_one()
        tz = self.term_id._get_tz()
        start = pytz.utc.localize(self.start).astimezone(tz)
        stop = pytz.utc.localize(self.stop).astimezone(tz)
        return "%s %s–%s" % (
            start.strftime("%Y-%m-%d"),
            start.strftime("%H:%M"),
            stop.strftime("%H:%M"),
        )
