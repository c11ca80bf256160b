from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.access import check_computed_fields
from ..tools.dates import format_service_date
from .afterschool_term import MAX_TERM_DAYS
from .afterschool_text_limit_mixin import TEXT_LIMIT, check_text


class AfterschoolLeave(models.Model):
    """A leave (请假) of a child from after-school service: the sessions in it are excused, never billed."""

    _name = "afterschool.leave"
    _description = "After-School Leave"
    _inherit = ["mail.thread", "afterschool.text.limit.mixin"]
    _text_limits = {"reason": TEXT_LIMIT}
    _order = "date_from desc, id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    student_id = fields.Many2one(
        "res.partner",
        string="Student",
        required=True,
        index=True,
        tracking=True,
        domain="[('is_student', '=', True)]",
    )
    class_id = fields.Many2one(
        related="student_id.class_id", store=True, index=True, string="Class"
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        index=True,
        precompute=True,
        readonly=False,
    )
    date_from = fields.Date(
        string="From",
        required=True,
        tracking=True,
        default=lambda self: self.env.company._afterschool_today(),
    )
    date_to = fields.Date(
        string="To",
        required=True,
        tracking=True,
        default=lambda self: self.env.company._afterschool_today(),
    )
    reason = fields.Text(required=True)
    requested_by_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        default=lambda self: self.env.user,
        readonly=True,
    )
    state = fields.Selection(
        [("confirmed", "Confirmed"), ("cancelled", "Cancelled")],
        default="confirmed",
        required=True,
        tracking=True,
        copy=False,
    )
    attendance_ids = fields.One2many(
        "afterschool.attendance", "leave_id", string="Excused Sessions"
    )

    # ------------------------------------------------------------------ computes
    @api.depends("student_id")
    def _compute_company_id(self):
        for leave in self:
            leave.company_id = (
                leave.student_id.class_id.company_id
                or leave.company_id
                or self.env.company
            )

    @api.depends("student_id.name", "date_from", "date_to")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """In the reader's language: 张子涵 11月27日 周五–11月28日 周六."""
        for leave in self:
            leave.display_name = "%s %s–%s" % (
                leave.student_id.name or "",
                format_service_date(self.env, leave.date_from),
                format_service_date(self.env, leave.date_to),
            )

    # ------------------------------------------------------------------ constraints
    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for leave in self:
            if leave.date_to < leave.date_from:
                raise ValidationError(
                    self.env._("A leave cannot end before it starts.")
                )
            if (leave.date_to - leave.date_from).days >= MAX_TERM_DAYS:
                raise ValidationError(
                    self.env._(
                        "A leave lasts at most a year: for longer, withdraw from the service."
                    )
                )

    @api.constrains("student_id", "date_from", "date_to", "state")
    def _check_not_repeated(self):
        """The same leave twice (child, dates, confirmed) is a double click or a replay, never a second leave."""
        for leave in self.filtered(lambda leave: leave.state == "confirmed"):
            if self.sudo().search_count(
                [
                    ("id", "!=", leave.id),
                    ("student_id", "=", leave.student_id.id),
                    ("date_from", "=", leave.date_from),
                    ("date_to", "=", leave.date_to),
                    ("state", "=", "confirmed"),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "%(student)s already has a leave from %(date_from)s to %(date_to)s: it is recorded once.",
                        student=leave.student_id.name,
                        date_from=format_service_date(self.env, leave.date_from),
                        date_to=format_service_date(self.env, leave.date_to),
                    )
                )

    @api.constrains("student_id")
    def _check_student(self):
        for leave in self:
            if not leave.student_id.is_student:
                raise ValidationError(
                    self.env._("%(name)s is not a student.", name=leave.student_id.name)
                )

    # ------------------------------------------------------------------ CRUD
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(
            vals.get("requested_by_id", self.env.uid) != self.env.uid
            for vals in vals_list
        ):
            raise UserError(self.env._("Who recorded a leave is kept by the system."))
        leaves = super().create(vals_list)
        leaves._apply_to_attendance()
        return leaves

    def write(self, vals):
        check_computed_fields(self, vals)
        if "requested_by_id" in vals and not self.env.su:
            raise UserError(self.env._("Who recorded a leave is kept by the system."))
        if {"student_id", "date_from", "date_to", "state"} & set(vals):
            self._release_attendance()
            result = super().write(vals)
            self._apply_to_attendance()
            return result
        return super().write(vals)

    def unlink(self):
        self._release_attendance()
        return super().unlink()

    # ------------------------------------------------------------------ actions
    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------ business
    @api.model
    def _request_as_guardian(self, student, date_from, date_to, reason):
        """A guardian asks leave for their own child in the portal, from today on; the sessions in it are
        excused at once. Guardians have no access rights on leaves: checked here, created as superuser."""
        student = student.sudo()
        if self.env.user.partner_id not in student.guardian_ids:
            raise AccessError(
                self.env._(
                    "Only a guardian of %(student)s can ask leave for them.",
                    student=student.name,
                )
            )
        if not date_from:
            raise UserError(self.env._("Give the first day of the leave."))
        if date_from < student.company_id._afterschool_today():
            raise UserError(
                self.env._(
                    "Leave is asked for today or later. For a day already past, please tell the head teacher."
                )
            )
        reason = check_text(self.env, reason, self.env._("The reason"))
        if not reason:
            raise UserError(self.env._("Give a reason for the leave."))
        leave = self.sudo().create(
            {
                "student_id": student.id,
                "date_from": date_from,
                "date_to": date_to or date_from,
                "reason": reason,
                "requested_by_id": self.env.uid,
            }
        )
        return leave.with_env(self.env)

    def _cancel_as_guardian(self):
        """A guardian cancels their own child's leave in the portal, before its first day (the sessions
        it excused are to be marked again). Guardians have no access rights on leaves: checked here."""
        self.ensure_one()
        leave = self.sudo()
        if self.env.user.partner_id not in leave.student_id.guardian_ids:
            raise AccessError(
                self.env._(
                    "Only a guardian of %(student)s can cancel their leave.",
                    student=leave.student_id.name,
                )
            )
        if leave.state != "confirmed":
            raise UserError(self.env._("This leave is already cancelled."))
        if leave.date_from <= leave.sudo().company_id._afterschool_today():
            raise UserError(
                self.env._(
                    "A leave can be cancelled until the day before it starts. Please tell the head teacher."
                )
            )
        leave.action_cancel()
        return True

    def _apply_to_attendance(self):
        """Excuse the unmarked or absent, unbilled roster lines the leaves cover (present stays: the child came)."""
        leaves = self.filtered(lambda leave: leave.state == "confirmed")
        if not leaves:
            return
        lines = (
            self.env["afterschool.attendance"]
            .sudo()
            .search(
                [
                    ("student_id", "in", leaves.student_id.ids),
                    ("date", ">=", min(leaves.mapped("date_from"))),
                    ("date", "<=", max(leaves.mapped("date_to"))),
                    ("state", "in", (False, "absent")),
                    ("invoice_line_id", "=", False),
                ]
            )
        )
        for leave in leaves:
            leave_lines = lines.filtered(
                lambda line, leave=leave: (
                    line.student_id == leave.student_id
                    and leave.date_from <= line.date <= leave.date_to
                )
            )
            leave_lines.write({"state": "excused", "leave_id": leave.id})
            lines -= leave_lines

    def _release_attendance(self):
        """Lines excused only by these leaves go back to unmarked (billed lines stay as billed)."""
        self.env["afterschool.attendance"].sudo().search(
            [
                ("leave_id", "in", self.ids),
                ("state", "=", "excused"),
                ("invoice_line_id", "=", False),
            ]
        ).write({"state": False, "leave_id": False})

    @api.model
    def _find_covering(self, attendance_vals_list):
        """{(student id, session id): leave id} for new roster lines, in two queries."""
        pairs = [
            (vals.get("student_id"), vals.get("session_id"))
            for vals in attendance_vals_list
            if vals.get("student_id") and vals.get("session_id")
        ]
        if not pairs:
            return {}
        sessions = (
            self.env["afterschool.session"]
            .sudo()
            .browse({session for _student, session in pairs})
        )
        dates = {session.id: session.date for session in sessions}
        leaves = self.sudo().search(
            [
                ("student_id", "in", list({student for student, _session in pairs})),
                ("state", "=", "confirmed"),
                ("date_from", "<=", max(dates.values())),
                ("date_to", ">=", min(dates.values())),
            ]
        )
        by_student = {}
        for leave in leaves:
            by_student.setdefault(leave.student_id.id, []).append(
                (leave.date_from, leave.date_to, leave.id)
            )
        covering = {}
        for student, session in pairs:
            day = dates[session]
            for date_from, date_to, leave in by_student.get(student, []):
                if date_from <= day <= date_to:
                    covering[student, session] = leave
                    break
        return covering
