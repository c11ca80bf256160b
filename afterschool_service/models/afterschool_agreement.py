import re

from markupsafe import Markup, escape

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_amount, format_date

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
    active = fields.Boolean(default=True, help="Archived with its term, once the term is over.")
    application_id = fields.Many2one(
        "afterschool.application", string="Application", required=True, readonly=True, index=True,
        ondelete="restrict", check_company=True,
    )
    student_id = fields.Many2one(related="application_id.student_id", store=True, index=True)
    guardian_id = fields.Many2one(related="application_id.guardian_id", store=True, index=True)
    term_id = fields.Many2one(related="application_id.term_id", store=True, index=True)
    class_id = fields.Many2one(related="application_id.class_id", store=True, index=True)
    company_id = fields.Many2one(related="application_id.company_id", store=True, index=True, precompute=True)
    state = fields.Selection(
        [("draft", "Draft"), ("sent", "Sent"), ("signed", "Signed"), ("terminated", "Terminated")],
        default="draft", required=True, index=True, tracking=True, copy=False,
    )
    body = fields.Html(
        string="Text", readonly=True, copy=False,
        help="The agreement as the family reads and signs it; fixed once signed.",
    )
    signer_name = fields.Char(string="Signed By", tracking=True, copy=False, readonly=True)
    signed_on = fields.Datetime(tracking=True, copy=False, readonly=True)
    signature = fields.Image(max_width=1024, max_height=1024, copy=False, readonly=True, attachment=True)
    signed_by_id = fields.Many2one(
        "res.users", string="Recorded By", copy=False, readonly=True,
        help="The staff member who recorded a signature given on paper; empty when signed in the portal.",
    )
    can_sign = fields.Boolean(
        compute="_compute_can_sign", help="The user may send this agreement or record its signature now.")

    _sql_constraints = [
        ("application_uniq", "unique(application_id)", "An application has one agreement."),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("student_id.name", "term_id.name")
    def _compute_name(self):
        for agreement in self:
            agreement.name = "%s / %s" % (agreement.student_id.name or "", agreement.term_id.name or "")

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for agreement in self:
            agreement.access_url = f"/my/afterschool/agreement/{agreement.id}"
        return res

    @api.depends_context("uid")
    @api.depends("state", "application_id.state")
    def _compute_can_sign(self):
        for agreement in self:
            agreement.can_sign = agreement.state in SIGNABLE_STATES and agreement.application_id._is_step_allowed(
                "send_agreement")

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        agreements = super().create(vals_list)
        agreements._render_body()
        return agreements

    def write(self, vals):
        """Agreements change through their buttons only; a signed one is what the family signed."""
        business = {name for name in vals if not name.startswith(("message_", "activity_", "website_message"))
                    and name not in ("active", "access_token")}  # archived with the term; its portal link
        if business:
            closed = self.filtered(lambda agreement: agreement.state in ("signed", "terminated"))
            if closed and (business != {"state"} or vals["state"] != "terminated"):
                raise UserError(self.env._(
                    "The agreement of %(student)s is signed or terminated and can no longer be changed.",
                    student=closed[0].student_id.name))
            if not self.env.su:
                raise UserError(self.env._("Use the buttons of the agreement to send, sign or print it."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._(
            "Agreements are kept for the record: withdraw or terminate the application instead."))

    # ------------------------------------------------------------------ actions
    # Like the application's steps: check who may act (the application's _check_step), then work as
    # superuser, so that a guardian signing in the portal needs no access rights.
    def action_send(self):
        """Email each guardian the agreement (PDF attached) with the link to sign it in the portal."""
        agreements = self.sudo()
        agreements._check_signable()
        agreements.application_id.with_env(self.env)._check_step("send_agreement")
        without_email = agreements.filtered(lambda agreement: not agreement.guardian_id.email)
        if without_email:
            raise UserError(self.env._(
                "%(guardian)s has no email address: add one, or print the agreement and record the signature.",
                guardian=without_email[0].guardian_id.name))
        agreements._render_body()
        template = self.env.ref("afterschool_service.afterschool_agreement_mail_template")
        for agreement in agreements:
            agreement._portal_ensure_token()
            agreement.message_post_with_source(template, subtype_xmlid="mail.mt_comment", message_type="comment")
        agreements.write({"state": "sent"})
        return True

    def action_print(self):
        return self.env.ref("afterschool_service.afterschool_agreement_report").report_action(self)

    def action_sign(self, signer_name, signature=False):
        """Record the guardian's signature and enrol the child.

        The signature comes from the portal, or is given on paper and recorded by staff."""
        agreements = self.sudo()
        agreements._check_signable()
        applications = agreements.application_id.with_env(self.env)
        applications._check_step("enrol")
        signer_name = (signer_name or "").strip()
        if not signer_name:
            raise UserError(self.env._("Give the name of the person who signs the agreement."))
        agreements.write({
            "state": "signed",
            "signer_name": signer_name,
            "signed_on": fields.Datetime.now(),
            "signature": signature,
            "signed_by_id": False if self.env.uid == SUPERUSER_ID or self.env.user.share else self.env.uid,
        })
        applications._action_enrol()
        for agreement in agreements:
            agreement.message_post(body=self.env._("Agreement signed by %(name)s.", name=signer_name))
        return True

    def action_preview(self):
        """Show the agreement as the guardian sees it in the portal."""
        self.ensure_one()
        return {"type": "ir.actions.act_url", "target": "self", "url": self.get_portal_url()}

    def action_open_sign_wizard(self):
        self.sudo()._check_signable()
        self.sudo().application_id.with_env(self.env)._check_step("enrol")
        action = self.env["ir.actions.act_window"]._for_xml_id("afterschool_service.afterschool_agreement_sign_wizard_action")
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
                raise UserError(self.env._(
                    "The agreement of %(student)s is already %(state)s.",
                    student=agreement.student_id.name,
                    state=dict(self._fields["state"]._description_selection(self.env))[agreement.state]))

    def _action_terminate(self):
        """The application was withdrawn or terminated: the agreement ends with it."""
        self.sudo().write({"state": "terminated"})

    def _render_body(self):
        """Fill the school's agreement text (or the standard one) for this family, in the guardian's language."""
        installed = {code for code, _name in self.env["res.lang"].get_installed()}
        for agreement in self.sudo():
            lang = agreement.guardian_id.lang
            if lang not in installed:
                lang = agreement.company_id.partner_id.lang if agreement.company_id.partner_id.lang in installed else "en_US"
            agreement = agreement.with_context(lang=lang)
            template = agreement.company_id._get_afterschool_agreement_template()
            values = agreement._get_placeholder_values()
            agreement.body = Markup(PLACEHOLDER.sub(
                lambda match: escape(values[match[1]]) if match[1] in values else match[0], str(template)))

    def _get_placeholder_values(self):
        """Values of the placeholders of the agreement text, formatted in the context language."""
        self.ensure_one()
        term = self.term_id
        weekday_labels = [term._fields[day].get_description(self.env)["string"]
                          for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") if term[day]]
        times = [
            "%s – %s: %s–%s" % (format_date(self.env, window.date_from), format_date(self.env, window.date_to),
                                _format_hour(window.hour_from), _format_hour(window.hour_to))
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
        }

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Agreement %(student)s", student=self.student_id.name)


def _format_hour(hour):
    """16.5 -> '16:30' (hours are floats, like resource.calendar.attendance)."""
    hours, minutes = divmod(round(hour * 60), 60)
    return "%02d:%02d" % (hours, minutes)
