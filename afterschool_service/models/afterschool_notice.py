from datetime import timedelta

import pytz
from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from ..tools.access import FAMILY_MESSAGE_LIMIT

NOTICE_KINDS = [
    ("absence", "Unexpected Absence"),
    ("pickup", "Picked Up"),
    ("not_collected", "Not Collected"),
]
# Marking and unmarking within this delay sends nothing: notices wait this long in the queue.
HOLD_SECONDS = 60
# Kinds a school may also send by SMS (when Odoo SMS is installed and the setting is on).
SMS_KINDS = ("absence", "not_collected")
DELIVER_BATCH = 500
QUIET_CONTEXT = {
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "tracking_disable": True,
}


# A family answers a notice a few times at most (the portal's form is not a chat).
FAMILY_ANSWERS_PER_NOTICE = 5


class AfterschoolNotice(models.Model):
    """A message to a guardian about their child (absence, pickup, not collected): the trail that proves
    the family was informed. Created and delivered by the system only; staff and guardians read it."""

    _name = "afterschool.notice"
    _description = "Family Notice"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # Staff log calls on a notice and close its to-dos without any write right on the trail itself.
    _mail_post_access = "read"

    # ------------------------------------------------------------------ fields
    kind = fields.Selection(NOTICE_KINDS, required=True, readonly=True, index=True)
    student_id = fields.Many2one(
        "res.partner", string="Student", required=True, readonly=True, index=True
    )
    guardian_id = fields.Many2one(
        "res.partner", string="Guardian", required=True, readonly=True, index=True
    )
    attendance_id = fields.Many2one(
        "afterschool.attendance",
        string="Attendance",
        required=True,
        readonly=True,
        index=True,
        ondelete="cascade",
    )
    session_id = fields.Many2one(
        related="attendance_id.session_id", store=True, index=True, string="Session"
    )
    company_id = fields.Many2one(
        related="attendance_id.company_id", store=True, index=True, string="School"
    )
    date = fields.Datetime(
        string="Event Time",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
        help="When the child was marked absent, was collected, or should have been collected.",
    )
    scheduled_at = fields.Datetime(
        string="Deliver At",
        readonly=True,
        help="Queued notices wait a minute, so that a mark undone at once sends nothing.",
    )
    sent_at = fields.Datetime(string="Delivered At", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sent", "Sent"),
            ("failed", "Failed"),
            ("cancelled", "Cancelled"),
        ],
        default="queued",
        required=True,
        readonly=True,
        index=True,
        copy=False,
        help="Cancelled: what it was about no longer held when it was due (the mark was undone, a leave came in).",
    )
    channels = fields.Char(string="Delivered By", readonly=True, copy=False)
    subject = fields.Char(readonly=True, copy=False)
    body = fields.Html(string="Message", readonly=True, copy=False, sanitize=True)
    failure_reason = fields.Char(readonly=True, copy=False)
    lang = fields.Char(string="Language", readonly=True, copy=False)
    email_message_id = fields.Many2one(
        "mail.message",
        string="Email",
        readonly=True,
        copy=False,
        ondelete="set null",
        index="btree_not_null",
    )
    email_status = fields.Selection(
        # Odoo's statuses as Odoo translates them for the reader.
        selection=lambda self: (
            self.env["mail.notification"]
            ._fields["notification_status"]
            ._description_selection(self.env)
        ),
        compute="_compute_email_status",
        string="Email Status",
        help="What Odoo's mail queue did with the email to the guardian: waiting, delivered, bounced…",
    )

    _sql_constraints = [
        (
            "event_guardian_uniq",
            "unique(kind, attendance_id, guardian_id)",
            "A guardian is told about one event once.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("kind", "student_id.name", "guardian_id.name")
    def _compute_display_name(self):
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for notice in self:
            notice.display_name = "%s: %s → %s" % (
                kinds.get(notice.kind, ""),
                notice.student_id.name or "",
                notice.guardian_id.name or "",
            )

    def _compute_email_status(self):
        """Read as superuser: staff follow the delivery without access to the mail notifications themselves."""
        notifications = (
            self.env["mail.notification"]
            .sudo()
            .search(
                [
                    ("mail_message_id", "in", self.email_message_id.ids),
                    ("res_partner_id", "in", self.guardian_id.ids),
                ]
            )
        )
        status = {
            (n.mail_message_id.id, n.res_partner_id.id): n.notification_status
            for n in notifications
        }
        for notice in self:
            notice.email_status = status.get(
                (notice.email_message_id.id, notice.guardian_id.id), False
            )

    # ------------------------------------------------------------------ mail
    def _message_post_after_hook(self, message, msg_vals):
        """A guardian answering an absence notice (reply by email or in the portal) closes the staff to-dos."""
        result = super()._message_post_after_hook(message, msg_vals)
        answered = self.filtered(
            lambda notice: (
                notice.kind == "absence" and message.author_id == notice.guardian_id
            )
        )
        if answered and message.message_type in ("comment", "email"):
            answered._close_todos(
                self.env._(
                    "A guardian answered: %(answer)s", answer=message.preview or ""
                )
            )
        return result

    def _reply_as_guardian(self, answer):
        """A guardian answers their own notice in the portal: posted on the notice as them."""
        self.ensure_one()
        if self.guardian_id != self.env.user.partner_id:
            raise AccessError(
                self.env._("Only the guardian it was sent to can answer this notice.")
            )
        if not (answer or "").strip():
            raise UserError(self.env._("Write your answer first."))
        if len(answer) > FAMILY_MESSAGE_LIMIT:
            raise UserError(
                self.env._(
                    "A message is at most %(limit)s characters.",
                    limit=FAMILY_MESSAGE_LIMIT,
                )
            )
        answers = (
            self.env["mail.message"]
            .sudo()
            .search_count(
                [
                    ("model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("author_id", "=", self.guardian_id.id),
                    ("message_type", "in", ("comment", "email")),
                ]
            )
        )
        if answers >= FAMILY_ANSWERS_PER_NOTICE:
            raise UserError(
                self.env._(
                    "You have answered this notice %(count)s times already: please call the school.",
                    count=answers,
                )
            )
        self.sudo().message_post(
            body=answer.strip(),
            author_id=self.guardian_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------ business: queue
    @api.model
    def _on_attendance_changed(self, lines, before):
        """Queue, or call off, the notices of roster lines that changed (``before``: {id: (state, pickup id)}).

        Only today's sessions alert families: a correction of an older day tells nobody.
        """
        lines = lines.sudo()
        absent, not_absent, picked, turned_up = (lines.browse() for _i in range(4))
        for line in lines:
            state, picker = before.get(line.id, (False, False))
            if line.state == "absent" and state != "absent":
                absent |= line
            elif state == "absent" and line.state != "absent":
                not_absent |= line
                if line.state == "present":
                    turned_up |= line
            if line.picked_up_by_id and line.picked_up_by_id.id != picker:
                picked |= line
        if not_absent:
            self._call_off("absence", not_absent)
        if turned_up:
            self.sudo().search(
                [("kind", "=", "absence"), ("attendance_id", "in", turned_up.ids)]
            )._close_todos(self.env._("The child turned up."))
        unpicked = lines.filtered(
            lambda line: (
                before.get(line.id, (False, False))[1] and not line.picked_up_by_id
            )
        )
        if unpicked:
            self._call_off("pickup", unpicked)
        today = absent | picked
        if today:
            today = today.filtered(
                lambda line: line.date == line.company_id._afterschool_today()
            )
        self._queue(
            "absence",
            (absent & today).filtered(lambda line: line._is_unexpected_absence()),
        )
        self._queue(
            "pickup", (picked & today).filtered(lambda line: line.state == "present")
        )
        if picked:
            self.env["afterschool.session"]._close_not_collected_todos(
                picked.session_id
            )

    @api.model
    def _queue(self, kind, lines, hold=True, date=None):
        """One notice per guardian who gets this kind of notice, delivered by the cron after the hold.

        A notice already queued or called off is queued again; a sent or failed one never is.
        """
        if not lines:
            return self.browse()
        now = fields.Datetime.now()
        deliver_at = now + timedelta(seconds=HOLD_SECONDS) if hold else now
        Notice = self.sudo().with_context(**QUIET_CONTEXT)
        existing = {
            (notice.attendance_id.id, notice.guardian_id.id): notice
            for notice in Notice.search(
                [("kind", "=", kind), ("attendance_id", "in", lines.ids)]
            )
        }
        requeue, vals_list = Notice.browse(), []
        for line in lines:
            company = line.company_id
            for guardian in line.student_id.guardian_ids:
                if not guardian._afterschool_wants_notice(kind, company):
                    continue
                notice = existing.get((line.id, guardian.id))
                if notice:
                    if notice.state in ("queued", "cancelled"):
                        requeue |= notice
                    continue
                vals_list.append(
                    {
                        "kind": kind,
                        "attendance_id": line.id,
                        "student_id": line.student_id.id,
                        "guardian_id": guardian.id,
                        "date": date or now,
                        "scheduled_at": deliver_at,
                    }
                )
        requeue.write(
            {"state": "queued", "date": date or now, "scheduled_at": deliver_at}
        )
        notices = requeue | Notice.create(vals_list)
        if notices:
            cron = self.env.ref(
                "afterschool_service.afterschool_notice_cron_deliver",
                raise_if_not_found=False,
            )
            if cron:
                cron.sudo()._trigger(at=deliver_at)
        return notices

    @api.model
    def _call_off(self, kind, lines):
        """The event no longer holds: its notices still waiting are not sent."""
        self.sudo().search(
            [
                ("kind", "=", kind),
                ("attendance_id", "in", lines.ids),
                ("state", "=", "queued"),
            ]
        ).write({"state": "cancelled"})

    # ------------------------------------------------------------------ business: delivery
    @api.model
    def _cron_deliver(self):
        """Deliver the notices due, batched per guardian; those whose event no longer holds are called off."""
        due = self.sudo().search(
            [("state", "=", "queued"), ("scheduled_at", "<=", fields.Datetime.now())],
            order="scheduled_at, id",
            limit=DELIVER_BATCH,
        )
        due._deliver()
        if len(due) == DELIVER_BATCH:
            self.env.ref(
                "afterschool_service.afterschool_notice_cron_deliver"
            ).sudo()._trigger()
        return len(due)

    def _deliver(self):
        holding = self.filtered(lambda notice: notice._event_holds())
        (self - holding).write({"state": "cancelled"})
        for (_guardian, _company), notices in holding.grouped(
            lambda n: (n.guardian_id, n.company_id)
        ).items():
            notices._send_to_guardian()
        holding.filtered(
            lambda notice: notice.kind == "absence"
        )._schedule_absence_todos()

    def _event_holds(self):
        """What the notice tells is still true."""
        self.ensure_one()
        line = self.attendance_id
        if line.session_id.state == "cancelled":
            return False
        if self.kind == "absence":
            return line._is_unexpected_absence()
        if self.kind == "pickup":
            return line.state == "present" and bool(
                line.picked_up_by_id and line.check_out
            )
        return line.state == "present" and not line.check_out

    def _send_to_guardian(self):
        """One message for all these notices of one guardian: in the portal, by email through Odoo's mail
        queue where the guardian has an address, and by SMS where the school configured it."""
        guardian, company = self.guardian_id, self.company_id
        lang = guardian.lang or company.partner_id.lang or "en_US"
        notices = self.with_context(lang=lang)
        for notice in notices:
            notice.subject, notice.body = notice._compose()
        subject = (
            notices.subject
            if len(notices) == 1
            else notices.env._(
                "After-school notices about %(children)s",
                children=", ".join(notices.student_id.mapped("name")),
            )
        )
        school = self.with_context(
            lang=company.partner_id.lang or "en_US"
        ).env  # the trail is read by staff
        channels = []
        if guardian.user_ids.filtered(lambda user: user.active):
            channels.append(school._("Portal"))
        message = self.env["mail.message"]
        if guardian.email:
            body = Markup("").join(notice.body for notice in notices)
            message = (
                notices[0]
                .with_context(mail_notify_force_send=False, **QUIET_CONTEXT)
                .message_post(
                    body=body,
                    subject=subject,
                    partner_ids=guardian.ids,
                    author_id=company.partner_id.id,
                    email_from=company.email_formatted or None,
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
            )
            channels.append(school._("Email"))
        sms_notices = notices.filtered(lambda notice: notice.kind in SMS_KINDS)
        number = guardian.mobile or guardian.phone
        if (
            sms_notices
            and number
            and company.afterschool_notice_sms
            and "sms.sms" in self.env
        ):
            self.env["sms.sms"].sudo().create(
                [
                    {
                        "number": number,
                        "partner_id": guardian.id,
                        "body": notice._compose_text(),
                        "state": "outgoing",
                    }
                    for notice in sms_notices
                ]
            )
            channels.append(school._("SMS"))
        values = {
            "sent_at": fields.Datetime.now(),
            "lang": lang,
            "email_message_id": message.id,
        }
        if channels:
            values.update(
                state="sent", channels=", ".join(channels), failure_reason=False
            )
        else:
            values.update(
                state="failed",
                failure_reason=school._(
                    "The guardian has no portal login, email or SMS number: call them."
                ),
            )
        self.write(values)

    def _get_local_time(self, value, time_only=True):
        tz = self.attendance_id.term_id._get_tz()
        return format_datetime(
            self.env,
            pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None),
            tz="UTC",
            dt_format="HH:mm" if time_only else "yyyy-MM-dd HH:mm",
        )

    def _get_contact(self):
        """Whom the family calls: the school's notice contact, else the school's name and phone."""
        company = self.company_id
        if company.afterschool_notice_contact:
            return company.afterschool_notice_contact
        return " ".join(filter(None, [company.name, company.phone]))

    def _compose_text(self):
        """The notice as one sentence, in the context language."""
        self.ensure_one()
        line, env = self.attendance_id, self.env
        values = {
            "student": self.student_id.name,
            "group": line.group_id.name,
            "date": line.date,
            "span": line.session_id._get_local_span(),
            "contact": self._get_contact(),
        }
        if self.kind == "absence":
            return env._(
                "%(student)s was marked absent at the after-school roll call of %(group)s (%(span)s), without a "
                "leave. If you do not know where your child is, please call %(contact)s at once.",
                **values,
            )
        if self.kind == "pickup":
            return env._(
                "%(student)s was collected from %(group)s by %(person)s at %(time)s.",
                person=line.picked_up_by_id.name,
                time=self._get_local_time(line.check_out),
                **values,
            )
        return env._(
            "%(student)s has not been collected from %(group)s (%(span)s): the service has ended. Please come "
            "at once or call %(contact)s.",
            **values,
        )

    def _compose(self):
        """(subject, html body) in the context language."""
        self.ensure_one()
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        subject = "%s: %s" % (kinds[self.kind], self.student_id.name)
        return subject, Markup("<p>%s</p>") % escape(self._compose_text())

    # ------------------------------------------------------------------ business: staff to-dos
    def _schedule_absence_todos(self):
        """The coordinator and the head teacher get one to-do per absent child (on the first guardian's notice)."""
        for line in self.attendance_id:
            lead = self.search(
                [("kind", "=", "absence"), ("attendance_id", "=", line.id)],
                order="id",
                limit=1,
            )
            if lead.activity_ids:
                continue
            company = lead.company_id
            users = (
                company._get_afterschool_coordinator()
                | lead.student_id.class_id.head_teacher_id
            )
            note = lead._staff_note()
            school = lead.with_context(lang=company.partner_id.lang or self.env.lang)
            summary = school.env._(
                "Absent without leave: %(student)s", student=lead.student_id.name
            )
            for user in users.filtered("active"):
                lead.with_context(mail_activity_quick_update=True).activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=user.id,
                    summary=summary,
                    note=note,
                )
            users._afterschool_bus_alert(school.env._("Absent without leave"), summary)

    def _staff_note(self):
        """The child, the session and the guardians with their phone numbers, for the staff to-dos."""
        self.ensure_one()
        guardians = Markup("").join(
            Markup("<li>%s %s</li>")
            % (guardian.name, guardian.mobile or guardian.phone or "")
            for guardian in self.student_id.guardian_ids
        )
        return Markup("<p>%s</p><ul>%s</ul>") % (
            self.attendance_id.session_id.name,
            guardians,
        )

    def _close_todos(self, feedback):
        """Close the staff to-dos about these notices' events (the child turned up, or a guardian answered)."""
        notices = self.sudo().search(
            [
                ("kind", "in", self.mapped("kind")),
                ("attendance_id", "in", self.attendance_id.ids),
            ]
        )
        notices.activity_ids.action_feedback(feedback=feedback)

    # ------------------------------------------------------------------ demo
    @api.model
    def _demo_create_notices(self):
        """Demo: 王磊 (parent2, who asked for pickup notices too) received each kind of notice about 王梓萱
        over the last days of attendance — as they were sent then, so the portal feed and the trail show all three."""
        student = self.env.ref(
            "afterschool_service.res_partner_student_wang_zixuan_demo",
            raise_if_not_found=False,
        )
        if not student:
            return False
        student.guardian_ids.write({"afterschool_notice_pickup": True})
        lines = self.env["afterschool.attendance"].search(
            [
                ("student_id", "=", student.id),
                ("session_id.state", "=", "done"),
                ("invoice_line_id", "=", False),
                ("state", "=", "present"),
                ("picked_up_by_id", "!=", False),
            ],
            order="date desc",
            limit=3,
        )
        if len(lines) < 3:
            return False
        picked, late, absent = lines
        absent.write({"state": "absent", "picked_up_by_id": False, "check_out": False})
        late.write({"check_out": late.session_id.stop + timedelta(minutes=25)})
        for kind, line, date in (
            ("absence", absent, absent.session_id.start),
            ("not_collected", late, late.session_id._get_not_collected_deadline()),
            ("pickup", picked, picked.check_out),
        ):
            notices = self._queue(kind, line, hold=False, date=date)
            notices._send_to_guardian()
            notices.write({"sent_at": date})
            if kind == "absence":
                notices._schedule_absence_todos()
        return True
