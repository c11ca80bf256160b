import re
from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date

from ..tools.code_throttle import CodeThrottle
from ..tools.groups import MANAGER_GROUP, TEACHER_GROUP

MARKABLE_STATES = ("present", "absent")
PICKUP_CODE_PATTERN = re.compile("[0-9]{6}")


class AfterschoolSession(models.Model):
    """The roll-call screen's server side: one round trip per tap, each returning the whole roster.

    Every public method here is an RPC endpoint: it checks the caller's role, that the session is
    theirs (teacher or duty teacher, or a coordinator of the school) and the attendance window,
    then acts through the ordinary model methods (so their checks and hooks apply).
    """

    _inherit = "afterschool.session"

    # ------------------------------------------------------------------ actions
    def action_open_rollcall(self):
        """Open this session in the roll-call screen."""
        self._check_rollcall_access("read")
        return {
            "type": "ir.actions.client",
            "tag": "afterschool_rollcall",
            "name": self.name,
            "params": {"session_id": self.id},
        }

    # ------------------------------------------------------------------ RPC: reading
    @api.model
    def rollcall_today(self):
        """The caller's sessions of today, the first open one with its roster, or when the next one is."""
        if not self.env.user.has_group(TEACHER_GROUP):
            raise AccessError(self.env._("Only teachers take attendance."))
        today = self.env.company._afterschool_today()
        mine = [
            "|",
            ("teacher_id", "=", self.env.uid),
            ("duty_teacher_id", "=", self.env.uid),
            ("state", "!=", "cancelled"),
        ]
        sessions = self.search([("date", "=", today)] + mine, order="start, id")
        result = {
            "sessions": sessions._rollcall_summaries(),
            "current": False,
            "next_session": False,
        }
        if sessions:
            current = (
                sessions.filtered(lambda s: s.state == "planned")[:1] or sessions[:1]
            )
            result["current"] = current._rollcall_data()
        else:
            upcoming = self.search(
                [("date", ">", today), ("state", "=", "planned")] + mine,
                order="date, start",
                limit=1,
            )
            if upcoming:
                result["next_session"] = {
                    "id": upcoming.id,
                    "name": upcoming.group_id.name,
                    "date": format_date(
                        self.env, upcoming.date, date_format="EEEE d MMMM"
                    ),
                    "time": upcoming.time_display,
                }
        return result

    def rollcall_read(self):
        """The roster of one session, for the roll-call screen."""
        self._check_rollcall_access("read")
        return self._rollcall_data()

    # ------------------------------------------------------------------ RPC: taps
    def rollcall_mark(self, attendance_id, state):
        """Tap on a child: present or absent (leave and school absences stay locked)."""
        if state not in MARKABLE_STATES:
            raise UserError(
                self.env._("A child can only be marked present or absent here.")
            )
        line = self._rollcall_line(attendance_id)
        if line.leave_id or line.absent_from_school:
            raise UserError(
                self.env._(
                    "%(student)s is on leave or absent from school today: this cannot be changed here.",
                    student=line.student_id.name,
                )
            )
        if state == "present":
            line.action_present()
        else:
            line.action_absent()
        return self._rollcall_data()

    def rollcall_mark_all_present(self):
        """Everyone not yet marked is present in one tap; those the school recorded absent are marked absent."""
        self._check_rollcall_access("write")
        unmarked = self.attendance_ids.filtered(lambda line: not line.state)
        absent_from_school = unmarked.filtered("absent_from_school")
        (unmarked - absent_from_school).action_present()
        absent_from_school.action_absent()
        return self._rollcall_data()

    def rollcall_pickup(self, attendance_id, partner_id):
        """One tap in the pickup sheet: who collected the child, now (False undoes a pickup)."""
        line = self._rollcall_line(attendance_id)
        if partner_id and (
            isinstance(partner_id, bool) or not isinstance(partner_id, int)
        ):
            raise UserError(self.env._("Choose who collects the child from the list."))
        if partner_id:
            line.write({"picked_up_by_id": partner_id})
        else:
            line.write({"picked_up_by_id": False, "check_out": False})
        return self._rollcall_data()

    def rollcall_pickup_by_code(self, code):
        """A guardian's pickup code (typed, or read from their QR code): checks out their children here.

        Only children present and not yet collected, and only those the code's holder may collect. A refused
        code (wrong, of nobody to collect here, or tried while locked out after too many refused codes: see
        tools/code_throttle.py) is counted and answered with the roster and one same ``error`` message,
        not raised: raising would roll the count back.
        """
        self._check_rollcall_access("write")
        throttle = CodeThrottle(self.env, "pickup", target=self)
        code = code.strip() if isinstance(code, str) else ""
        holder = self.env["res.partner"]
        if PICKUP_CODE_PATTERN.fullmatch(code) and not throttle.is_locked():
            holder = (
                self.env["res.partner"]
                .sudo()
                .search([("afterschool_pickup_code", "=", code)], limit=1)
            )
        lines = self.attendance_ids.filtered(
            lambda line: (
                line.state == "present"
                and not line.check_out
                and holder
                and holder in line.student_id.sudo()._get_pickup_partners()
            )
        )
        if not lines:
            throttle.record_failure()
            data = self._rollcall_data()
            data["error"] = self.env._(
                "This code does not collect any child of this session who is present and not yet picked up."
            )
            return data
        lines.write({"picked_up_by_id": holder.id})
        data = self._rollcall_data()
        data["message"] = self.env._(
            "%(person)s collected %(students)s.",
            person=holder.name,
            students=", ".join(lines.student_id.mapped("name")),
        )
        return data

    def rollcall_close(self, content):
        """Close the session with what was done: one confirmation on the phone."""
        self._check_rollcall_access("write")
        self._check_rollcall_started()
        content = (content or "").strip()
        if content:
            self.write({"content": content})
        self.action_done()
        return self._rollcall_data()

    # ------------------------------------------------------------------ checks
    def _check_rollcall_access(self, operation):
        """The caller is a teacher of the school, and this session is theirs (or they coordinate)."""
        self.ensure_one()
        if not self.env.user.has_group(TEACHER_GROUP):
            raise AccessError(self.env._("Only teachers take attendance."))
        self.check_access(operation)
        self._check_teacher_access()
        if operation == "write" and self.state != "planned":
            raise UserError(
                self.env._(
                    "%(session)s is closed or cancelled: ask the coordinator to correct it.",
                    session=self.name,
                )
            )

    def _check_rollcall_started(self):
        """A session is closed once it has started, never beforehand."""
        if self.start and fields.Datetime.now() < self.start:
            raise UserError(
                self.env._(
                    "%(session)s has not started yet: it can be closed from %(time)s.",
                    session=self.name,
                    time=self._get_local_span(),
                )
            )

    def _rollcall_line(self, attendance_id):
        """The roster line the tap is about, checked to belong to this (checked) session."""
        self._check_rollcall_access("write")
        line = self.attendance_ids.filtered(lambda line: line.id == attendance_id)
        if not line:
            raise UserError(
                self.env._(
                    "This child is not on the roster of %(session)s.", session=self.name
                )
            )
        return line

    # ------------------------------------------------------------------ data for the screen
    def _rollcall_summaries(self):
        return [
            {
                "id": session.id,
                "name": session.group_id.name,
                "time": session.time_display,
                "venue": session.venue_id.name or "",
                "state": session.state,
                "present": session.present_count,
                "planned": session.planned_count,
            }
            for session in self
        ]

    def _rollcall_data(self):
        """The session and its roster as the screen shows them, read in a few batched queries.

        Read as superuser once the caller's access is checked: names and phones of the pickup
        persons of the children on this roster only.
        """
        self.ensure_one()
        session = self.sudo()
        tz = session.term_id._get_tz()
        lines = session.attendance_ids
        students = lines.student_id
        students.guardian_ids.mapped(
            "name"
        )  # prefetch the pickup persons in one query per relation
        students.authorized_pickup_ids.mapped("name")

        roster, counts = self._rollcall_roster(lines, tz)
        now = fields.Datetime.now()
        uncollected = [
            row["name"]
            for row in roster
            if row["state"] == "present" and not row["check_out"]
        ]
        return {
            "id": session.id,
            "name": session.group_id.name,
            "date": format_date(self.env, session.date),
            "time": session.time_display,
            "venue": session.venue_id.name or "",
            "state": session.state,
            "content": session.content or "",
            "started": bool(session.start and now >= session.start),
            "can_edit": session.state == "planned" and self._rollcall_within_window(),
            "total": len(roster),
            "counts": counts,
            "roster": roster,
            "uncollected": uncollected,
            "content_presets": session.company_id._get_afterschool_content_presets(),
        }

    def _rollcall_roster(self, lines, tz):
        """The roster lines as the screen shows them, and the counts per state (and collected)."""
        roster, counts = (
            [],
            dict.fromkeys(("present", "absent", "excused", "unmarked", "collected"), 0),
        )
        for line in lines:
            state = line.state or "unmarked"
            counts[state] += 1
            if line.state == "present" and line.check_out:
                counts["collected"] += 1
            roster.append(self._rollcall_roster_line(line, state, tz))
        return roster, counts

    def _rollcall_roster_line(self, line, state, tz):
        """One child of the roster: mark, lock (a leave, absent from school), pickup and who may collect."""
        student = line.student_id
        check_out = line.check_out
        return {
            "id": line.id,
            "name": student.name,
            "class_name": student.class_id.name or "",
            "state": state,
            "locked": bool(line.leave_id or line.absent_from_school),
            "lock_reason": (
                self.env._("Leave asked")
                if line.leave_id
                else self.env._("Absent from school today")
                if line.absent_from_school
                else ""
            ),
            "picked_up_by": line.picked_up_by_id.name or "",
            "check_out": (
                pytz.utc.localize(check_out).astimezone(tz).strftime("%H:%M")
                if check_out
                else ""
            ),
            "pickups": self._rollcall_pickups(student),
        }

    def _rollcall_pickups(self, student):
        """Who may collect the child, with a phone to call: guardians first, then authorised persons."""
        return [
            {
                "id": person.id,
                "name": person.name,
                "phone": person.phone or person.mobile or "",
                "relation": self.env._("Legal guardian")
                if person in student.guardian_ids
                else self.env._("Authorised person"),
            }
            for person in student._get_pickup_partners()
        ]

    def _rollcall_within_window(self):
        """Whether the caller may still change this session's attendance (the school's correction window)."""
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return True
        today = self.company_id._afterschool_today()
        days = self.company_id.sudo().afterschool_attendance_days
        return today - timedelta(days=days) <= self.date <= today
