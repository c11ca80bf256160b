from collections import Counter

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools.access import check_coordinator
from ..tools.application_states import PLACED_STATES
from ..tools.groups import MANAGER_GROUP


class AfterschoolPlacementWizard(models.TransientModel):
    """Place the approved students of a term (or a selection) in their groups, and open rooms where short."""

    _name = "afterschool.placement.wizard"
    _description = "Place Students in Activity Groups"

    term_id = fields.Many2one(
        "afterschool.term",
        string="Term",
        required=True,
        default=lambda self: self._default_term(),
        domain="[('state', '!=', 'closed')]",
    )
    application_ids = fields.Many2many(
        "afterschool.application",
        "afterschool_placement_wizard_application_rel",
        "wizard_id",
        "application_id",
        string="Applications",
        help="Only these applications; empty: every approved application of the term.",
    )
    approved_count = fields.Integer(string="Approved", compute="_compute_counts")
    waiting_count = fields.Integer(
        string="On the Waiting List", compute="_compute_counts"
    )
    free_seat_count = fields.Integer(string="Free Places", compute="_compute_counts")
    reading_waiting_count = fields.Integer(
        string="Unplaced for Reading", compute="_compute_counts"
    )
    reading_group_id = fields.Many2one(
        "afterschool.activity.group",
        string="Reading Room to Duplicate",
        compute="_compute_reading_group_id",
        store=True,
        readonly=False,
        domain="[('term_id', '=', term_id), ('kind', '=', 'reading')]",
        help="The reading room most students wait for.",
    )
    venue_id = fields.Many2one(
        "afterschool.venue",
        string="New Venue",
        domain="[('id', 'in', available_venue_ids)]",
        help="Where the new reading room meets: only venues free on its days and times are offered.",
    )
    teacher_id = fields.Many2one(
        "res.users",
        string="Teacher of the New Room",
        domain="[('id', 'in', available_teacher_ids)]",
        help="Only teachers free on the room's days and times are offered.",
    )
    available_venue_ids = fields.Many2many(
        "afterschool.venue", compute="_compute_available_resources"
    )
    available_teacher_ids = fields.Many2many(
        "res.users", compute="_compute_available_resources"
    )
    room_message = fields.Text(string="New Room", readonly=True)
    company_id = fields.Many2one(related="term_id.company_id")
    placed_count = fields.Integer(string="Places Given", readonly=True)

    @api.model
    def _default_term(self):
        if self.env.context.get("active_model") == "afterschool.term":
            return self.env.context.get("active_id")
        return self.env["afterschool.term"].search(
            [("state", "=", "open"), ("company_id", "in", self.env.companies.ids)],
            order="date_start desc",
            limit=1,
        )

    def _get_applications(self):
        self.ensure_one()
        # every application chosen, even those the user may not read: the placement step refuses them
        chosen = self.sudo().application_ids.with_env(self.env)
        if chosen:
            return chosen.filtered(
                lambda application: application.sudo().state in PLACED_STATES
            )
        return self.env["afterschool.application"].search(
            [("term_id", "=", self.term_id.id), ("state", "in", PLACED_STATES)]
        )

    @api.depends("term_id", "application_ids")
    def _compute_counts(self):
        for wizard in self:
            applications = (
                wizard._get_applications()
                if wizard.term_id
                else self.env["afterschool.application"]
            )
            groups = wizard.term_id.group_ids
            placed = self.env["afterschool.application"]._get_placed_counts(groups)
            wizard.approved_count = len(applications)
            wizard.waiting_count = len(applications.filtered("is_waiting"))
            wizard.free_seat_count = sum(
                max(group.capacity - placed.get(group.id, 0), 0) for group in groups
            )
            wizard.reading_waiting_count = len(
                applications.filtered(
                    lambda application: (
                        "reading" in application.waiting_group_ids.mapped("kind")
                    )
                )
            )

    @api.depends("term_id")
    def _compute_reading_group_id(self):
        for wizard in self:
            waiting = self.env["afterschool.application"].search(
                [("term_id", "=", wizard.term_id.id), ("is_waiting", "=", True)]
            )
            demand = Counter(
                group
                for application in waiting
                for group in application.waiting_group_ids
                if group.kind == "reading"
            )
            wizard.reading_group_id = max(
                demand, key=lambda group: (demand[group], -group.id), default=False
            )

    @api.depends("reading_group_id")
    def _compute_available_resources(self):
        for wizard in self:
            group = wizard.reading_group_id
            if not group or not self.env.user.has_group(MANAGER_GROUP):
                wizard.available_venue_ids = wizard.available_teacher_ids = False
                continue
            date_from = max(
                group.company_id._afterschool_today(), group.term_id.date_start
            )
            wizard.available_venue_ids = group._get_free_resources(
                "venue_id", date_from
            )
            wizard.available_teacher_ids = group._get_free_resources(
                "teacher_id", date_from
            )

    def action_allocate(self):
        """Place every approved student who waits, in order of priority, and show the result."""
        check_coordinator(
            self.sudo().term_id.with_env(self.env),
            self.env._("Only a coordinator can place students in groups."),
        )
        applications = self._get_applications()
        applications._check_step("allocate")
        self.placed_count = applications._allocate()
        self.invalidate_recordset()
        return self._reopen()

    def action_open_reading_room(self):
        """Duplicate the reading room in the chosen venue and place its waiting students there."""
        self.env["afterschool.application"]._check_step("allocate")
        if not self.reading_group_id or not self.venue_id or not self.teacher_id:
            raise UserError(
                self.env._(
                    "Choose the reading room to duplicate, and the venue and teacher of the new room."
                )
            )
        full_group = self.reading_group_id
        full_group.check_access("write")  # a room of the coordinator's own school
        self.venue_id.check_access("read")
        self.teacher_id.check_access("read")
        room = full_group._open_room_in_venue(self.venue_id, self.teacher_id)
        self.room_message = room.message_ids[:1].preview or room.display_name
        self.venue_id = self.teacher_id = False
        self._compute_reading_group_id()
        self.invalidate_recordset()
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "name": self.env._("Place Students"),
        }
