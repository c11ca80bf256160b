from odoo import api, fields, models

from ..tools.application_states import LEFT_STATES, PLACED_STATES


class AfterschoolApplication(models.Model):
    """Who attends when: enrolling on signature, leaving from a date, and the session rosters that follow.

    A student attends a group from ``date_enrolled`` and before ``date_left``; every change of
    either brings the planned sessions' rosters in line (_sync_sessions).
    """

    _inherit = "afterschool.application"

    def _action_enrol(self):
        """The agreement is signed: the student attends their groups from today (or the term's start)."""
        self._check_step("enrol")
        enrolling = self.sudo()
        for term, applications in enrolling.grouped("term_id").items():
            applications.write(
                {
                    "state": "enrolled",
                    "date_enrolled": max(
                        term.company_id._afterschool_today(), term.date_start
                    ),
                }
            )
        enrolling._sync_sessions()

    def _leave(self, state, reason, date_left=None):
        """Withdraw or terminate from ``date_left``: future rosters drop the student, places free up.

        Called as superuser, once _check_step has said who may.
        """
        freed = self.filtered(
            lambda application: application.state in PLACED_STATES
        ).group_ids
        for term, applications in self.grouped("term_id").items():
            applications.write(
                {
                    "state": state,
                    "reason": reason,
                    "date_left": fields.Date.to_date(date_left)
                    or term.company_id._afterschool_today(),
                }
            )
        self._unlink_review_activities()
        self.agreement_id.filtered(
            lambda agreement: agreement.state != "terminated"
        )._action_terminate()
        self._sync_sessions()
        freed._promote_waiting_list()

    def _sync_sessions(self, groups=None, date_from=None):
        """Bring the rosters of the planned sessions concerned in line, from the first date that changed."""
        groups = groups if groups is not None else self.group_ids
        dates = [
            application.date_left or application.date_enrolled for application in self
        ]
        dates = [date for date in dates if date]
        if not groups or not dates:
            return
        first = max(min(dates), date_from) if date_from else min(dates)
        sessions = (
            self.env["afterschool.session"]
            .sudo()
            .search(
                [
                    ("group_id", "in", groups.ids),
                    ("date", ">=", first),
                    ("state", "=", "planned"),
                ]
            )
        )
        sessions._sync_rosters()

    @api.model
    def _get_students_by_group_and_date(self, groups, days):
        """{(group id, date): students attending} for the enrolled students, in one query.

        A student attends a group on a date when enrolled in it from ``date_enrolled`` on and,
        after a withdrawal or termination, only before ``date_left``.
        """
        if not groups or not days:
            return {}
        first, last = min(days), max(days)
        applications = self.sudo().search(
            [
                ("group_ids", "in", groups.ids),
                ("state", "in", ("enrolled",) + LEFT_STATES),
                ("date_enrolled", "!=", False),
                ("date_enrolled", "<=", last),
                "|",
                ("date_left", "=", False),
                ("date_left", ">", first),
            ]
        )
        Partner = self.env["res.partner"]
        result = {}
        for application in applications:
            for group in application.group_ids & groups:
                for day in days:
                    if application.date_enrolled <= day and (
                        not application.date_left or day < application.date_left
                    ):
                        key = (group.id, day)
                        result[key] = result.get(key, Partner) | application.student_id
        return result
