from collections import Counter, defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.groups import MANAGER_GROUP


class AfterschoolInspectionRotation(models.TransientModel):
    """Proposes who of the leadership group inspects which session, week by week.

    Spreads the checks over the groups least inspected so far and over the members in turn; a
    member never inspects their own session. The proposal is a set of planned inspections.
    """

    _name = "afterschool.inspection.rotation"
    _description = "Propose Inspections"

    term_id = fields.Many2one(
        "afterschool.term",
        string="Term",
        required=True,
        domain="[('state', '=', 'open'), ('company_id', 'in', allowed_company_ids)]",
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: self.env.company._afterschool_today(),
    )
    date_to = fields.Date(string="To", required=True)
    per_week = fields.Integer(string="Inspections per Week", required=True, default=2)

    @api.onchange("term_id")
    def _onchange_term_id(self):
        if self.term_id:
            self.date_to = self.term_id.date_end

    def action_propose(self):
        self.ensure_one()
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(self.env._("Only the coordinator plans the inspections."))
        self.term_id.check_access("write")
        if not 1 <= self.per_week <= 50:
            raise UserError(self.env._("Plan between 1 and 50 inspections a week."))
        if not self.date_to or self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
        company = self.term_id.company_id
        members = (
            self.env["afterschool.leadership.member"]
            .search([("company_id", "=", company.id)])
            .user_id
        )
        if not members:
            raise UserError(
                self.env._(
                    "The school has no leadership group yet: add its members under Configuration → Leadership Group."
                )
            )
        Inspection = self.env["afterschool.inspection"]
        sessions = self.env["afterschool.session"].search(
            [
                ("term_id", "=", self.term_id.id),
                ("state", "=", "planned"),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ],
            order="date, start, id",
        )
        done = Counter()
        for group, count in Inspection._read_group(
            [("group_id.term_id", "=", self.term_id.id)], ["group_id"], ["__count"]
        ):
            done[group] = count
        by_week = defaultdict(list)
        for session in sessions:
            by_week[session.date.isocalendar()[:2]].append(session)
        vals_list, turn = [], 0
        for _week, week_sessions in sorted(by_week.items()):
            chosen_groups = set()
            for session in sorted(
                week_sessions, key=lambda s: (done[s.group_id], s.date, s.id)
            ):
                if len(chosen_groups) >= self.per_week:
                    break
                if session.group_id in chosen_groups:
                    continue
                candidates = [user for user in members if user != session.teacher_id]
                if not candidates:
                    continue
                inspector = candidates[turn % len(candidates)]
                turn += 1
                chosen_groups.add(session.group_id)
                done[session.group_id] += 1
                vals_list.append(
                    {"session_id": session.id, "inspector_id": inspector.id}
                )
        if not vals_list:
            raise UserError(self.env._("No planned session in that period to inspect."))
        inspections = Inspection.create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Proposed Inspections"),
            "res_model": "afterschool.inspection",
            "view_mode": "list,form",
            "domain": [("id", "in", inspections.ids)],
        }
