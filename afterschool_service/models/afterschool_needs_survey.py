import re
import secrets

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.access import check_computed_fields
from ..tools.code_throttle import CodeThrottle
from ..tools.groups import HEAD_TEACHER_GROUP, MANAGER_GROUP

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a paper slip
CODE_PATTERN = re.compile("[%s]{8}" % CODE_ALPHABET)


class AfterschoolNeedsSurvey(models.Model):
    """A family's answer to the term's needs survey (前期调查): apply, or not needed.

    The head teacher sends the term's letter to every family of the class; families answer in the
    portal, or on the printed slip with its code. Who has not answered shows on the class's list.
    """

    _name = "afterschool.needs.survey"
    _description = "After-School Needs Survey"
    _inherit = ["mail.thread"]
    _order = "class_id, student_id"
    _check_company_auto = True

    term_id = fields.Many2one(
        "afterschool.term",
        string="Term",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="term_id.company_id", store=True, index=True, precompute=True
    )
    student_id = fields.Many2one(
        "res.partner",
        string="Student",
        required=True,
        index=True,
        ondelete="cascade",
        domain="[('is_student', '=', True)]",
    )
    class_id = fields.Many2one(
        "afterschool.class", string="Class", required=True, index=True
    )
    head_teacher_id = fields.Many2one(
        related="class_id.head_teacher_id", string="Head Teacher"
    )
    grade = fields.Integer(related="class_id.grade", store=True, aggregator=False)
    state = fields.Selection(
        [
            ("pending", "Not Answered"),
            ("apply", "Wants to Apply"),
            ("declined", "Not Needed"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )  # not tracked: who answered and when is on the record, a family changing its mind writes no message
    answered_by_id = fields.Many2one("res.partner", string="Answered By", readonly=True)
    answered_on = fields.Datetime(string="Answered On", readonly=True)
    channel = fields.Selection(
        [("portal", "Portal"), ("paper", "Paper Slip")], readonly=True
    )
    code = fields.Char(
        string="Slip Code",
        readonly=True,
        copy=False,
        index=True,
        default=lambda self: self._new_code(),
        help="Printed on the family's slip: a family without the portal answers with it.",
    )
    reminder_count = fields.Integer(string="Reminders", readonly=True)

    _sql_constraints = [
        (
            "term_student_uniq",
            "unique(term_id, student_id)",
            "A family answers a term's survey once per child.",
        ),
        ("code_uniq", "unique(code)", "Slip codes are unique."),
    ]

    def _compute_display_name(self):
        for survey in self:
            survey.display_name = "%s / %s" % (
                survey.student_id.name or "",
                survey.term_id.name or "",
            )

    @api.model
    def _new_code(self):
        return "".join(secrets.choice(CODE_ALPHABET) for _index in range(8))

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            for field in (
                "state",
                "answered_by_id",
                "answered_on",
                "channel",
                "reminder_count",
            ):
                vals.pop(field, None)
        return super().create(vals_list)

    def write(self, vals):
        system = {
            "state",
            "answered_by_id",
            "answered_on",
            "channel",
            "code",
            "reminder_count",
            "term_id",
            "student_id",
            "class_id",
        }
        if system & set(vals) and not self.env.su:
            raise AccessError(
                self.env._("A survey answer is recorded through its buttons only.")
            )
        check_computed_fields(
            self, vals
        )  # the grade follows the class: district figures count by it
        return super().write(vals)

    # ------------------------------------------------------------------ actions (staff)
    def action_record_apply(self):
        """The family answered "apply" on paper: the head teacher records it."""
        self._check_staff()
        self.sudo()._record_answer("apply", "paper", self.env.user.partner_id)
        return True

    def action_record_declined(self):
        self._check_staff()
        self.sudo()._record_answer("declined", "paper", self.env.user.partner_id)
        return True

    def action_remind(self):
        """Send the letter again to the families who have not answered."""
        self._check_staff()
        pending = self.filtered(lambda survey: survey.state == "pending")
        if not pending:
            raise UserError(self.env._("Every family selected has answered already."))
        pending.sudo()._notify_families(reminder=True)
        return True

    # ------------------------------------------------------------------ business
    def _check_staff(self):
        """Head teacher of these classes, or a coordinator, at the survey's school."""
        self.check_access("write")
        user = self.env.user
        if user.has_group(MANAGER_GROUP):
            return
        if not user.has_group(HEAD_TEACHER_GROUP) or self.filtered(
            lambda survey: survey.head_teacher_id != user
        ):
            raise AccessError(
                self.env._(
                    "Only the head teacher of the class or the coordinator records answers."
                )
            )

    def _record_answer(self, answer, channel, partner):
        if answer not in ("apply", "declined"):
            raise UserError(self.env._('Answer "apply" or "not needed".'))
        self.write(
            {
                "state": answer,
                "channel": channel,
                "answered_by_id": partner.id,
                "answered_on": fields.Datetime.now(),
            }
        )

    @api.model
    def _send_for_classes(self, term, classes):
        """Create the missing surveys of the classes' students for the term and tell the families."""
        term, classes = term.sudo(), classes.sudo()
        existing = (
            self.sudo()
            .search([("term_id", "=", term.id), ("class_id", "in", classes.ids)])
            .student_id
        )
        vals_list = [
            {"term_id": term.id, "student_id": student.id, "class_id": school_class.id}
            for school_class in classes
            for student in school_class.student_ids
            if student.active and student not in existing
        ]
        surveys = self.sudo().create(vals_list)
        surveys._notify_families()
        return surveys

    def _notify_families(self, reminder=False):
        """A message to the guardians of each child (portal inbox and email where they have one); no
        mail is sent from here, Odoo's mail queue does it."""
        for survey in self:
            guardians = survey.student_id.guardian_ids
            if not guardians:
                continue
            lang = guardians[:1].lang or self.env.lang
            survey_l = survey.with_context(lang=lang)
            subject = survey_l.env._(
                "%(term)s: does %(student)s need the after-school service?",
                term=survey.term_id.name,
                student=survey.student_id.name,
            )
            body = survey_l.env._(
                "The school offers after-school service this term (voluntary; %(rate)s %(currency)s per "
                "period, settled monthly on actual attendance). Please tell us whether %(student)s needs it: "
                "answer in the parents' portal under After-School Service, or on the paper slip (code %(code)s).",
                rate=survey.term_id.period_rate,
                currency=survey.term_id.currency_id.symbol or "",
                student=survey.student_id.name,
                code=survey.code,
            )
            survey.message_notify(
                partner_ids=guardians.ids,
                subject=subject,
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )
        if reminder:
            for survey in self:
                survey.reminder_count += 1

    def _answer_as_guardian(self, answer):
        """A guardian answers for their own child in the portal (checked here, written as superuser)."""
        self.ensure_one()
        survey = self.sudo()
        partner = self.env.user.partner_id
        if partner not in survey.student_id.guardian_ids:
            raise AccessError(
                self.env._(
                    "Only a guardian of %(student)s answers for them.",
                    student=survey.student_id.name,
                )
            )
        if survey.term_id.state == "closed":
            raise UserError(self.env._("This term is over."))
        survey._record_answer(answer, "portal", partner)
        return survey

    @api.model
    def _answer_by_code(self, code, answer):
        """A family without the portal answers with the slip's code (public page).

        A slip answers once, while nobody has answered yet (in the portal or on paper) and the term runs. Returns
        the survey answered, or an empty recordset when the code is refused: unknown, already used, or tried
        while the visitor is locked out after too many refused codes (tools/code_throttle.py). The three are
        told the same message (_get_code_refusal) and counted; nothing else is written.
        """
        if answer not in ("apply", "declined"):
            raise UserError(self.env._('Answer "apply" or "not needed".'))
        throttle = CodeThrottle(self.env, "survey")
        survey = self.sudo().browse()
        code = code.strip().upper() if isinstance(code, str) else ""
        if CODE_PATTERN.fullmatch(code) and not throttle.is_locked():
            survey = self.sudo().search(
                [
                    ("code", "=", code),
                    ("state", "=", "pending"),
                    ("term_id.state", "!=", "closed"),
                ],
                limit=1,
            )
        if not survey:
            throttle.record_failure()
            return survey
        survey._record_answer(answer, "paper", survey.student_id.guardian_ids[:1])
        return survey

    @api.model
    def _get_code_refusal(self):
        """What the public page answers to a wrong, used or locked code alike."""
        return self.env._(
            "This code cannot be used: it is wrong, already answered, or tried too many times. "
            "Check it on the slip and try again later, or answer through the head teacher."
        )
