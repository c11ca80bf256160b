from collections import namedtuple

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.application_states import LIVE_STATES, PLACED_STATES
from ..tools.groups import MANAGER_GROUP
from .afterschool_text_limit_mixin import check_text

# Who may take a step besides a coordinator of the school (and the superuser), who may take them all.
COORDINATOR = "coordinator"  # nobody else
FAMILY = (
    "family"  # a guardian of the student, or the head teacher of the class for them
)
HEAD_TEACHER = "head_teacher"  # the head teacher of the student's class
CLASS_REVIEWER = (
    "class_reviewer"  # the head teacher, while the class review is under way
)

Step = namedtuple(
    "Step",
    [
        "from_states",  # the states it may start from
        "to_state",  # the state it leads to (None: the state stays)
        "role",  # who may take it (above)
        "can_field",  # the boolean that shows its button (None: no button here)
        "wrong_order",  # (env, values) -> the message when the state is not one of from_states
        "refusal",  # (env, values) -> the message when the user may not take it
        "requires",  # None, or (application) -> whether it is ready for the step
        "unmet",  # (env, values) -> the message when it is not
    ],
    defaults=(None, None),
)

# The workflow, one row per step: _check_step, the can_* fields (and so the buttons) and the
# actions all read it. The messages are functions so that they are translated when raised, in
# the reader's language; the values they get are %(student)s and %(state)s (wrong order),
# %(student)s and %(class)s (refusal), %(student)s (unmet).
STEPS = {
    "submit": Step(
        from_states=("draft",),
        to_state="submitted",
        role=FAMILY,
        can_field="can_submit",
        wrong_order=lambda env, values: env._(
            "Only a draft application can be submitted; that of %(student)s is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only a guardian of %(student)s, the head teacher of %(class)s or a coordinator can submit "
            "this application.",
            **values,
        ),
    ),
    "class_approve": Step(
        from_states=("submitted",),
        to_state="class_approved",
        role=HEAD_TEACHER,
        can_field="can_class_approve",
        wrong_order=lambda env, values: env._(
            "Only a submitted application can pass the class review; that of %(student)s is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only the head teacher of %(class)s or a coordinator can approve the application of %(student)s.",
            **values,
        ),
    ),
    "school_approve": Step(
        from_states=("class_approved",),
        to_state="school_approved",
        role=COORDINATOR,
        can_field="can_school_approve",
        wrong_order=lambda env, values: env._(
            "Only an application approved by the class can pass the school review; "
            "that of %(student)s is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only a coordinator can do the school review."
        ),
    ),
    # Only a child with a place is posted (公示): the family signs for groups the child attends.
    "publish": Step(
        from_states=("school_approved",),
        to_state="published",
        role=COORDINATOR,
        can_field="can_publish",
        wrong_order=lambda env, values: env._(
            "Only an application approved by the school can be published; that of %(student)s is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only a coordinator can publish applications."
        ),
        requires=lambda application: bool(application.group_ids),
        unmet=lambda env, values: env._(
            "%(student)s has no place in any group yet and waits for one: place the application "
            "(Place Students) before publishing it.",
            **values,
        ),
    ),
    "enrol": Step(
        from_states=("published",),
        to_state="enrolled",
        role=FAMILY,
        can_field=None,  # the agreement's signature
        wrong_order=lambda env, values: env._(
            "Only a published application leads to enrolment; that of %(student)s is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only a guardian of %(student)s, the head teacher of %(class)s or a coordinator can sign "
            "the agreement.",
            **values,
        ),
    ),
    "reject": Step(
        from_states=("submitted", "class_approved", "school_approved"),
        to_state="rejected",
        role=CLASS_REVIEWER,
        can_field="can_reject",
        wrong_order=lambda env, values: env._(
            "Only an application under review can be rejected; that of %(student)s is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only the head teacher of %(class)s (during the class review) or a coordinator can reject "
            "the application of %(student)s.",
            **values,
        ),
    ),
    "withdraw": Step(
        from_states=LIVE_STATES,
        to_state="withdrawn",
        role=FAMILY,
        can_field="can_withdraw",
        wrong_order=lambda env, values: env._(
            "The application of %(student)s is %(state)s: there is nothing to withdraw.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only a guardian of %(student)s, the head teacher of %(class)s or a coordinator can withdraw "
            "this application.",
            **values,
        ),
    ),
    "terminate": Step(
        from_states=("published", "enrolled"),
        to_state="terminated",
        role=COORDINATOR,
        can_field="can_terminate",
        wrong_order=lambda env, values: env._(
            "Only a published or enrolled application can be terminated; that of %(student)s is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only a coordinator can terminate an enrolment."
        ),
    ),
    "allocate": Step(
        from_states=PLACED_STATES,
        to_state=None,
        role=COORDINATOR,
        can_field="can_place",
        wrong_order=lambda env, values: env._(
            "Only applications approved by the school are placed in groups; that of %(student)s is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only a coordinator can place students in groups."
        ),
    ),
    "send_agreement": Step(
        from_states=("published",),
        to_state=None,
        role=HEAD_TEACHER,
        can_field=None,  # the agreement's can_sign asks _is_step_allowed
        wrong_order=lambda env, values: env._(
            "The agreement of %(student)s can only be sent or signed while the application is published; "
            "it is %(state)s.",
            **values,
        ),
        refusal=lambda env, values: env._(
            "Only the head teacher of %(class)s or a coordinator can send the agreement of %(student)s.",
            **values,
        ),
    ),
}


class AfterschoolApplication(models.Model):
    """Who may move an application where, and what happens around the steps (reasons, dates, to-dos).

    The one place that says who may move an application where (like hr_leave's
    ``_check_approval_update``): the actions call ``_check_step``, the ``can_*`` fields ask
    ``_is_step_allowed`` for the buttons; both read the step table above.
    """

    _inherit = "afterschool.application"

    can_submit = fields.Boolean(compute="_compute_can_steps")
    can_class_approve = fields.Boolean(compute="_compute_can_steps")
    can_school_approve = fields.Boolean(compute="_compute_can_steps")
    can_publish = fields.Boolean(compute="_compute_can_steps")
    can_reject = fields.Boolean(compute="_compute_can_steps")
    can_withdraw = fields.Boolean(compute="_compute_can_steps")
    can_terminate = fields.Boolean(compute="_compute_can_steps")
    can_place = fields.Boolean(compute="_compute_can_steps")

    @api.depends_context("uid")
    @api.depends(
        "state", "class_id.head_teacher_id", "student_id.guardian_ids", "group_ids"
    )
    def _compute_can_steps(self):
        # one query for all, not one per application and step
        writable = self._filter_workflow_access()
        buttons = [
            (name, step.can_field) for name, step in STEPS.items() if step.can_field
        ]
        for application in self:
            for name, can_field in buttons:
                application[can_field] = (
                    application in writable
                    and application._is_step_allowed(name, access_checked=True)
                )

    # ------------------------------------------------------------------ who may do what
    def _check_step(self, step, access_checked=False):
        """Refuse ``step`` unless every application may take it now and the user may take it.

        Staff must also be allowed to write these very applications (record rules: their school,
        their class) before the steps work as superuser; guardians are checked by name.
        """
        refusal = self._get_step_refusal(step, access_checked=access_checked)
        if refusal:
            raise refusal()

    def _is_step_allowed(self, step, access_checked=False):
        """Whether _check_step would let ``step`` through, without composing its message."""
        return not self._get_step_refusal(step, access_checked=access_checked)

    def _get_step_refusal(self, step, access_checked=False):
        """None when ``step`` is allowed, else a function making the error _check_step raises.

        The error is only made when raised: the buttons ask this for every step of every
        application, and their messages (translated, naming the child) are not needed there.
        """
        rule = STEPS[step]
        in_charge = self.env.is_superuser() or self.env.user.has_group(MANAGER_GROUP)
        # A coordinator's scope first: no message may name another school's child.
        if not access_checked and in_charge and not self.env.is_superuser():
            if self - self._filter_workflow_access():
                return self._get_workflow_access_error
        applications = self.sudo()
        for application in applications:
            if application.state not in rule.from_states:
                return lambda: UserError(application._get_wrong_order_message(step))
        if not in_charge:
            if rule.role == COORDINATOR:
                return lambda: UserError(applications._get_refusal_message(step))
            user = self.env.user
            for application in applications:
                if not application._has_step_role(rule.role, user):
                    return lambda: UserError(application._get_refusal_message(step))
        if rule.requires:
            for application in applications:
                if not rule.requires(application):
                    return lambda: UserError(
                        rule.unmet(self.env, {"student": application.student_id.name})
                    )
        if not access_checked and not in_charge:
            if self - self._filter_workflow_access():
                return self._get_workflow_access_error
        return None

    def _has_step_role(self, role, user):
        """Whether ``user`` holds ``role`` on this application (coordinators are let through before)."""
        self.ensure_one()
        is_head_teacher = bool(self.class_id) and self.class_id.head_teacher_id == user
        if role == FAMILY:
            return is_head_teacher or user.partner_id in self.student_id.guardian_ids
        if role == HEAD_TEACHER:
            return is_head_teacher
        if role == CLASS_REVIEWER:
            return is_head_teacher and self.state == "submitted"
        return False

    def _filter_workflow_access(self):
        """The applications the user may act on: staff need write access (their school, their class);
        guardians act on their own children's through the portal checks of _check_step."""
        if self.env.is_superuser() or self.env.user.share:
            return self
        return self._filtered_access("write")

    def _check_coordinator_scope(self):
        """A coordinator acts on their own schools' applications only: checked before any message names
        another school's child."""
        if not self.env.is_superuser() and self.env.user.has_group(MANAGER_GROUP):
            self._check_workflow_access()

    def _check_workflow_access(self):
        if self - self._filter_workflow_access():
            raise self._get_workflow_access_error()

    def _get_workflow_access_error(self):
        return AccessError(
            self.env._(
                "You cannot act on these applications: they belong to another school or class than yours."
            )
        )

    def _get_wrong_order_message(self, step):
        self.ensure_one()
        values = {"student": self.student_id.name, "state": self._get_state_label()}
        return STEPS[step].wrong_order(self.env, values)

    def _get_refusal_message(self, step):
        values = {
            "student": self[:1].student_id.name,
            "class": self[:1].class_id.name or "-",
        }
        return STEPS[step].refusal(self.env, values)

    # ------------------------------------------------------------------ reasons and dates
    def _check_reason(self, reason):
        reason = check_text(self.env, reason, self.env._("The reason"))
        if not reason:
            raise UserError(
                self.env._(
                    "Give a reason: the family and the school both keep a record of it."
                )
            )
        return reason

    def _check_date_left(self, date_left):
        """The date a student leaves from, as a date: not back before they were enrolled, not after the term; and
        a family cannot backdate it over days the child attended (only the school corrects the past)."""
        if not date_left:
            return None
        try:
            day = fields.Date.to_date(date_left)
        except (TypeError, ValueError):
            day = None
        if not day:
            raise UserError(
                self.env._(
                    "Give the date the student leaves from as a date (YYYY-MM-DD)."
                )
            )
        for application in self.sudo():
            term = application.term_id
            # leaving today from an enrolment that starts next week is fine; leaving before it, in the past, is not
            if (
                application.date_enrolled
                and day < application.date_enrolled
                and day < term.company_id._afterschool_today()
            ):
                raise UserError(
                    self.env._(
                        "%(student)s was enrolled on %(enrolled)s: they cannot leave before (%(date)s).",
                        student=application.student_id.name,
                        enrolled=application.date_enrolled,
                        date=day,
                    )
                )
            if day > term.date_end:
                raise UserError(
                    self.env._(
                        "%(date)s is after the end of %(term)s (%(end)s).",
                        date=day,
                        term=term.name,
                        end=term.date_end,
                    )
                )
            if (
                not self.env.su
                and not self.env.user._is_internal()
                and day < term.company_id._afterschool_today()
            ):
                raise UserError(
                    self.env._(
                        "A withdrawal takes effect from today or a later day; for a day already past, "
                        "please ask the school."
                    )
                )
        return day

    def _action_open_reason_wizard(self, step):
        self._check_step(step)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_application_reason_wizard_action"
        )
        action["context"] = {"default_application_ids": self.ids, "default_step": step}
        return action

    # ------------------------------------------------------------------ review activities
    def _schedule_review_activity(self, activity_xmlid):
        """One review to-do per application: the head teacher for the class review, else the coordinator.

        Created in one batch and without an email per to-do: a whole class is approved at once.
        """
        activity_type = self.env.ref(activity_xmlid)
        class_review = activity_xmlid.endswith("class_review")
        deadline = activity_type._get_date_deadline()
        model_id = self.env["ir.model"]._get_id(self._name)
        coordinators = {}
        vals_list = []
        for application in self:
            user = (
                application.class_id.head_teacher_id
                if class_review
                else self.env["res.users"]
            )
            if not user:
                company = application.company_id
                if company not in coordinators:
                    coordinators[company] = company._get_afterschool_coordinator()
                user = coordinators[company]
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": application.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary,
                    "date_deadline": deadline,
                    "user_id": user.id or self.env.uid,
                    "automated": True,
                }
            )
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(vals_list)

    def _unlink_review_activities(self):
        """Close the review to-dos once the step is taken (or the application ends).

        Removed rather than marked done: the tracked step already says who did it and when, and
        marking hundreds done would post as many chatter notes.
        """
        self.sudo().activity_unlink(
            [
                "afterschool_service.mail_activity_type_class_review",
                "afterschool_service.mail_activity_type_school_review",
            ]
        )
