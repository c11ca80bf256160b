import base64
import re

from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_amount, format_date

from ..tools.dates import format_day
from ..tools.groups import HEAD_TEACHER_GROUP, MANAGER_GROUP
from .afterschool_text_limit_mixin import NAME_LIMIT, check_text

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
SIGNABLE_STATES = ("draft", "sent")


class AfterschoolAgreement(models.Model):
    """The entrustment agreement (委托协议) between the school and a guardian; signing it enrols the child."""

    _name = "afterschool.agreement"
    _description = "After-School Entrustment Agreement"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    name = fields.Char(compute="_compute_name", store=True)
    active = fields.Boolean(
        default=True, help="Archived with its term, once the term is over."
    )
    application_id = fields.Many2one(
        "afterschool.application",
        string="Application",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    student_id = fields.Many2one(
        related="application_id.student_id", store=True, index=True
    )
    guardian_id = fields.Many2one(
        related="application_id.guardian_id", store=True, index=True
    )
    term_id = fields.Many2one(related="application_id.term_id", store=True, index=True)
    class_id = fields.Many2one(
        related="application_id.class_id", store=True, index=True
    )
    company_id = fields.Many2one(
        related="application_id.company_id", store=True, index=True, precompute=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("signed", "Signed"),
            ("terminated", "Terminated"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    # States the child's health notes and emergency contact: read by the head teacher and the coordinator
    # (and by the family through the portal), not by every role that reads agreements.
    body = fields.Html(
        string="Text",
        readonly=True,
        copy=False,
        groups="afterschool_service.group_afterschool_head_teacher",
        help="The agreement as the family reads and signs it; fixed once signed.",
    )
    student_guardian_ids = fields.Many2many(
        related="student_id.guardian_ids",
        string="Guardians Bound",
        help="The guardians of the child, named by the agreement.",
    )
    # The family's link opens the agreement, health notes included, without a login: readable by those who
    # may read the agreement's text, never by every role that reads agreements (accountants, officers).
    access_token = fields.Char(groups=HEAD_TEACHER_GROUP)
    signer_name = fields.Char(
        string="Signed By", tracking=True, copy=False, readonly=True
    )
    signed_on = fields.Datetime(tracking=True, copy=False, readonly=True)
    signature = fields.Image(
        max_width=1024, max_height=1024, copy=False, readonly=True, attachment=True
    )
    signer_partner_id = fields.Many2one(
        "res.partner",
        string="Signing Guardian",
        copy=False,
        readonly=True,
        tracking=True,
        help="The guardian whose signature this is: the guardian logged in to the portal, or the guardian "
        "who signed on paper.",
    )
    signed_by_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        copy=False,
        readonly=True,
        help="The staff member who recorded a signature given on paper; empty when signed in the portal.",
    )
    can_sign = fields.Boolean(
        compute="_compute_can_sign",
        help="The user may send this agreement or record its signature now.",
    )

    _sql_constraints = [
        (
            "application_uniq",
            "unique(application_id)",
            "An application has one agreement.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("student_id.name", "term_id.name")
    def _compute_name(self):
        """Stored for search only; people read display_name, composed in their language."""
        for agreement in self:
            agreement.name = "%s / %s" % (
                agreement.student_id.name or "",
                agreement.term_id.name or "",
            )

    @api.depends("student_id.name", "term_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """张子涵 / 2026年秋季学期: the term's name in the reader's language."""
        for agreement in self:
            agreement.display_name = "%s / %s" % (
                agreement.student_id.name or "",
                agreement.term_id.name or "",
            )

    def _portal_ensure_token(self):
        """The family's link is made for the family: by the system, by a guardian of the child in the
        portal, or by staff who may read the agreement's text at its school (head teacher, coordinator).
        ``get_portal_url`` is public and calls this: an accountant or an officer gets no link."""
        if not self.env.su:
            user = self.env.user
            if user.share:
                if any(
                    user.partner_id not in agreement.student_id.guardian_ids
                    for agreement in self.sudo()
                ):
                    raise AccessError(
                        self.env._("Open the agreement from your portal.")
                    )
            elif user.has_group(HEAD_TEACHER_GROUP):
                self.check_access("read")
            else:
                raise AccessError(
                    self.env._(
                        "Only the school's head teachers and coordinator can open a family's agreement link."
                    )
                )
        return super(AfterschoolAgreement, self.sudo())._portal_ensure_token()

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for agreement in self:
            agreement.access_url = f"/my/afterschool/agreement/{agreement.id}"
        return res

    @api.depends_context("uid")
    @api.depends("state", "application_id.state")
    def _compute_can_sign(self):
        writable = self.application_id._filter_workflow_access()
        for agreement in self:
            agreement.can_sign = (
                agreement.state in SIGNABLE_STATES
                and agreement.application_id in writable
                and agreement.application_id._is_step_allowed(
                    "send_agreement", access_checked=True
                )
            )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("An agreement is made when its application is published.")
            )
        agreements = super().create(vals_list)
        agreements._render_body()
        return agreements

    def write(self, vals):
        """Agreements change through their buttons only; a signed one is what the family signed."""
        if "access_token" in vals and not self.env.su:
            # the family's link: made by the system (_portal_ensure_token), never chosen by a user
            raise UserError(
                self.env._(
                    "The link of an agreement is made by the system and cannot be set."
                )
            )
        if "active" in vals and not (
            self.env.su or self.env.user.has_group(MANAGER_GROUP)
        ):
            raise UserError(
                self.env._(
                    "Agreements are archived with their term, by the coordinator."
                )
            )
        business = {
            name
            for name in vals
            if not name.startswith(("message_", "activity_", "website_message"))
            and name not in ("active", "access_token")
        }  # archived with the term; its portal link
        if business:
            closed = self.filtered(
                lambda agreement: agreement.state in ("signed", "terminated")
            )
            if closed and (business != {"state"} or vals["state"] != "terminated"):
                raise UserError(
                    self.env._(
                        "The agreement of %(student)s is signed or terminated and can no longer be changed.",
                        student=closed[0].student_id.name,
                    )
                )
            if not self.env.su:
                raise UserError(
                    self.env._(
                        "Use the buttons of the agreement to send, sign or print it."
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Agreements are kept for the record: withdraw or terminate the application instead."
            )
        )

    # ------------------------------------------------------------------ actions
    # Like the application's steps: check who may act (the application's _check_step), then work as
    # superuser, so that a guardian signing in the portal needs no access rights.
    def action_send(self):
        """Email each guardian the agreement with the link to sign it in the portal: the PDF attached where the
        server can print PDFs, else the agreement's text in the email itself (and a note saying so)."""
        agreements = self.sudo()
        agreements.application_id.with_env(self.env)._check_coordinator_scope()
        agreements._check_signable()
        agreements.application_id.with_env(self.env)._check_step("send_agreement")
        without_email = agreements.filtered(
            lambda agreement: not agreement.guardian_id.email
        )
        if without_email:
            raise UserError(
                self.env._(
                    "%(guardian)s has no email address: add one, or print the family's letter (Print Letter) "
                    "and record the signature given on paper.",
                    guardian=without_email[0].guardian_id.name,
                )
            )
        agreements._render_body()
        template = self.env.ref(
            "afterschool_service.afterschool_agreement_mail_template"
        )
        with_pdf = _can_print_pdf(self.env)
        for agreement in agreements:
            agreement._portal_ensure_token()
            if with_pdf:
                agreement.message_post_with_source(
                    template, subtype_xmlid="mail.mt_comment", message_type="comment"
                )
            else:
                agreement._send_without_pdf(template)
        agreements.write({"state": "sent"})
        if with_pdf:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "message": self.env._(
                    "Sent without a PDF: this server cannot print PDFs (wkhtmltopdf is not installed). The "
                    "agreement's text is in the email and in the portal."
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _send_without_pdf(self, template):
        """The template's email with the agreement's text in it instead of the attached PDF."""
        self.ensure_one()
        lang = template._render_lang(self.ids)[self.id]
        template = template.with_context(lang=lang)
        subject = template._render_field("subject", self.ids)[self.id]
        body = template._render_field("body_html", self.ids)[self.id]
        document = (
            self.env["ir.qweb"]
            .with_context(lang=lang)
            ._render(
                "afterschool_service.afterschool_agreement_document",
                {"agreement": self},
            )
        )
        note = Markup("<p><em>%s</em></p>") % self.with_context(lang=lang).env._(
            "The agreement follows (no PDF is attached: the school's server cannot print PDFs)."
        )
        self.message_post(
            body=Markup(body) + note + Markup(document),
            subject=subject,
            partner_ids=self.guardian_id.ids,
            subtype_xmlid="mail.mt_comment",
            message_type="comment",
        )
        self.message_post(
            body=self.env._(
                "Sent to %(guardian)s without a PDF attachment (wkhtmltopdf is not installed): "
                "the agreement's text is in the email.",
                guardian=self.guardian_id.name,
            ),
            subtype_xmlid="mail.mt_note",
        )

    def action_print(self):
        return self.env.ref(
            "afterschool_service.afterschool_agreement_report"
        ).report_action(self)

    def action_print_letter(self):
        """The letter for families without email: each child's agreement, the portal address and an access
        code (and QR code) to open and sign it, and room to sign on paper."""
        agreements = self.sudo()
        agreements._check_signable()
        agreements.application_id.with_env(self.env)._check_step("send_agreement")
        agreements._render_body()
        for agreement in agreements:
            agreement._portal_ensure_token()
        return self.env.ref(
            "afterschool_service.afterschool_agreement_letter_report"
        ).report_action(self)

    def _get_letters(self):
        """The letters to print: one per family (the applying guardian), with each child's agreement."""
        letters = []
        for guardian, agreements in (
            self.sorted(lambda a: (a.guardian_id.name or "", a.student_id.name or ""))
            .grouped("guardian_id")
            .items()
        ):
            letters.append(
                {
                    "guardian": guardian,
                    "company": agreements[:1].company_id,
                    "agreements": [
                        agreement._get_letter_access() for agreement in agreements
                    ],
                }
            )
        return letters

    def _get_letter_access(self):
        """The portal address, access code and QR code that open this agreement without a login."""
        self.ensure_one()
        agreement = self.sudo()
        url = agreement.get_base_url() + agreement.get_portal_url()
        qr_code = self.env["ir.actions.report"].barcode(
            "QR", url, width=180, height=180
        )
        return {
            "agreement": self,
            "url": url,
            "code": agreement.access_token,
            "qr_code": "data:image/png;base64,%s" % base64.b64encode(qr_code).decode(),
        }

    def action_sign(self, signer_name, signature=False, guardian_id=None):
        """Record the guardian's signature (in the portal, or given on paper and recorded by staff); enrols the child.

        In the portal the signing guardian is the logged-in user; staff recording a paper signature name the
        guardian who signed (``guardian_id``, default the applying guardian) and are recorded as who entered it.
        """
        agreements = self.sudo()
        applications = agreements.application_id.with_env(self.env)
        applications._check_coordinator_scope()
        agreements._check_signable()
        applications._check_step("enrol")
        signer_name = check_text(
            self.env, signer_name, self.env._("The signer's name"), NAME_LIMIT
        )
        if not signer_name:
            raise UserError(
                self.env._("Give the name of the person who signs the agreement.")
            )
        user = self.env.user
        is_staff = self.env.uid != SUPERUSER_ID and not user.share
        for agreement in agreements:
            guardians = agreement.student_id.guardian_ids
            if user.share and not user._is_public():
                signer = user.partner_id
                if signer not in guardians:
                    raise AccessError(
                        self.env._(
                            "Only a guardian of %(student)s can sign this agreement.",
                            student=agreement.student_id.name,
                        )
                    )
            elif guardian_id:
                signer = self.env["res.partner"].sudo().browse(guardian_id)
            else:  # a guardian who is also on the staff signs for themself; else the applying guardian
                signer = (
                    user.partner_id
                    if user.partner_id in guardians
                    else agreement.guardian_id
                )
            if signer not in guardians:
                raise UserError(
                    self.env._(
                        "%(person)s is not a guardian of %(student)s: only a guardian signs the agreement.",
                        person=signer.name,
                        student=agreement.student_id.name,
                    )
                )
            agreement.write(
                {
                    "state": "signed",
                    "signer_name": signer_name,
                    "signer_partner_id": signer.id,
                    "signed_on": fields.Datetime.now(),
                    "signature": signature,
                    "signed_by_id": self.env.uid if is_staff else False,
                }
            )
        applications._action_enrol()
        for agreement in agreements:
            if is_staff:
                body = self.env._(
                    "Agreement signed on paper by %(name)s (guardian: %(guardian)s), recorded by %(user)s.",
                    name=signer_name,
                    guardian=agreement.signer_partner_id.name,
                    user=user.name,
                )
            else:
                body = self.env._("Agreement signed by %(name)s.", name=signer_name)
            agreement.message_post(body=body)
        return True

    def action_preview(self):
        """Show the agreement as the guardian sees it in the portal (its link carries the family's token:
        for those who may send it)."""
        self.ensure_one()
        if not self.env.su:
            if self.env.user.share:
                raise AccessError(self.env._("Open the agreement from your portal."))
            self.sudo().application_id.with_env(self.env)._check_workflow_access()
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self.get_portal_url(),
        }

    def action_open_sign_wizard(self):
        self.sudo().application_id.with_env(self.env)._check_coordinator_scope()
        self.sudo()._check_signable()
        self.sudo().application_id.with_env(self.env)._check_step("enrol")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_agreement_sign_wizard_action"
        )
        action["context"] = {"default_agreement_id": self.id}
        return action

    def action_view_application(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "afterschool.application",
            "res_id": self.application_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------ business
    def _check_signable(self):
        for agreement in self:
            if agreement.state not in SIGNABLE_STATES:
                raise UserError(
                    self.env._(
                        "The agreement of %(student)s is already %(state)s.",
                        student=agreement.student_id.name,
                        state=dict(
                            self._fields["state"]._description_selection(self.env)
                        )[agreement.state],
                    )
                )

    def _action_terminate(self):
        """The application was withdrawn or terminated: the agreement ends with it."""
        self.sudo().write({"state": "terminated"})

    def _render_body(self):
        """Fill the school's agreement text (or the standard one) for this family, in the guardian's language."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for agreement in self.sudo():
            lang = agreement.guardian_id.lang
            if lang not in installed:
                lang = (
                    agreement.company_id.partner_id.lang
                    if agreement.company_id.partner_id.lang in installed
                    else "en_US"
                )
            agreement = agreement.with_context(lang=lang)
            template = agreement.company_id._get_afterschool_agreement_template()
            values = agreement._get_placeholder_values()
            agreement.body = Markup(
                PLACEHOLDER.sub(
                    lambda match: (
                        escape(values[match[1]]) if match[1] in values else match[0]
                    ),
                    str(template),
                )
            )

    def _get_placeholder_values(self):
        """Values of the placeholders of the agreement text, formatted in the context language."""
        self.ensure_one()
        term = self.term_id
        weekday_labels = [
            term._fields[day].get_description(self.env)["string"]
            for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            if term[day]
        ]
        times = [  # 9月1日–10月31日 16:30–18:00 / Sep 1–Oct 31 16:30–18:00
            "%s–%s %s–%s"
            % (
                format_day(self.env, window.date_from),
                format_day(self.env, window.date_to),
                _format_hour(window.hour_from),
                _format_hour(window.hour_to),
            )
            for window in term.window_ids.sorted("date_from")
        ]
        return {
            "school": self.company_id.name,
            "student": self.student_id.name,
            "class": self.class_id.name or "",
            "guardian": self.guardian_id.name,
            "term": term.name,
            "date_start": format_date(self.env, term.date_start),
            "date_end": format_date(self.env, term.date_end),
            "days": ", ".join(weekday_labels),
            "times": "; ".join(times),
            "rate": format_amount(self.env, term.period_rate, term.currency_id),
            "periods_per_day": str(term.periods_per_day),
            **self._get_enrolment_facts(),
        }

    def _get_enrolment_facts(self):
        """What was agreed for this child, as placeholder values: whom the agreement binds, where and when the
        child attends, how the fees are settled, who collects the child, and what to know in an emergency."""
        self.ensure_one()
        student = self.student_id.sudo()
        groups = self.application_id.sudo().group_ids.sorted(
            lambda group: (group.kind, group.name)
        )
        times = sorted(
            {
                "%s–%s" % (_format_hour(window.hour_from), _format_hour(window.hour_to))
                for window in self.term_id.window_ids
            }
        )
        invoice_guardian = student.invoice_guardian_id or self.guardian_id
        none = self.env._("none")
        return {
            "guardians": ", ".join(student.guardian_ids.mapped("name")),
            "groups": "; ".join(
                self.env._(
                    "%(group)s: %(days)s, %(venue)s",
                    group=group.name,
                    days=group._get_days_label(),
                    venue=group.venue_id.name or "-",
                )
                for group in groups
            )
            or none,
            "venues": ", ".join(groups.venue_id.mapped("name")) or none,
            "group_times": ", ".join(times),
            "settlement": self.env._(
                "invoiced each month to %(guardian)s for the periods the child attended in the previous month, "
                "payable to the school",
                guardian=invoice_guardian.name,
            ),
            "pickup_persons": ", ".join(
                (student.guardian_ids | student.authorized_pickup_ids).mapped("name")
            ),
            "emergency_contact": student.emergency_contact or none,
            "health_notes": student.health_notes or none,
        }

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Agreement %(student)s", student=self.student_id.name)


def _can_print_pdf(env):
    """Whether this server can print PDF reports (wkhtmltopdf installed and working)."""
    return env["ir.actions.report"].get_wkhtmltopdf_state() in (
        "ok",
        "upgrade",
        "workers",
    )


def _format_hour(hour):
    """16.5 -> '16:30' (hours are floats, like resource.calendar.attendance)."""
    hours, minutes = divmod(round(hour * 60), 60)
    return "%02d:%02d" % (hours, minutes)
