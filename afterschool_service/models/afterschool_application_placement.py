from collections import defaultdict
from datetime import datetime

from odoo import Command, api, fields, models
from odoo.tools import format_date

from ..tools.application_states import PLACED_STATES


class AfterschoolApplication(models.Model):
    """Placing approved students in their groups (by priority, within capacity) and posting the list.

    Both work on a whole term at once: grouped counts and the decisions in memory, then one write
    per group; the posting list (公示名单) is what the school puts on the wall and keeps in the chatter.
    """

    _inherit = "afterschool.application"

    # ------------------------------------------------------------------ placement
    @api.model
    def _get_placed_counts(self, groups):
        """{group id: students placed} for the given groups, in one grouped query."""
        counts = self.sudo()._read_group(
            [("group_ids", "in", groups.ids), ("state", "in", PLACED_STATES)],
            ["group_ids"],
            ["__count"],
        )
        return {group.id: count for group, count in counts if group in groups}

    def _get_waiting_groups(self):
        """Requested groups not placed yet, leaving out those meeting on a day already taken (alternatives)."""
        self.ensure_one()
        if self.state not in PLACED_STATES:
            return self.env["afterschool.activity.group"]
        taken = self._get_placed_weekdays()
        return (self.requested_group_ids - self.group_ids).filtered(
            lambda group: not group._get_weekdays() & taken
        )

    def _get_placed_weekdays(self):
        self.ensure_one()
        return set().union(*(group._get_weekdays() for group in self.group_ids))

    def _get_allocation_key(self):
        """Left-behind and hardship first, then who applied first."""
        return (-int(self.priority or 0), self.date_submitted or datetime.max, self.id)

    def _allocate(self, groups=None):
        """Place approved applications in their requested groups, within capacity, by priority.

        Works on thousands at once: one grouped count of places taken, the decisions in memory,
        then one write per group. Applications that get no place stay on the waiting list.
        Returns the number of places given.
        """
        candidates = self.sudo().filtered(lambda application: application.is_waiting)
        wanted = candidates.waiting_group_ids
        if groups is not None:
            wanted &= groups
        if not wanted:
            return 0
        placed = self._get_placed_counts(wanted)
        free = {group.id: group.capacity - placed.get(group.id, 0) for group in wanted}
        weekdays = {
            group.id: group._get_weekdays() for group in wanted | candidates.group_ids
        }
        new_places = defaultdict(list)
        for application in candidates.sorted(lambda a: a._get_allocation_key()):
            taken = set().union(
                *(weekdays[group.id] for group in application.group_ids)
            )
            for group in (application.waiting_group_ids & wanted).sorted(
                lambda g: (-free[g.id], g.id)
            ):
                if free[group.id] > 0 and not weekdays[group.id] & taken:
                    new_places[group.id].append(application.id)
                    free[group.id] -= 1
                    taken |= weekdays[group.id]
        for group_id, application_ids in new_places.items():
            self.sudo().browse(application_ids).write(
                {"group_ids": [Command.link(group_id)]}
            )
        enrolled = candidates.filtered(
            lambda application: application.state == "enrolled"
        )
        if enrolled and new_places:
            enrolled._sync_sessions(
                self.env["afterschool.activity.group"].browse(list(new_places)),
                date_from=enrolled.term_id[:1].company_id._afterschool_today(),
            )
        return sum(len(ids) for ids in new_places.values())

    # ------------------------------------------------------------------ posting
    def _get_posting_lists(self):
        """The posted applications per term and class, for the posting list (公示名单)."""
        lists = defaultdict(lambda: self.browse())
        for application in self.filtered(lambda a: a.state in PLACED_STATES):
            lists[application.term_id, application.class_id] |= application
        postings = [
            {
                "term": term,
                "school_class": school_class,
                "company": term.company_id,
                "applications": applications.sorted(lambda a: a.student_id.name or ""),
                "date": max(
                    (a.date_published for a in applications if a.date_published),
                    default=False,
                )
                or fields.Datetime.now(),
            }
            for (term, school_class), applications in sorted(
                lists.items(),
                key=lambda item: (
                    item[0][0].id,
                    item[0][1].grade,
                    item[0][1].name or "",
                ),
            )
        ]
        for posting in postings:
            # The posting period: from the posting day (the school's), for the school's number of working days.
            posting["date_from"] = fields.Datetime.context_timestamp(
                self.with_context(
                    tz=posting["company"].partner_id.tz or self.env.context.get("tz")
                ),
                posting["date"],
            ).date()
            posting["date_to"] = posting["company"]._get_afterschool_posting_end(
                posting["date_from"]
            )
            posting["period_text"] = self.env._(
                "Posting period: from %(date_from)s to %(date_to)s (%(days)s working days).",
                date_from=format_date(self.env, posting["date_from"]),
                date_to=format_date(self.env, posting["date_to"]),
                days=posting["company"].afterschool_posting_days,
            )
            contact = posting["company"].afterschool_posting_contact
            if not contact and posting["company"].phone:
                contact = self.env._(
                    "the head teacher of the class or the school office (%(phone)s)",
                    phone=posting["company"].phone,
                )
            elif not contact:
                contact = self.env._(
                    "the head teacher of the class or the school office"
                )
            posting["objections_text"] = self.env._(
                "Questions or objections: %(contact)s, within the posting period.",
                contact=contact,
            )
        return postings

    def _get_posting_name(self):
        """The student's name as posted on a wall: the middle masked, 张*涵 (2 characters: 张*; Latin names:
        the first word and initials)."""
        self.ensure_one()
        name = (self.student_id.name or "").strip()
        words = name.split()
        if len(words) > 1:
            return " ".join([words[0]] + ["%s." % word[0] for word in words[1:]])
        if len(name) <= 1:
            return name
        if len(name) == 2:
            return name[0] + "*"
        return name[0] + "*" * (len(name) - 2) + name[-1]

    def _post_posting_lists(self):
        """Post each class's list in the class's chatter, so the school keeps what was posted and when."""
        for posting in self._get_posting_lists():
            if not posting["school_class"]:
                continue
            body = self.env["ir.qweb"]._render(
                "afterschool_service.afterschool_posting_table", posting
            )
            posting["school_class"].sudo().message_post(
                body=self.env._(
                    "Posting list for %(term)s published:", term=posting["term"].name
                )
                + body,
                subtype_xmlid="mail.mt_note",
            )
