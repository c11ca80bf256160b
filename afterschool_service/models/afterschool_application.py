import re
from contextlib import contextmanager

import psycopg2.errors

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..tools.access import check_computed_fields
from ..tools.application_states import (
    FINAL_STATES,
    LIVE_STATES,
    PLACED_STATES,
)
from ..tools.groups import FEE_GROUPS, MANAGER_GROUP
from .afterschool_term import WEEKDAY_FIELDS

# The database keeps one live application per student and term, whatever runs at the same time.
LIVE_INDEX = "afterschool_application_live_student_term_uniq"

# Fields that only the workflow (the action_* methods) writes.
WORKFLOW_FIELDS = {
    "state",
    "date_submitted",
    "class_approver_id",
    "date_class_approved",
    "school_approver_id",
    "date_school_approved",
    "date_published",
    "date_enrolled",
    "date_left",
    "reason",
    "agreement_id",
}
# Fields fixed once the family has submitted.
DRAFT_ONLY_FIELDS = {"student_id", "term_id"}
# Fields the review may still adjust, until the school has approved.
REVIEW_FIELDS = {"guardian_id", "requested_group_ids"}


def _is_mail_field(name):
    """Chatter and activity bookkeeping stays writable on read-only applications."""
    return name.startswith(("message_", "activity_", "website_message"))


class AfterschoolApplication(models.Model):
    """A family's application for one child and one term: reviewed, posted, signed, enrolled.

    Here its fields, constraints, CRUD and actions; beside it, as Odoo's own models are split, who
    may take each step (_workflow), placement and posting (_placement), enrolment and leaving
    (_enrolment). The demo's applications are built by afterschool.demo.
    """

    _name = "afterschool.application"
    _description = "After-School Application"
    _inherit = ["mail.thread", "mail.activity.mixin", "afterschool.private.field.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(
        default=True, help="Archived with its term, once the term is over."
    )
    student_id = fields.Many2one(
        "res.partner",
        string="Student",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_student', '=', True)]",
    )
    guardian_id = fields.Many2one(
        "res.partner",
        string="Guardian",
        required=True,
        index=True,
        tracking=True,
        domain="[('id', 'in', student_guardian_ids)]",
    )
    student_guardian_ids = fields.Many2many(
        related="student_id.guardian_ids", string="Student's Guardians"
    )
    class_id = fields.Many2one(
        related="student_id.class_id", store=True, index=True, string="Class"
    )
    head_teacher_id = fields.Many2one(
        related="class_id.head_teacher_id", string="Head Teacher"
    )
    grade = fields.Integer(
        related="student_id.grade", store=True, string="Grade", aggregator=False
    )
    term_id = fields.Many2one(
        "afterschool.term",
        string="Term",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company",
        related="term_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    requested_group_ids = fields.Many2many(
        "afterschool.activity.group",
        "afterschool_application_requested_group_rel",
        "application_id",
        "group_id",
        string="Requested Groups",
        check_company=True,
        domain="[('term_id', '=', term_id), ('grade_min', '<=', grade), ('grade_max', '>=', grade)]",
        help="The groups the family asked for. Groups meeting on the same weekday are alternatives: "
        "the student is placed in one of them.",
    )
    group_ids = fields.Many2many(
        "afterschool.activity.group",
        "afterschool_application_group_rel",
        "application_id",
        "group_id",
        string="Placed in Groups",
        check_company=True,
        tracking=True,
        domain="[('id', 'in', requested_group_ids)]",
        help="The groups the student is placed in.",
    )
    waiting_group_ids = fields.Many2many(
        "afterschool.activity.group",
        string="Waiting for Groups",
        compute="_compute_waiting_group_ids",
        help="Requested groups the approved student is not yet placed in (and that do not meet on a day "
        "the student is already placed).",
    )
    is_waiting = fields.Boolean(
        string="On the Waiting List",
        compute="_compute_is_waiting",
        store=True,
        index=True,
        help="Approved, and waiting for a place in a requested group.",
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Priority"), ("2", "High Priority")],
        compute="_compute_priority",
        store=True,
        compute_sudo=True,
        index=True,
        groups=MANAGER_GROUP,
        help="Left-behind children and children of families in financial hardship are placed first.",
    )
    left_behind = fields.Boolean(related="student_id.left_behind", groups=MANAGER_GROUP)
    financial_hardship = fields.Boolean(
        related="student_id.financial_hardship", groups=MANAGER_GROUP
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("class_approved", "Class Approved"),
            ("school_approved", "School Approved"),
            ("published", "Published"),
            ("enrolled", "Enrolled"),
            ("rejected", "Rejected"),
            ("withdrawn", "Withdrawn"),
            ("terminated", "Terminated"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        group_expand=True,
    )
    date_submitted = fields.Datetime(
        string="Submitted On", tracking=True, copy=False, readonly=True
    )
    class_approver_id = fields.Many2one(
        "res.users", string="Class Review By", tracking=True, copy=False, readonly=True
    )
    date_class_approved = fields.Datetime(
        string="Class Review On", tracking=True, copy=False, readonly=True
    )
    school_approver_id = fields.Many2one(
        "res.users", string="School Review By", tracking=True, copy=False, readonly=True
    )
    date_school_approved = fields.Datetime(
        string="School Review On", tracking=True, copy=False, readonly=True
    )
    date_published = fields.Datetime(
        string="Published On", tracking=True, copy=False, readonly=True
    )
    date_enrolled = fields.Date(
        string="Enrolled From",
        tracking=True,
        copy=False,
        readonly=True,
        help="First service date the student attends (the day the agreement is signed, at the earliest).",
    )
    date_left = fields.Date(
        string="Left On",
        tracking=True,
        copy=False,
        readonly=True,
        help="From this date on the student no longer attends (withdrawal or termination).",
    )
    reason = fields.Text(
        tracking=True,
        copy=False,
        readonly=True,
        help="Why the application was rejected, withdrawn or terminated.",
    )
    agreement_id = fields.Many2one(
        "afterschool.agreement",
        string="Agreement",
        copy=False,
        readonly=True,
        index="btree_not_null",
    )
    agreement_state = fields.Selection(
        related="agreement_id.state", string="Agreement Status"
    )
    is_to_review = fields.Boolean(
        string="To Review",
        compute="_compute_is_to_review",
        search="_search_is_to_review",
        help="The user may take the next review step of this application now.",
    )
    # Billing, for the coordinator and the accountant: the student's invoices and what is still due.
    currency_id = fields.Many2one(related="term_id.currency_id", string="Currency")
    student_invoice_ids = fields.Many2many(
        related="student_id.afterschool_invoice_ids",
        string="Invoices",
        groups=FEE_GROUPS,
    )
    student_invoice_count = fields.Integer(
        compute="_compute_student_invoice_count",
        string="Invoice Count",
        groups=FEE_GROUPS,
    )
    student_amount_due = fields.Monetary(
        related="student_id.afterschool_amount_due",
        string="Amount Due",
        groups=FEE_GROUPS,
    )

    # ------------------------------------------------------------------ computes
    def _compute_student_invoice_count(self):
        for application in self:
            application.student_invoice_count = len(application.student_invoice_ids)

    @api.depends("student_id.name", "term_id.name")
    def _compute_name(self):
        """Stored for search only; people read display_name, composed in their language."""
        for application in self:
            application.name = "%s / %s" % (
                application.student_id.name or "",
                application.term_id.name or "",
            )

    @api.depends("student_id.name", "term_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """张子涵 / 2026年秋季学期: the term's name in the reader's language."""
        for application in self:
            application.display_name = "%s / %s" % (
                application.student_id.name or "",
                application.term_id.name or "",
            )

    @api.depends(
        "state",
        "requested_group_ids",
        "group_ids",
        *(f"requested_group_ids.{day}" for day in WEEKDAY_FIELDS),
        *(f"group_ids.{day}" for day in WEEKDAY_FIELDS),
    )
    def _compute_waiting_group_ids(self):
        for application in self:
            application.waiting_group_ids = application._get_waiting_groups()

    # Stored apart from the groups (a boolean is written in one query for thousands, a many2many not).
    @api.depends(
        "state",
        "requested_group_ids",
        "group_ids",
        *(f"requested_group_ids.{day}" for day in WEEKDAY_FIELDS),
        *(f"group_ids.{day}" for day in WEEKDAY_FIELDS),
    )
    def _compute_is_waiting(self):
        for application in self:
            application.is_waiting = bool(application._get_waiting_groups())

    @api.depends("student_id.left_behind", "student_id.financial_hardship")
    def _compute_priority(self):
        for application in self:
            student = application.student_id
            application.priority = str(
                int(student.left_behind) + int(student.financial_hardship)
            )

    @api.depends_context("uid")
    @api.depends("state", "class_id.head_teacher_id")
    def _compute_is_to_review(self):
        for application in self:
            application.is_to_review = (
                application.filtered_domain(self._get_to_review_domain()) == application
            )

    def _search_is_to_review(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._(
                    "Search the applications to review with “is set” or “is not set”."
                )
            )
        domain = self._get_to_review_domain()
        return domain if (operator == "=") == value else ["!"] + domain

    @api.model
    def _get_to_review_domain(self):
        """What the user may review now: the class review of their own classes; the school review for a coordinator."""
        domain = [
            "&",
            ("state", "=", "submitted"),
            ("class_id.head_teacher_id", "=", self.env.uid),
        ]
        if self.env.user.has_group(MANAGER_GROUP):
            domain = ["|", ("state", "=", "class_approved")] + domain
        return domain

    # ------------------------------------------------------------------ constraints
    @api.constrains("student_id", "guardian_id")
    def _check_student_and_guardian(self):
        for application in self:
            if not application.student_id.is_student:
                raise ValidationError(
                    self.env._(
                        "%(name)s is not a student: only students can apply.",
                        name=application.student_id.name,
                    )
                )
            if application.guardian_id not in application.student_id.guardian_ids:
                raise ValidationError(
                    self.env._(
                        "%(guardian)s is not a guardian of %(student)s: only the student's guardians can apply.",
                        guardian=application.guardian_id.name,
                        student=application.student_id.name,
                    )
                )

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS %s ON %s (student_id, term_id) WHERE state IN %s",
                SQL.identifier(LIVE_INDEX),
                SQL.identifier(self._table),
                LIVE_STATES,
            )
        )
        return res

    @api.constrains("student_id", "term_id", "state")
    def _check_one_live_application(self):
        live = self.filtered(lambda application: application.state in LIVE_STATES)
        if not live:
            return
        counts = self.sudo()._read_group(
            [
                ("student_id", "in", live.student_id.ids),
                ("term_id", "in", live.term_id.ids),
                ("state", "in", LIVE_STATES),
            ],
            ["student_id", "term_id"],
            ["__count"],
        )
        for student, term, count in counts:
            if count > 1:
                raise ValidationError(self._get_duplicate_message(student, term))

    def _get_duplicate_message(self, student, term):
        return self.env._(
            "%(student)s already has an application for %(term)s: a student applies once per term.",
            student=student.sudo().name,
            term=term.sudo().name,
        )

    @contextmanager
    def _check_one_live_application_in_database(self):
        """The same refusal when the database's index catches what the constraint could not see:
        another transaction's application for the same child, committed in the meantime."""
        try:
            with self.env.cr.savepoint():
                yield
        except psycopg2.errors.UniqueViolation as error:
            if error.diag.constraint_name != LIVE_INDEX:
                raise
            ids = [
                int(number)
                for number in re.findall(r"\d+", error.diag.message_detail or "")[:2]
            ]
            student, term = (
                self.env["res.partner"].browse(ids[:1]),
                self.env["afterschool.term"].browse(ids[1:2]),
            )
            raise ValidationError(
                self._get_duplicate_message(student.exists(), term.exists())
            ) from None

    @api.constrains("term_id")
    def _check_term_takes_applications(self):
        for application in self:
            term = application.term_id
            if term.state == "closed" or not term.active:
                raise ValidationError(
                    self.env._(
                        "%(term)s is closed or archived: it takes no more applications.",
                        term=term.name,
                    )
                )

    @api.constrains("requested_group_ids", "group_ids", "term_id", "student_id")
    def _check_groups(self):
        for application in self:
            for group in application.requested_group_ids:
                if group.term_id != application.term_id:
                    raise ValidationError(
                        self.env._(
                            "The group %(group)s belongs to the term %(group_term)s, not to %(term)s.",
                            group=group.name,
                            group_term=group.term_id.name,
                            term=application.term_id.name,
                        )
                    )
                if not group._admits_grade(application.grade):
                    raise ValidationError(
                        self.env._(
                            "The group %(group)s admits grades %(min)s to %(max)s; %(student)s is in grade %(grade)s.",
                            group=group.name,
                            min=group.grade_min,
                            max=group.grade_max,
                            student=application.student_id.name,
                            grade=application.grade,
                        )
                    )
            unrequested = application.group_ids - application.requested_group_ids
            if unrequested:
                raise ValidationError(
                    self.env._(
                        "%(student)s can only be placed in groups the family asked for, not in %(groups)s.",
                        student=application.student_id.name,
                        groups=", ".join(unrequested.mapped("name")),
                    )
                )

    @api.constrains("group_ids", "state")
    def _check_group_capacity(self):
        groups = self.filtered(
            lambda application: application.state in PLACED_STATES
        ).group_ids
        if not groups:
            return
        placed = self._get_placed_counts(groups)
        for group in groups:
            if placed.get(group.id, 0) > group.capacity:
                raise ValidationError(
                    self.env._(
                        "The group %(group)s is full: it has %(capacity)s places.",
                        group=group.name,
                        capacity=group.capacity,
                    )
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        with self._check_one_live_application_in_database():
            applications = super().create(vals_list)
        if not self.env.su and (
            applications.group_ids
            or any(
                vals.get(name)
                for vals in vals_list
                for name in WORKFLOW_FIELDS - {"state"}
            )
            or any(application.state != "draft" for application in applications)
        ):
            raise UserError(
                self.env._(
                    "A new application starts as a draft; use the buttons to take it further."
                )
            )
        return applications

    def write(self, vals):
        self._check_write(vals)
        if not {"student_id", "term_id", "state"} & set(vals):
            return super().write(vals)
        with self._check_one_live_application_in_database():
            result = super().write(vals)
            self.flush_recordset(["student_id", "term_id", "state"])
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_submitted(self):
        if any(application.state != "draft" for application in self):
            raise UserError(
                self.env._(
                    "Only draft applications can be deleted; withdraw or reject a submitted one instead."
                )
            )

    def _check_write(self, vals):
        """Read-only when rejected, withdrawn or terminated; workflow fields move only through the steps."""
        business = {name for name in vals if not _is_mail_field(name)} - {
            "active"
        }  # archiving with the term
        if not business:
            return
        closed = self.filtered(lambda application: application.state in FINAL_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "The application of %(student)s is %(state)s and can no longer be changed.",
                    student=closed[0].student_id.name,
                    state=closed[0]._get_state_label(),
                )
            )
        if self.env.su:
            return
        check_computed_fields(self, business)
        if business & WORKFLOW_FIELDS:
            raise UserError(
                self.env._(
                    "Use the buttons of the application to move it to another step."
                )
            )
        if business & DRAFT_ONLY_FIELDS and any(
            application.state != "draft" for application in self
        ):
            raise UserError(
                self.env._(
                    "The student and the term of a submitted application cannot change."
                )
            )
        if business & REVIEW_FIELDS and any(
            application.state not in ("draft", "submitted", "class_approved")
            for application in self
        ):
            raise UserError(
                self.env._(
                    "The guardian and the requested groups cannot change after the school review."
                )
            )
        if "group_ids" in business:
            self._check_step("allocate")

    def _get_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    # ------------------------------------------------------------------ actions
    # The steps check who may take them (_check_step), then work as superuser: a guardian has no
    # access rights on applications, and the record rules are for reading, not for the workflow.
    def action_submit(self):
        """The family (or their head teacher for them) hands in the application for review."""
        self._check_step("submit")
        applications = self.sudo()
        missing = applications.filtered(
            lambda application: not application.requested_group_ids
        )
        if missing:
            raise UserError(
                self.env._(
                    "Choose at least one group for %(student)s before submitting.",
                    student=missing[0].student_id.name,
                )
            )
        applications.write(
            {"state": "submitted", "date_submitted": fields.Datetime.now()}
        )
        applications._schedule_review_activity(
            "afterschool_service.mail_activity_type_class_review"
        )
        return True

    def action_class_approve(self):
        """The head teacher confirms the child's application (班主任审核)."""
        self._check_step("class_approve")
        applications = self.sudo()
        applications.write(
            {
                "state": "class_approved",
                "class_approver_id": self.env.uid,
                "date_class_approved": fields.Datetime.now(),
            }
        )
        applications._unlink_review_activities()
        applications._schedule_review_activity(
            "afterschool_service.mail_activity_type_school_review"
        )
        return True

    def action_school_approve(self):
        """The coordinator re-reviews for the school (学校复核); the student then awaits placement."""
        self._check_step("school_approve")
        applications = self.sudo()
        applications.write(
            {
                "state": "school_approved",
                "school_approver_id": self.env.uid,
                "date_school_approved": fields.Datetime.now(),
            }
        )
        applications._unlink_review_activities()
        return True

    def action_publish(self):
        """Post the approved students per class (公示) and prepare their entrustment agreements."""
        self._check_step("publish")
        applications = self.sudo()
        applications.write(
            {"state": "published", "date_published": fields.Datetime.now()}
        )
        agreements = (
            self.env["afterschool.agreement"]
            .sudo()
            .create(
                [
                    {"application_id": application.id}
                    for application in applications
                    if not application.agreement_id
                ]
            )
        )
        for agreement in agreements:
            agreement.application_id.agreement_id = agreement
        applications._post_posting_lists()
        return self.env.ref(
            "afterschool_service.afterschool_posting_report"
        ).report_action(self)

    def action_reject(self, reason=None):
        """Refuse the application during the review; without a reason, ask for one."""
        if reason is None:
            return self._action_open_reason_wizard("reject")
        self._check_step("reject")
        reason = self._check_reason(reason)
        applications = self.sudo()
        freed = applications.filtered(
            lambda application: application.state in PLACED_STATES
        ).group_ids
        applications.write(
            {"state": "rejected", "reason": reason, "group_ids": [Command.clear()]}
        )
        applications._unlink_review_activities()
        freed._promote_waiting_list()
        return True

    def action_withdraw(self, reason=None, date_left=None):
        """The family leaves (退出), from ``date_left`` on (default: today); without a reason, ask for one."""
        if reason is None:
            return self._action_open_reason_wizard("withdraw")
        self._check_step("withdraw")
        self.sudo()._leave(
            "withdrawn", self._check_reason(reason), self._check_date_left(date_left)
        )
        return True

    def action_terminate(self, reason=None, date_left=None):
        """The school ends the service for this child, from ``date_left`` on; without a reason, ask for one."""
        if reason is None:
            return self._action_open_reason_wizard("terminate")
        self._check_step("terminate")
        self.sudo()._leave(
            "terminated", self._check_reason(reason), self._check_date_left(date_left)
        )
        return True

    def action_open_placement(self):
        """Open the placement wizard on the selected applications."""
        self._check_step("allocate")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_placement_wizard_action"
        )
        action["context"] = {
            "default_term_id": self.term_id[:1].id,
            "default_application_ids": self.ids,
        }
        return action

    def action_view_agreement(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "afterschool.agreement",
            "res_id": self.agreement_id.id,
            "view_mode": "form",
        }

    def action_view_invoices(self):
        """The student's after-school invoices, in Accounting's own views."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.student_invoice_ids.ids)]
        action["context"] = {"create": False, "default_move_type": "out_invoice"}
        return action

    # ------------------------------------------------------------------ business: the guardian in the portal
    @api.model
    def _apply_as_guardian(self, student, term, groups):
        """A guardian applies for their own child in the portal: an open term of the child's school and
        groups of that term open to the child's grade (checked by the constraints). Submitted at once.

        Guardians have no access rights on applications: who they are and what they ask for is checked
        here, then the application is created and submitted as superuser, like the steps.
        """
        student, term, groups = student.sudo(), term.sudo(), groups.sudo()
        guardian = self.env.user.partner_id
        if guardian not in student.guardian_ids:
            raise AccessError(
                self.env._(
                    "Only a guardian of %(student)s can apply for them.",
                    student=student.name,
                )
            )
        if term.state != "open" or term.company_id != student.company_id:
            raise UserError(
                self.env._("%(term)s does not take applications.", term=term.name)
            )
        if not groups:
            raise UserError(
                self.env._(
                    "Choose at least one group for %(student)s.", student=student.name
                )
            )
        application = self.sudo().create(
            {
                "student_id": student.id,
                "guardian_id": guardian.id,
                "term_id": term.id,
                "requested_group_ids": [Command.set(groups.ids)],
            }
        )
        application = application.with_env(self.env)
        application.action_submit()
        return application
