from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..tools.application_states import PLACED_STATES
from ..tools.dates import format_service_date
from ..tools.groups import MANAGER_GROUP


class AfterschoolDashboard(models.AbstractModel):
    """The coordinator's day at a glance: what today and the open term look like, each figure a link.

    Figures are counted in a handful of grouped queries, as the coordinator (record rules apply);
    each figure carries the model and domain of the records behind it, which the screen opens.
    """

    _name = "afterschool.dashboard"
    _description = "After-School Coordinator Dashboard"

    @api.model
    def get_dashboard_data(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._("The after-school dashboard is the coordinator's.")
            )
        today = self.env.company._afterschool_today()
        return {
            # as the school writes a day: 11月30日 周一 / Mon, Nov 30
            "date": format_service_date(self.env, today),
            "today": self._get_today_figures(today),
            "duty": self._get_duty(today),
            "term": self._get_term_figures(),
        }

    @api.model
    def _figure(self, label, value, model, domain, tone="", views=("list", "form")):
        return {
            "label": label,
            "value": value,
            "model": model,
            "domain": domain,
            "tone": tone,
            "views": list(views),
        }

    @api.model
    def _get_today_figures(self, today):
        now = fields.Datetime.now()
        Session, Attendance = (
            self.env["afterschool.session"],
            self.env["afterschool.attendance"],
        )
        today_sessions = [("date", "=", today), ("state", "!=", "cancelled")]
        waiting = today_sessions + [("state", "=", "planned"), ("start", ">", now)]
        marking = today_sessions + [("state", "=", "planned"), ("start", "<=", now)]
        closed = today_sessions + [("state", "=", "done")]
        counts = {
            key: Session.search_count(domain)
            for key, domain in (
                ("waiting", waiting),
                ("marking", marking),
                ("closed", closed),
            )
        }
        absent = [("date", "=", today), ("state", "=", "absent")]
        not_collected = [
            ("date", "=", today),
            ("state", "=", "present"),
            ("check_out", "=", False),
            ("session_id.stop", "<", now),
        ]
        open_incidents = [("state", "=", "open")]
        return [
            self._figure(
                self.env._("Not started"),
                counts["waiting"],
                "afterschool.session",
                waiting,
            ),
            self._figure(
                self.env._("Taking attendance"),
                counts["marking"],
                "afterschool.session",
                marking,
                "info",
            ),
            self._figure(
                self.env._("Closed"),
                counts["closed"],
                "afterschool.session",
                closed,
                "success",
            ),
            self._figure(
                self.env._("Absent without leave"),
                Attendance.search_count(absent),
                "afterschool.attendance",
                absent,
                "danger",
            ),
            self._figure(
                self.env._("Not collected after the window"),
                Attendance.search_count(not_collected),
                "afterschool.attendance",
                not_collected,
                "danger",
            ),
            self._figure(
                self.env._("Open incidents"),
                self.env["afterschool.incident"].search_count(open_incidents),
                "afterschool.incident",
                open_incidents,
                "warning",
            ),
        ]

    @api.model
    def _get_duty(self, today):
        duties = self.env["afterschool.duty"].search(
            [("date", "=", today)], order="grade"
        )
        return {
            "names": [duty.display_name for duty in duties],
            "figure": self._figure(
                self.env._("Duty today"),
                len(duties),
                "afterschool.duty",
                [("date", "=", today)],
            ),
        }

    @api.model
    def _get_term_figures(self):
        terms = self.env["afterschool.term"].search([("state", "=", "open")])
        Application = self.env["afterschool.application"]
        in_terms = [("term_id", "in", terms.ids)]
        states = dict(Application._fields["state"]._description_selection(self.env))
        by_state = [
            self._figure(
                states[state],
                count,
                "afterschool.application",
                in_terms + [("state", "=", state)],
            )
            for state, count in Application._read_group(
                in_terms, ["state"], ["__count"]
            )
        ]
        priority = [("priority", "!=", "0")]
        placed = in_terms + priority + [("state", "in", PLACED_STATES)]
        waiting = in_terms + [("is_waiting", "=", True)]
        groups = self.env["afterschool.activity.group"].search(in_terms, order="name")
        fill = [
            {
                "id": group.id,
                "name": group.name,
                "placed": group.student_count,  # counted in one grouped query
                "capacity": group.capacity,
                "rate": round(100 * group.student_count / group.capacity)
                if group.capacity
                else 0,
            }
            for group in groups
        ]
        return {
            "names": ", ".join(terms.mapped("name")),
            "applications": by_state,
            "waiting": self._figure(
                self.env._("Waiting list"),
                Application.search_count(waiting),
                "afterschool.application",
                waiting,
                "warning",
            ),
            "priority_placed": self._figure(
                self.env._("Priority children placed"),
                Application.search_count(placed),
                "afterschool.application",
                placed,
                "success",
            ),
            "priority_waiting": self._figure(
                self.env._("Priority children waiting"),
                Application.search_count(waiting + priority),
                "afterschool.application",
                waiting + priority,
                "danger",
            ),
            "groups": fill,
        }
