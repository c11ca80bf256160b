"""When and with whom a group meets: the sessions of a term, their teachers' calendar events and
their rosters.

Kept apart from the session's record rules (afterschool_session.py) because it is the one part
that writes sessions in bulk from the term's schedule: generation must see every clash before it
writes anything, events follow the sessions quietly, and rosters follow the enrolments.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .afterschool_session import QUIET_EVENT_CONTEXT


class AfterschoolSession(models.Model):
    """Generation from the term's schedule, calendar sync and rosters of the sessions."""

    _inherit = "afterschool.session"

    # ------------------------------------------------------------------ generation
    @api.model
    def _generate_for_terms(self, terms, groups=None):
        """Bring the sessions of the terms' groups in line with their schedules, in batches.

        Creates the missing sessions (with their calendar events and rosters), plans back the
        sessions whose date returned, moves planned sessions whose window changed, and cancels
        the planned sessions whose date left the schedule (closures, holidays, day changes),
        removing their unmarked attendance. Done and manually cancelled sessions are left alone.
        """
        Session = self.sudo().with_context(**QUIET_EVENT_CONTEXT)
        all_groups = (
            terms.with_context(active_test=False).group_ids
            if groups is None
            else groups
        )
        groups = all_groups.filtered("active")
        existing = {
            (session.group_id.id, session.date): session
            for session in Session.search([("group_id", "in", all_groups.ids)])
        }
        to_create, replanned, moved_ids, desired_keys = (
            [],
            Session,
            defaultdict(list),
            set(),
        )
        for term in terms:
            schedule = term._get_service_schedule()
            spans = self._get_term_spans(term, schedule)
            for group in groups.filtered(lambda g, term=term: g.term_id == term):
                weekdays = group._get_weekdays()
                for day, followed in schedule.items():
                    if followed not in weekdays or (
                        group.date_from and day < group.date_from
                    ):
                        continue
                    key = (group.id, day)
                    desired_keys.add(key)
                    start, stop = spans[day]
                    session = existing.get(key)
                    if not session:
                        to_create.append(
                            {
                                "group_id": group.id,
                                "date": day,
                                "start": start,
                                "stop": stop,
                                "periods": term.periods_per_day,
                                "teacher_id": group.teacher_id.id,
                                "venue_id": group.venue_id.id,
                            }
                        )
                    elif session.state == "cancelled" and session.cancelled_by_schedule:
                        replanned |= session
                        moved_ids[start, stop].append(session.id)
                    elif session.state == "planned" and (
                        session.start,
                        session.stop,
                    ) != (start, stop):
                        moved_ids[start, stop].append(session.id)
        obsolete = Session.browse(
            [
                session.id
                for key, session in existing.items()
                if key not in desired_keys and session.state == "planned"
            ]
        )
        self._check_generation_clashes(terms, to_create, moved_ids, obsolete)
        obsolete._cancel_off_schedule()
        for (start, stop), ids in moved_ids.items():
            Session.browse(ids).write({"start": start, "stop": stop})
        replanned.write({"state": "planned", "cancelled_by_schedule": False})
        created = Session.create(to_create)
        (created | replanned)._sync_rosters()
        return created

    @api.model
    def _get_term_spans(self, term, schedule):
        """(start, stop) in UTC of each service day of ``schedule``, from the term's windows; refused
        while a service day has no window, so that no session is generated without its hours."""
        uncovered = term._get_uncovered_dates()
        if uncovered:
            raise UserError(
                self.env._(
                    "The time windows of %(term)s do not cover %(count)s service day(s), the first on "
                    "%(date)s: add or extend a window before generating sessions.",
                    term=term.name,
                    count=len(uncovered),
                    date=uncovered[0],
                )
            )
        tz = term._get_tz()
        spans = {}
        for day in schedule:
            window = term._get_window(day)
            spans[day] = self._localize_span(day, window.hour_from, window.hour_to, tz)
        return spans

    @api.model
    def _check_generation_clashes(self, terms, to_create, moved_ids, obsolete):
        """Refuse a generation that would put a teacher or a venue in two sessions at once, before
        anything is written: the term is never left half-generated."""
        Session = self.sudo()
        Group = self.env["afterschool.activity.group"].sudo()
        moved = Session.browse(
            [session_id for ids in moved_ids.values() for session_id in ids]
        )
        new_spans = {
            session_id: span for span, ids in moved_ids.items() for session_id in ids
        }
        # (group, teacher id, venue id, start, stop) of every session the generation would write
        planned = [
            (
                Group.browse(vals["group_id"]),
                vals["teacher_id"],
                vals["venue_id"],
                vals["start"],
                vals["stop"],
            )
            for vals in to_create
        ] + [
            (
                session.group_id,
                session.teacher_id.id,
                session.venue_id.id,
                *new_spans[session.id],
            )
            for session in moved
        ]
        for index, resource in ((1, "teacher_id"), (2, "venue_id")):
            clash = next(
                Session._find_clashes(
                    resource,
                    [(entry[0], entry[index], entry[3], entry[4]) for entry in planned],
                    exclude_ids=(moved | obsolete).ids,
                ),
                None,
            )
            if clash:
                raise UserError(
                    self._get_generation_clash_message(resource, *clash, terms[:1])
                )

    @api.model
    def _get_generation_clash_message(self, resource, earlier, later, term):
        """Why the generation is refused: ``earlier`` and ``later`` are sittings of _find_clashes, keyed by
        a group (planned) or a session (stored)."""

        def group_name(key):
            return (key.group_id if key._name == self._name else key).name

        when = (
            pytz.utc.localize(later[2])
            .astimezone(term._get_tz())
            .strftime("%Y-%m-%d %H:%M")
        )
        if resource == "teacher_id":
            return self.env._(
                "Sessions not generated: the teacher %(who)s would be in %(group)s and in %(other)s "
                "at the same time (%(when)s). Give one of the groups another teacher or other "
                "days, then generate again.",
                who=self.env["res.users"].sudo().browse(later[1]).name,
                group=group_name(earlier[0]),
                other=group_name(later[0]),
                when=when,
            )
        return self.env._(
            "Sessions not generated: the venue %(who)s would hold %(group)s and %(other)s "
            "at the same time (%(when)s). Give one of the groups another venue or other "
            "days, then generate again.",
            who=self.env["afterschool.venue"].sudo().browse(later[1]).name,
            group=group_name(earlier[0]),
            other=group_name(later[0]),
            when=when,
        )

    def _cancel_off_schedule(self):
        """Cancel sessions whose date left the schedule and drop their unmarked, unbilled roster lines."""
        if not self:
            return
        self.attendance_ids.filtered(
            lambda line: not line.state and not line.invoice_line_id
        ).unlink()
        self.write({"state": "cancelled", "cancelled_by_schedule": True})

    # ------------------------------------------------------------------ business: calendar
    @api.model
    def _prepare_event_values(self, group, start, stop, teacher, venue):
        """Values of a teacher's calendar event (cf. hr_holidays' _prepare_holidays_meeting_values).

        The event is the teacher's: named in the teacher's language, whoever plans it."""
        lang = teacher.lang or self.env.lang
        group, venue = group.with_context(lang=lang), venue.with_context(lang=lang)
        return {
            "name": group.name,
            "start": start,
            "stop": stop,
            "duration": (stop - start).total_seconds() / 3600,
            "allday": False,
            "user_id": teacher.id,
            "partner_ids": [Command.set(teacher.partner_id.ids)],
            "location": venue.name or False,
            "show_as": "busy",
            "privacy": "public",
            "alarm_ids": [Command.clear()],
            "description": group.env._(
                "After-school session of %(group)s", group=group.name
            ),
        }

    def _get_event_values(self):
        self.ensure_one()
        return self._prepare_event_values(
            self.group_id, self.start, self.stop, self.teacher_id, self.venue_id
        )

    @api.model
    def _add_calendar_events(self, vals_list):
        """Create the events of new planned sessions first, in one batch, so each session is stored with its event."""
        todo = [
            vals
            for vals in vals_list
            if vals.get("teacher_id")
            and not vals.get("calendar_event_id")
            and vals.get("state", "planned") == "planned"
        ]
        if not todo:
            return
        Group, User, Venue = (
            self.env[model].sudo()
            for model in (
                "afterschool.activity.group",
                "res.users",
                "afterschool.venue",
            )
        )
        Event = self.env["calendar.event"].sudo().with_context(**QUIET_EVENT_CONTEXT)
        events = Event.create(
            [
                self._prepare_event_values(
                    Group.browse(vals["group_id"]),
                    fields.Datetime.to_datetime(vals["start"]),
                    fields.Datetime.to_datetime(vals["stop"]),
                    User.browse(vals["teacher_id"]),
                    Venue.browse(vals.get("venue_id")),
                )
                for vals in todo
            ]
        )
        for vals, event in zip(todo, events):
            vals["calendar_event_id"] = event.id

    def _create_calendar_events(self):
        """Events for existing planned sessions that lack one (planned again, or given a teacher)."""
        sessions = self.filtered(lambda s: s.teacher_id and s.state == "planned")
        if not sessions:
            return
        Event = self.env["calendar.event"].sudo().with_context(**QUIET_EVENT_CONTEXT)
        events = Event.create([session._get_event_values() for session in sessions])
        for session, event in zip(sessions, events):
            session.with_context(**QUIET_EVENT_CONTEXT).sudo().calendar_event_id = event

    def _sync_calendar_events(self):
        """Keep events in line with their sessions: removed when cancelled or teacherless, else updated."""
        quiet = self.with_context(**QUIET_EVENT_CONTEXT).sudo()
        keep = quiet.filtered(lambda s: s.state != "cancelled" and s.teacher_id)
        stale_events = (quiet - keep).calendar_event_id
        (quiet - keep).write({"calendar_event_id": False})
        stale_events.unlink()
        for session in keep.filtered("calendar_event_id"):
            values = session._get_event_values()
            event = session.calendar_event_id
            if (
                event.partner_ids != session.teacher_id.partner_id
                or event.user_id != session.teacher_id
            ):
                event.write(values)
            else:
                changed = {
                    key: value
                    for key, value in values.items()
                    if key in ("name", "start", "stop", "location")
                    and event[key] != value
                }
                if changed:
                    event.write(changed)
        keep.filtered(lambda s: not s.calendar_event_id)._create_calendar_events()

    # ------------------------------------------------------------------ business: rosters
    def _sync_rosters(self):
        """Bring the rosters of planned sessions in line with the enrolments, in a few queries.

        Adds a line for every student attending the group on the session's date and removes the
        unmarked, unbilled lines of students who no longer attend (e.g. withdrawn from that date).
        Marked or billed lines stay: they are history.
        """
        sessions = self.filtered(lambda s: s.state == "planned")
        if not sessions:
            return
        attending = self.env["afterschool.application"]._get_students_by_group_and_date(
            sessions.group_id, sorted(set(sessions.mapped("date")))
        )
        Attendance = self.env["afterschool.attendance"].sudo()
        # Plain rows rather than records: rosters run to hundreds of thousands of lines a term.
        Attendance.flush_model(["session_id", "student_id", "state", "invoice_line_id"])
        rows = self.env.execute_query(
            SQL(
                """SELECT session_id, student_id, id, state IS NULL AND invoice_line_id IS NULL
                 FROM afterschool_attendance WHERE session_id IN %s""",
                tuple(sessions.ids),
            )
        )
        existing = {
            (session_id, student_id): (line_id, removable)
            for session_id, student_id, line_id, removable in rows
        }
        to_create, expected_keys = [], set()
        for session in sessions:
            for student_id in attending.get(
                (session.group_id.id, session.date), self.env["res.partner"]
            ).ids:
                key = (session.id, student_id)
                expected_keys.add(key)
                if key not in existing:
                    to_create.append(
                        {"session_id": session.id, "student_id": student_id}
                    )
        stale = [
            line_id
            for key, (line_id, removable) in existing.items()
            if removable and key not in expected_keys
        ]
        Attendance.browse(stale).unlink()
        Attendance.create(to_create)

    @api.model
    def _localize_span(self, day, hour_from, hour_to, tz):
        """UTC naive start/stop of a local date's window given as float hours."""

        def at(hours):
            minutes = round(hours * 60)
            local = tz.localize(
                datetime.combine(day, time(0)) + timedelta(minutes=minutes)
            )
            return local.astimezone(pytz.utc).replace(tzinfo=None)

        return at(hour_from), at(hour_to)
