"""Children not collected: the alert that runs after a session ends.

Apart from the session's rules because it is driven by the clock (an ir.cron calling
``_cron_alert_not_collected`` on ``afterschool.session``, woken exactly at the next deadline), not by
anyone editing a session; the method names are the cron's contract (data/afterschool_service_cron.xml).
"""

from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models


class AfterschoolSession(models.Model):
    """Flag, tell and follow up the children still there N minutes after their session ended."""

    _inherit = "afterschool.session"

    # ------------------------------------------------------------------ business: children not collected
    @api.model
    def _cron_alert_not_collected(self):
        """N minutes after a session ends (a setting of the school), the children still there are flagged, the
        duty teacher and the coordinator get a to-do and an instant alert listing them with their guardians'
        phone numbers, and the guardians are told. Once per session."""
        now = fields.Datetime.now()
        lines = (
            self.env["afterschool.attendance"]
            .sudo()
            .search(
                [
                    ("state", "=", "present"),
                    ("check_out", "=", False),
                    ("session_id.state", "!=", "cancelled"),
                    ("session_id.stop", "<", now),
                    ("session_id.stop", ">=", now - timedelta(days=1)),
                ]
            )
        )
        lines.filtered(lambda line: not line.late_pickup).write({"late_pickup": True})
        due = lines.filtered(
            lambda line: (
                not line.session_id.not_collected_alert_at
                and line.session_id._get_not_collected_deadline() <= now
            )
        )
        for session, session_lines in due.grouped("session_id").items():
            session._alert_not_collected(session_lines)
        self._schedule_not_collected_alert()
        return len(due)

    def _get_not_collected_deadline(self):
        self.ensure_one()
        return self.stop + timedelta(
            minutes=self.company_id.afterschool_not_collected_minutes
        )

    def _alert_not_collected(self, lines):
        self.ensure_one()
        session = self.sudo()
        session.not_collected_alert_at = fields.Datetime.now()
        self.env["afterschool.notice"]._queue(
            "not_collected",
            lines,
            hold=False,
            date=session._get_not_collected_deadline(),
        )
        company = session.company_id
        school = session.with_context(lang=company.partner_id.lang or self.env.lang)
        children = [
            "%s: %s"
            % (
                line.student_id.name,
                ", ".join(
                    " ".join(
                        filter(None, [guardian.name, guardian.mobile or guardian.phone])
                    )
                    for guardian in line.student_id.guardian_ids
                ),
            )
            for line in lines
        ]
        title = school.env._(
            "Not collected: %(count)s child(ren) still in %(session)s",
            count=len(lines),
            session=session.name,
        )
        note = Markup("<p>%s</p><ul>%s</ul>") % (
            title,
            Markup("").join(Markup("<li>%s</li>") % child for child in children),
        )
        users = (
            session.duty_teacher_id or session.teacher_id
        ) | company._get_afterschool_coordinator()
        for user in users.filtered("active"):
            school.with_context(mail_activity_quick_update=True).activity_schedule(
                "afterschool_service.mail_activity_type_not_collected",
                user_id=user.id,
                summary=title,
                note=note,
            )
        users._afterschool_bus_alert(title, "; ".join(children))

    @api.model
    def _schedule_not_collected_alert(self):
        """Wake the alert exactly when the next session's children become late, not at the next tick."""
        now = fields.Datetime.now()
        upcoming = self.sudo().search(
            [
                ("state", "=", "planned"),
                ("not_collected_alert_at", "=", False),
                ("stop", ">=", now - timedelta(hours=3)),
                ("stop", "<=", now + timedelta(days=1)),
            ],
            order="stop",
            limit=100,
        )
        deadlines = [
            deadline
            for deadline in (
                session._get_not_collected_deadline() for session in upcoming
            )
            if deadline > now
        ]
        cron = self.env.ref(
            "afterschool_service.afterschool_attendance_cron_late_pickup",
            raise_if_not_found=False,
        )
        if deadlines and cron:
            cron.sudo()._trigger(at=min(deadlines))

    @api.model
    def _close_not_collected_todos(self, sessions):
        """Once every child of an alerted session is collected, its not-collected to-dos are done."""
        activity_type = self.env.ref(
            "afterschool_service.mail_activity_type_not_collected",
            raise_if_not_found=False,
        )
        for session in sessions.sudo().filtered("not_collected_alert_at"):
            if not session.attendance_ids.filtered(
                lambda line: line.state == "present" and not line.check_out
            ):
                todos = session.activity_ids.filtered(
                    lambda activity: activity.activity_type_id == activity_type
                )
                todos.action_feedback(
                    feedback=self.env._("Every child has been collected.")
                )
