from datetime import datetime, time, timedelta

import pytz

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import is_html_empty

from ..tools.dates import DEFAULT_TZ

MAX_ATTENDANCE_DAYS = 31
# A school's invoicing job runs when the monthly dispatch wakes it, not on its own schedule.
INVOICE_JOB_INTERVAL_MONTHS = 9999


class ResCompany(models.Model):
    _inherit = "res.company"

    afterschool_period_rate = fields.Monetary(
        string="After-School Period Rate",
        currency_field="currency_id",
        default=3.5,
        help="Default fee per service period for new terms of this school.",
    )

    afterschool_invoice_due_days = fields.Integer(
        string="Days to Pay After-School Invoices",
        default=15,
        help="After-school invoices are due this many days after the invoice date.",
    )

    # ------------------------------------------------------------------ the school's clock
    def _afterschool_tz(self):
        """The school's timezone: its working calendar's, else its address's, else China's. The server
        runs in UTC; every date the addon stores or compares is read on the school's clock."""
        self.ensure_one()
        return pytz.timezone(
            self.resource_calendar_id.tz or self.partner_id.tz or DEFAULT_TZ
        )

    def _afterschool_now(self):
        """Now at the school, as an aware datetime in its timezone."""
        return pytz.utc.localize(fields.Datetime.now()).astimezone(
            self._afterschool_tz()
        )

    def _afterschool_today(self):
        """Today at the school: from 16:00 to 24:00 UTC Shanghai is already on the next day."""
        return self._afterschool_now().date()

    # ------------------------------------------------------------------ enrolment
    afterschool_coordinator_id = fields.Many2one(
        "res.users",
        string="After-School Coordinator",
        domain="[('share', '=', False)]",
        help="Receives the school-review to-dos of the after-school applications. "
        "When empty, the first coordinator of the school does.",
    )
    afterschool_agreement_template = fields.Html(
        string="Entrustment Agreement Text",
        translate=True,
        sanitize_attributes=False,
        help="The text of the after-school entrustment agreement (委托协议), one per language. Placeholders: "
        "{{school}}, {{student}}, {{class}}, {{guardian}}, {{term}}, {{date_start}}, {{date_end}}, "
        "{{days}}, {{times}}, {{rate}}, {{periods_per_day}}, {{guardians}}, {{groups}}, {{venues}}, {{group_times}}, "
        "{{settlement}}, {{pickup_persons}}, {{emergency_contact}}, {{health_notes}}. "
        "Empty: the standard text is used.",
    )

    # ------------------------------------------------------------------ posting list (公示)
    afterschool_posting_full_names = fields.Boolean(
        string="Full Names on the Posting List",
        help="Print the students' full names on the posting list. Off: names are masked (张*涵).",
    )
    afterschool_posting_days = fields.Integer(
        string="Posting Period (Working Days)",
        default=5,
        help="How long the posting list stays up, in working days of the school's calendar from the posting date.",
    )
    afterschool_posting_contact = fields.Char(
        string="Objections To",
        translate=True,
        help="Whom families contact with questions or objections and how, printed on the posting list, "
        "e.g. the school office, Ms Zhou, 0571-8888 6666. Empty: the head teacher or the school office.",
    )

    # ------------------------------------------------------------------ access
    afterschool_attendance_days = fields.Integer(
        string="Days to Correct Attendance",
        default=3,
        help="Teachers take attendance on the day of the session and may correct it this many days "
        "afterwards (0: on the day only). Later corrections are the coordinator's.",
    )

    # ------------------------------------------------------------------ roll-call
    afterschool_content_presets = fields.Text(
        string="Session Content Quick Picks",
        help="One per line: what teachers pick from when they close a session on their phone. "
        "Empty: reading, homework help, calligraphy, chess, drawing, sports.",
    )

    # ------------------------------------------------------------------ family notices
    afterschool_not_collected_minutes = fields.Integer(
        string="Minutes Before a Not-Collected Alert",
        default=15,
        help="How long after the service ends the children still not collected are reported to the duty teacher "
        "and the coordinator, and their guardians are told.",
    )
    afterschool_notice_mandatory_absence = fields.Boolean(
        string="Absence Notices Are Mandatory",
        default=True,
        help="Every guardian is told of an unexpected absence; they cannot turn it off.",
    )
    afterschool_notice_mandatory_pickup = fields.Boolean(
        string="Pickup Notices Are Mandatory",
        default=False,
        help="Every guardian is told when the child is collected; otherwise only those who asked for it.",
    )
    afterschool_notice_mandatory_not_collected = fields.Boolean(
        string="Not-Collected Notices Are Mandatory",
        default=True,
        help="Every guardian is told when the child is still not collected; they cannot turn it off.",
    )
    afterschool_notice_sms = fields.Boolean(
        string="Absence and Not-Collected Notices by SMS",
        help="Also send these notices by SMS through Odoo SMS (the SMS app must be installed and configured; "
        "it sends through Odoo's paid SMS service). Off: nothing is sent by SMS.",
    )
    # ------------------------------------------------------------------ monthly invoicing
    afterschool_invoice_cron_id = fields.Many2one(
        "ir.cron",
        string="After-School Invoicing Job",
        readonly=True,
        copy=False,
        ondelete="set null",
        groups="base.group_system",
        help="The school's own scheduled action that invoices its month, woken by the monthly "
        "after-school invoicing: with several cron workers, several schools are invoiced at once.",
    )
    afterschool_notice_contact = fields.Char(
        string="Whom Families Call",
        help="Named in the notices, e.g. 'The after-school office, 010-12345678'. Empty: the school's name and phone.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._afterschool_ensure_invoice_job()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if "name" in vals:
            for company in self.sudo().filtered("afterschool_invoice_cron_id"):
                company._afterschool_name_invoice_job()
        return result

    @api.constrains("afterschool_not_collected_minutes")
    def _check_afterschool_not_collected_minutes(self):
        for company in self:
            if not 0 <= company.afterschool_not_collected_minutes <= 120:
                raise ValidationError(
                    self.env._(
                        "The not-collected alert comes between 0 and 120 minutes after the service ends."
                    )
                )

    @api.constrains("afterschool_attendance_days")
    def _check_afterschool_attendance_days(self):
        for company in self:
            if company.afterschool_attendance_days < 0:
                raise ValidationError(
                    self.env._("The days to correct attendance cannot be negative.")
                )
            if company.afterschool_attendance_days > MAX_ATTENDANCE_DAYS:
                raise ValidationError(
                    self.env._(
                        "Teachers correct attendance for at most %(days)s days; "
                        "older corrections are the coordinator's.",
                        days=MAX_ATTENDANCE_DAYS,
                    )
                )

    # ------------------------------------------------------------------ monthly invoicing
    @api.model
    def _afterschool_create_invoice_jobs(self):
        """Every school gets its invoicing job (data file: on install and on each upgrade)."""
        self.sudo().with_context(active_test=False).search(
            []
        )._afterschool_ensure_invoice_job()

    def _afterschool_ensure_invoice_job(self):
        """The schools' own invoicing jobs, created for those that have none (new, or deleted by an
        administrator). Odoo runs one scheduled action in one worker at a time: one job per school lets
        several cron workers invoice several schools at once, each school by one worker only.

        Trigger-only, as Odoo's own such jobs: the monthly dispatch wakes them; their interval only
        keeps them from running on their own."""
        companies = self.sudo()
        missing = companies.filtered(
            lambda company: not company.afterschool_invoice_cron_id
        )
        if missing:
            model_id = self.env["ir.model"]._get_id("afterschool.invoice.run")
            crons = (
                self.env["ir.cron"]
                .sudo()
                .create(
                    [
                        {
                            "name": self.env._(
                                "After-School Service: invoice %(school)s",
                                school=company.name,
                            ),
                            "model_id": model_id,
                            "state": "code",
                            "code": "model._cron_invoice_school(%d)" % company.id,
                            "user_id": SUPERUSER_ID,
                            "interval_number": INVOICE_JOB_INTERVAL_MONTHS,
                            "interval_type": "months",
                            "priority": 20,
                        }
                        for company in missing
                    ]
                )
            )
            for company, cron in zip(missing, crons):
                company.afterschool_invoice_cron_id = cron
                company._afterschool_name_invoice_job()
        return companies.afterschool_invoice_cron_id

    def _afterschool_name_invoice_job(self):
        """The job's name, with the school's, in every installed language."""
        self.ensure_one()
        self.afterschool_invoice_cron_id.ir_actions_server_id.update_field_translations(
            "name",
            {
                lang: self.with_context(lang=lang).env._(
                    "After-School Service: invoice %(school)s", school=self.name
                )
                for lang, __ in self.env["res.lang"].get_installed()
            },
        )

    def _get_afterschool_content_presets(self):
        """The school's quick picks for a session's content, as a list (a standard list when none is set)."""
        self.ensure_one()
        presets = [
            line.strip()
            for line in (self.afterschool_content_presets or "").splitlines()
            if line.strip()
        ]
        return presets or [
            self.env._("Reading"),
            self.env._("Homework help"),
            self.env._("Calligraphy"),
            self.env._("Chess"),
            self.env._("Drawing"),
            self.env._("Sports"),
        ]

    @api.constrains("afterschool_invoice_due_days")
    def _check_afterschool_invoice_due_days(self):
        for company in self:
            if company.afterschool_invoice_due_days < 0:
                raise ValidationError(
                    self.env._("The days to pay an invoice cannot be negative.")
                )

    @api.constrains("afterschool_posting_days")
    def _check_afterschool_posting_days(self):
        for company in self:
            if company.afterschool_posting_days < 1:
                raise ValidationError(
                    self.env._("The posting period lasts at least one working day.")
                )

    def _get_afterschool_posting_end(self, date_from):
        """The last day of the posting period that starts on ``date_from``: N working days of the school's
        calendar (public holidays excluded), else N weekdays."""
        self.ensure_one()
        days = max(self.afterschool_posting_days, 1)
        calendar = self.resource_calendar_id
        if calendar:
            end = calendar.plan_days(
                days, datetime.combine(date_from, time(12)), compute_leaves=True
            )
            if end:
                return end.date()
        day, left = date_from, days - (date_from.weekday() < 5)
        while left > 0:
            day += timedelta(days=1)
            left -= day.weekday() < 5
        return day

    def _get_afterschool_coordinator(self):
        """Who gets the school-review to-dos: the configured coordinator, else the first one of the school."""
        self.ensure_one()
        if self.afterschool_coordinator_id:
            return self.afterschool_coordinator_id
        return (
            self.env["res.users"]
            .sudo()
            .search(
                [
                    (
                        "groups_id",
                        "in",
                        self.env.ref(
                            "afterschool_service.group_afterschool_manager"
                        ).id,
                    ),
                    ("company_ids", "in", self.id),
                    ("share", "=", False),
                    ("id", "!=", SUPERUSER_ID),
                ],
                order="id",
                limit=1,
            )
        )

    def _get_afterschool_agreement_template(self):
        """The school's agreement text in the context language, else the standard text in that language."""
        self.ensure_one()
        if not is_html_empty(self.afterschool_agreement_template):
            return self.afterschool_agreement_template
        return self.env["ir.qweb"]._render(
            "afterschool_service.afterschool_agreement_default_text", {}
        )

    def action_afterschool_load_default_agreement(self):
        """Fill the agreement text with the standard text, in every active language, to edit from there."""
        for lang, _name in self.env["res.lang"].get_installed():
            for company in self.with_context(lang=lang):
                company.afterschool_agreement_template = (
                    self.env["ir.qweb"]
                    .with_context(lang=lang)
                    ._render(
                        "afterschool_service.afterschool_agreement_default_text", {}
                    )
                )
        return True
