import secrets
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL

from ..tools.access import check_coordinator
from ..tools.application_states import LIVE_STATES, PLACED_STATES
from ..tools.groups import FEE_GROUPS
from .afterschool_text_limit_mixin import NAME_LIMIT

PRIVATE_GROUPS = "afterschool_service.group_afterschool_manager"
INVOICE_GROUPS = "account.group_account_invoice,account.group_account_readonly"
CARE_GROUPS = "afterschool_service.group_afterschool_teacher"


class ResPartner(models.Model):
    """Students and guardians are contacts; a student carries the programme's flags."""

    _name = "res.partner"
    _inherit = ["res.partner", "afterschool.text.limit.mixin"]
    _text_limits = {"name": NAME_LIMIT}

    is_student = fields.Boolean(string="Is a Student", index=True)
    class_id = fields.Many2one("afterschool.class", string="Class", index=True)
    grade = fields.Integer(related="class_id.grade", store=True, string="Grade")
    guardian_ids = fields.Many2many(
        "res.partner",
        "afterschool_student_guardian_rel",
        "student_id",
        "guardian_id",
        string="Guardians",
        help="Parents or other legal guardians of the student.",
    )
    ward_ids = fields.Many2many(
        "res.partner",
        "afterschool_student_guardian_rel",
        "guardian_id",
        "student_id",
        string="Children",
        help="Students this contact is a guardian of.",
    )
    invoice_guardian_id = fields.Many2one(
        "res.partner",
        string="Invoice Guardian",
        compute="_compute_invoice_guardian_id",
        store=True,
        readonly=False,
        help="The guardian who receives the after-school invoices; by default the first guardian.",
    )
    authorized_pickup_ids = fields.Many2many(
        "res.partner",
        "afterschool_student_pickup_rel",
        "student_id",
        "person_id",
        string="Authorised Pickup Persons",
        help="Besides the guardians, the people allowed to collect the child.",
    )
    left_behind = fields.Boolean(
        string="Left-behind Child", groups=PRIVATE_GROUPS, tracking=True
    )
    financial_hardship = fields.Boolean(
        string="Financial Hardship", groups=PRIVATE_GROUPS, tracking=True
    )
    fee_waiver_percent = fields.Float(
        string="Fee Waiver (%)", groups=FEE_GROUPS, tracking=True, digits=(5, 2)
    )
    # Read by the coordinator and the teachers and head teacher of the child only: the field groups keep
    # every other role out (no read, search or grouping), the student record rules keep teachers to their own.
    emergency_contact = fields.Char(
        string="Emergency Contact",
        groups=CARE_GROUPS,
        help="Who to call in an emergency when the guardians cannot be reached, with their phone number.",
    )
    health_notes = fields.Text(
        string="Health Notes",
        groups=CARE_GROUPS,
        help="Allergies, conditions and medication the staff looking after the child must know.",
    )
    is_my_student = fields.Boolean(
        string="My Student",
        compute="_compute_is_my_student",
        search="_search_is_my_student",
        help="A student the user looks after: as the head teacher of their class, or as a teacher or duty "
        "teacher of their groups and sessions. Among the teachers, only they see the student.",
    )

    afterschool_pickup_code = fields.Char(
        string="Pickup Code",
        copy=False,
        index=True,
        groups="base.group_system",
        help="A guardian's or authorised person's secret 6-digit code (shown as a QR code in their portal): "
        "typed or scanned at pickup, it checks out the children they may collect.",
    )

    _sql_constraints = [
        (
            "afterschool_pickup_code_uniq",
            "unique(afterschool_pickup_code)",
            "A pickup code belongs to one person.",
        ),
    ]

    # billing: a student's invoices (to the invoice guardian) and what is still owed for them
    afterschool_invoice_ids = fields.Many2many(
        "account.move",
        string="After-School Invoices",
        compute="_compute_afterschool_invoices",
        groups=INVOICE_GROUPS,
        help="Invoices and credit notes with lines for this student.",
    )
    afterschool_amount_due = fields.Monetary(
        string="After-School Amount Due",
        compute="_compute_afterschool_invoices",
        groups=FEE_GROUPS,
        help="This student's share of what the posted after-school invoices still leave to pay.",
    )

    # family notices: what a guardian wants to be told (the school may make some kinds mandatory)
    afterschool_notice_absence = fields.Boolean(
        string="Tell Me of an Unexpected Absence", default=True
    )
    afterschool_notice_pickup = fields.Boolean(
        string="Tell Me When My Child Is Collected", default=False
    )
    afterschool_notice_not_collected = fields.Boolean(
        string="Tell Me When My Child Is Not Collected", default=True
    )
    afterschool_notice_count = fields.Integer(
        compute="_compute_afterschool_notice_count", string="Family Notices"
    )

    def _compute_afterschool_notice_count(self):
        Notice = self.env["afterschool.notice"]
        counts = (
            dict(
                Notice._read_group(
                    [("student_id", "in", self.ids)], ["student_id"], ["__count"]
                )
            )
            if Notice.has_access("read")
            else {}
        )
        for partner in self:
            partner.afterschool_notice_count = counts.get(partner, 0)

    def action_view_afterschool_notices(self):
        """The notices sent about this child: the proof that the family was told."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_notice_action"
        )
        action["domain"] = [("student_id", "=", self.id)]
        action["context"] = {}
        return action

    def _afterschool_wants_notice(self, kind, company):
        """Whether this guardian gets notices of this kind at this school: mandatory, or their choice."""
        self.ensure_one()
        return (
            company[f"afterschool_notice_mandatory_{kind}"]
            or self[f"afterschool_notice_{kind}"]
        )

    def _afterschool_set_notice_preferences(self, wanted, company):
        """A guardian's own choice in the portal (``wanted``: the kinds they want); the kinds the school makes
        mandatory are not theirs to choose and stay as they were."""
        self.ensure_one()
        if self != self.env.user.partner_id:
            raise AccessError(self.env._("You can only choose your own notices."))
        self.sudo().write(
            {
                f"afterschool_notice_{kind}": kind in wanted
                for kind in ("absence", "pickup", "not_collected")
                if not company[f"afterschool_notice_mandatory_{kind}"]
            }
        )

    @api.depends("guardian_ids")
    def _compute_invoice_guardian_id(self):
        for partner in self:
            if partner.invoice_guardian_id not in partner.guardian_ids:
                partner.invoice_guardian_id = partner.guardian_ids[:1]

    def _compute_afterschool_invoices(self):
        """A guardian pays for all their children at once: what the family still owes on its
        after-school invoices is shared among the children in proportion to what each was billed."""
        # sudo: coordinators see what is owed without access to the invoices themselves
        lines = (
            self.env["account.move.line"]
            .sudo()
            .search(
                [
                    ("afterschool_student_id", "in", self.ids),
                    ("parent_state", "!=", "cancel"),
                ]
            )
        )
        family_moves = lines.move_id.search(
            [
                (
                    "commercial_partner_id",
                    "in",
                    lines.move_id.commercial_partner_id.ids,
                ),
                ("company_id", "in", lines.company_id.ids),
                ("afterschool_run_id", "!=", False),
                ("state", "=", "posted"),
            ]
        )
        due = defaultdict(float)
        for moves in family_moves.grouped(
            lambda move: (move.commercial_partner_id, move.company_id)
        ).values():
            residual = sum(moves.mapped("amount_residual_signed"))
            billed = defaultdict(float)
            for line in moves.invoice_line_ids:
                billed[line.afterschool_student_id] += line.price_total * (
                    -1 if line.move_type == "out_refund" else 1
                )
            total = sum(billed.values())
            for student, amount in billed.items():
                due[student] += residual * amount / total if total else 0.0
        for partner in self:
            partner.afterschool_invoice_ids = lines.filtered(
                lambda line: line.afterschool_student_id == partner
            ).move_id
            partner.afterschool_amount_due = self.env.company.currency_id.round(
                due[partner]
            )

    @api.depends_context("uid")
    def _compute_is_my_student(self):
        students = [
            partner_id for partner_id in self.ids if isinstance(partner_id, int)
        ]
        mine = set()
        if students:
            mine = {
                student_id
                for student_id, _user_id in self.env.execute_query(
                    self._afterschool_teacher_pairs(
                        students=students, users=[self.env.uid]
                    )
                )
            }
        for partner in self:
            partner.is_my_student = partner.id in mine

    def _search_is_my_student(self, operator, value):
        """The teachers' record rule: the user's students, as one subquery."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(
                f"Unsupported search on is_my_student: {operator} {value!r}"
            )
        mine = SQL(
            "(SELECT pairs.student_id FROM (%s) AS pairs)",
            self._afterschool_teacher_pairs(users=[self.env.uid]),
        )
        return [("id", "in" if (operator == "=") == value else "not in", mine)]

    @api.constrains("fee_waiver_percent")
    def _check_fee_waiver_percent(self):
        for partner in self:
            if not 0 <= partner.fee_waiver_percent <= 100:
                raise ValidationError(
                    self.env._("A fee waiver is a percentage between 0 and 100.")
                )

    @api.constrains("guardian_ids", "is_student")
    def _check_guardians(self):
        for partner in self:
            if partner in partner.guardian_ids:
                raise ValidationError(
                    self.env._("A student cannot be their own guardian.")
                )
            if partner.guardian_ids and not partner.is_student:
                raise ValidationError(
                    self.env._(
                        "Only students have guardians: mark %(name)s as a student first.",
                        name=partner.name,
                    )
                )

    @api.constrains("invoice_guardian_id", "guardian_ids")
    def _check_invoice_guardian(self):
        for partner in self:
            if (
                partner.invoice_guardian_id
                and partner.invoice_guardian_id not in partner.guardian_ids
            ):
                raise ValidationError(
                    self.env._(
                        "The invoice guardian must be one of the student's guardians."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        """A student belongs to the school of their class, so other schools do not see them."""
        for vals in vals_list:
            if vals.get("class_id") and not vals.get("company_id"):
                vals["company_id"] = (
                    self.env["afterschool.class"].browse(vals["class_id"]).company_id.id
                )
        return super().create(vals_list)

    @api.model
    def _afterschool_teacher_pairs(self, students=None, users=None):
        """SQL of the (student_id, user_id) pairs of who looks after whom, optionally narrowed down.

        A teacher looks after the students placed in the groups they teach, those on the rosters of the
        sessions they teach or supervise on duty (archived rosters left out), and a head teacher the students
        of their class. One query, so that the record rules stay fast on rosters of a whole term.
        """
        for model, names in (
            ("afterschool.application", ["student_id", "state", "active", "group_ids"]),
            ("afterschool.activity.group", ["teacher_id"]),
            ("afterschool.attendance", ["student_id", "session_id", "active"]),
            ("afterschool.session", ["teacher_id", "duty_teacher_id"]),
            ("afterschool.class", ["head_teacher_id"]),
            ("res.partner", ["class_id"]),
        ):
            self.env[model].flush_model(names)

        def narrow(student, user):
            conditions = [SQL("%s IS NOT NULL", user)]
            if students is not None:
                conditions.append(SQL("%s IN %s", student, tuple(students)))
            if users is not None:
                conditions.append(SQL("%s IN %s", user, tuple(users)))
            return SQL(" AND ").join(conditions)

        return SQL(
            """SELECT app.student_id, grp.teacher_id AS user_id
                 FROM afterschool_application app
                 JOIN afterschool_application_group_rel rel ON rel.application_id = app.id
                 JOIN afterschool_activity_group grp ON grp.id = rel.group_id
                WHERE app.active AND app.state IN %(placed)s AND %(groups)s
               UNION
               SELECT att.student_id, ses.teacher_id
                 FROM afterschool_attendance att JOIN afterschool_session ses ON ses.id = att.session_id
                WHERE att.active AND %(teachers)s
               UNION
               SELECT att.student_id, ses.duty_teacher_id
                 FROM afterschool_attendance att JOIN afterschool_session ses ON ses.id = att.session_id
                WHERE att.active AND %(duty)s
               UNION
               SELECT student.id, cls.head_teacher_id
                 FROM res_partner student JOIN afterschool_class cls ON cls.id = student.class_id
                WHERE %(heads)s""",
            placed=PLACED_STATES,
            groups=narrow(SQL("app.student_id"), SQL("grp.teacher_id")),
            teachers=narrow(SQL("att.student_id"), SQL("ses.teacher_id")),
            duty=narrow(SQL("att.student_id"), SQL("ses.duty_teacher_id")),
            heads=narrow(SQL("student.id"), SQL("cls.head_teacher_id")),
        )

    def _get_afterschool_term_to_apply(self):
        """The next open term of the student's school that the student has not applied for, if any.

        As superuser: the terms and groups of their child's school are what a family reads in the portal
        to apply, though guardians have no access rights on terms.
        """
        self.ensure_one()
        applied = (
            self.env["afterschool.application"]
            .sudo()
            .search([("student_id", "=", self.id), ("state", "in", LIVE_STATES)])
            .term_id
        )
        return (
            self.env["afterschool.term"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "open"),
                    ("date_end", ">=", self.company_id._afterschool_today()),
                    ("id", "not in", applied.ids),
                ],
                order="date_start, id",
                limit=1,
            )
        )

    def _get_afterschool_pickup_code(self):
        """This person's pickup code, drawn at random on first use (unique among all contacts)."""
        self.ensure_one()
        partner = self.sudo()
        if not partner.afterschool_pickup_code:
            partner.afterschool_pickup_code = partner._new_afterschool_pickup_code()
        return partner.afterschool_pickup_code

    @api.model
    def _new_afterschool_pickup_code(self):
        while True:
            code = "%06d" % secrets.randbelow(10**6)
            if not (
                self.sudo()
                .with_context(active_test=False)
                .search_count([("afterschool_pickup_code", "=", code)], limit=1)
            ):
                return code

    def _afterschool_rotate_pickup_code(self):
        """A guardian draws a new pickup code of their own in the portal: the old one stops working at once."""
        self.ensure_one()
        if self != self.env.user.partner_id:
            raise AccessError(self.env._("Only its holder draws a new pickup code."))
        partner = self.sudo()
        partner.afterschool_pickup_code = partner._new_afterschool_pickup_code()
        return partner.afterschool_pickup_code

    def action_revoke_afterschool_pickup_code(self):
        """The coordinator revokes the pickup codes of these people (a lost phone, a code seen by others): the
        codes stop working at once; a guardian finds a new one in their portal. Only people who collect a
        child of the coordinator's schools."""
        check_coordinator(
            self, self.env._("Only the coordinator revokes pickup codes.")
        )
        students = self.search(
            [
                ("is_student", "=", True),
                ("class_id.company_id", "in", self.env.user.company_ids.ids),
                "|",
                ("guardian_ids", "in", self.ids),
                ("authorized_pickup_ids", "in", self.ids),
            ]
        )
        outsiders = self - students.guardian_ids - students.authorized_pickup_ids
        if outsiders:
            raise AccessError(
                self.env._(
                    "%(names)s collects no child of your school: their pickup code is not yours to revoke.",
                    names=", ".join(outsiders.mapped("display_name")),
                )
            )
        self.sudo().write({"afterschool_pickup_code": False})
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Pickup code revoked: it no longer works. A guardian finds a new one in their portal."
                ),
            },
        }

    def _get_pickup_partners(self):
        """Everyone allowed to collect this student: guardians and authorised persons."""
        self.ensure_one()
        return self.guardian_ids | self.authorized_pickup_ids
