from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools.access import check_coordinator
from .afterschool_class import MAX_GRADE, MIN_GRADE
from .afterschool_text_limit_mixin import check_staff


class AfterschoolDutyRotation(models.Model):
    """Who is on duty (值班) for one grade during a term, and how often the duty changes hands."""

    _name = "afterschool.duty.rotation"
    _description = "Duty Rotation"
    _inherit = ["mail.thread"]
    _order = "term_id desc, grade"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    name = fields.Char(compute="_compute_name", store=True)
    term_id = fields.Many2one(
        "afterschool.term",
        string="Term",
        required=True,
        index=True,
        check_company=True,
        ondelete="cascade",
    )
    company_id = fields.Many2one(
        related="term_id.company_id", store=True, index=True, precompute=True
    )
    grade = fields.Integer(required=True, default=1, aggregator=False)
    frequency = fields.Selection(
        [("daily", "Every Day"), ("weekly", "Every Week")],
        string="Rotation",
        required=True,
        default="weekly",
        help="How often the duty passes to the next teacher.",
    )
    teacher_ids = fields.Many2many(
        "res.users",
        "afterschool_duty_rotation_teacher_rel",
        "rotation_id",
        "user_id",
        string="Duty Teachers",
        domain="[('share', '=', False)]",
        check_company=True,
        help="The teachers taking turns, in alphabetical order.",
    )
    duty_ids = fields.One2many("afterschool.duty", "rotation_id", string="Duties")
    duty_count = fields.Integer(compute="_compute_duty_count", string="Duty Days")

    _sql_constraints = [
        (
            "term_grade_uniq",
            "unique(term_id, grade)",
            "A grade has one duty rotation per term.",
        ),
    ]

    @api.constrains("teacher_ids")
    def _check_teachers_are_staff(self):
        check_staff(self.env, self.teacher_ids)

    # ------------------------------------------------------------------ computes
    @api.depends("grade", "term_id.name")
    def _compute_name(self):
        """Stored for search; people read display_name, composed in their language."""
        for rotation in self:
            rotation.name = rotation._compose_name()

    @api.depends("grade", "term_id.name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for rotation in self:
            rotation.display_name = rotation._compose_name()

    def _compose_name(self):
        self.ensure_one()
        return self.env._(
            "Grade %(grade)s duty, %(term)s",
            grade=self.grade,
            term=self.term_id.name or "",
        )

    def _compute_duty_count(self):
        counts = dict(
            self.env["afterschool.duty"]._read_group(
                [("rotation_id", "in", self.ids)], ["rotation_id"], ["__count"]
            )
        )
        for rotation in self:
            rotation.duty_count = counts.get(rotation, 0)

    # ------------------------------------------------------------------ constraints
    @api.constrains("grade")
    def _check_grade(self):
        for rotation in self:
            if not MIN_GRADE <= rotation.grade <= MAX_GRADE:
                raise ValidationError(
                    self.env._("Grade %(grade)s does not exist.", grade=rotation.grade)
                )

    # ------------------------------------------------------------------ actions
    def action_assign_duties(self):
        """Share the service days among the duty teachers, fairly and without clashes.

        A teacher who teaches a session that day, or is on duty for another grade, is skipped.
        Duties from today on are rebuilt; past duties are history.
        """
        check_coordinator(
            self, self.env._("Only the coordinator can assign the duties.")
        )
        Duty = self.env["afterschool.duty"].sudo()
        for rotation in self:
            today = rotation.company_id._afterschool_today()
            Duty.search(
                [("rotation_id", "=", rotation.id), ("date", ">=", today)]
            ).unlink()
            rotation._assign_from(today)
        return True

    def action_view_duties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.afterschool_duty_action"
        )
        action["domain"] = [("rotation_id", "=", self.id)]
        return action

    # ------------------------------------------------------------------ business
    def _assign_from(self, first_day):
        """Give each service day of the grade from ``first_day`` on a duty teacher, and its sessions."""
        self.ensure_one()
        if not self.teacher_ids:
            raise UserError(
                self.env._(
                    "Choose the duty teachers of %(rotation)s first.",
                    rotation=self.name,
                )
            )
        sessions = (
            self.env["afterschool.session"]
            .sudo()
            .search(
                [
                    ("term_id", "=", self.term_id.id),
                    ("state", "!=", "cancelled"),
                    ("date", ">=", first_day),
                    ("group_id.grade_min", "<=", self.grade),
                    ("group_id.grade_max", ">=", self.grade),
                ]
            )
        )
        days = sorted(set(sessions.mapped("date")))
        if not days:
            return
        assignment = self._share_days(days, self._get_busy_teachers(days))
        self._create_duties(sessions, assignment)
        self._set_duty_teacher_of_sessions(sessions, assignment)

    def _get_busy_teachers(self, days):
        """{day: ids of the duty teachers who teach a session or are on another rotation's duty}."""
        busy = defaultdict(set)
        for session in (
            self.env["afterschool.session"]
            .sudo()
            .search(
                [
                    ("teacher_id", "in", self.teacher_ids.ids),
                    ("state", "!=", "cancelled"),
                    ("date", "in", days),
                ]
            )
        ):
            busy[session.date].add(session.teacher_id.id)
        for duty in (
            self.env["afterschool.duty"]
            .sudo()
            .search(
                [
                    ("teacher_id", "in", self.teacher_ids.ids),
                    ("date", "in", days),
                    ("rotation_id", "!=", self.id),
                ]
            )
        ):
            busy[duty.date].add(duty.teacher_id.id)
        return busy

    def _share_days(self, days, busy):
        """{day: teacher id}: a holder per day or week, the fewest duties first (this rotation's past
        duties counted), another free teacher on a day the holder is busy."""
        order = self.teacher_ids.sorted("name").ids
        past = dict(
            self.env["afterschool.duty"]._read_group(
                [("rotation_id", "=", self.id)], ["teacher_id"], ["__count"]
            )
        )
        load = {
            teacher: past.get(self.env["res.users"].browse(teacher), 0)
            for teacher in order
        }
        assignment, turn, current_period, holder = {}, -1, None, None
        for day in days:
            period = day.isocalendar()[:2] if self.frequency == "weekly" else day
            if period != current_period:
                current_period, turn = period, turn + 1
                holder = self._next_holder(order, load, turn, busy[day])
            teacher = (
                holder
                if holder not in busy[day]
                else self._next_holder(order, load, turn, busy[day])
            )
            if not teacher:
                raise UserError(
                    self.env._(
                        "No duty teacher of %(rotation)s is free on %(date)s: all of them teach or are on duty.",
                        rotation=self.name,
                        date=day,
                    )
                )
            assignment[day] = teacher
            load[teacher] += 1
        return assignment

    def _create_duties(self, sessions, assignment):
        """A duty per assigned day, from the first session's start to the last one's end that day."""
        spans = {}
        for session in sessions:
            start, stop = spans.get(session.date, (session.start, session.stop))
            spans[session.date] = (min(start, session.start), max(stop, session.stop))
        self.env["afterschool.duty"].sudo().create(
            [
                {
                    "rotation_id": self.id,
                    "date": day,
                    "teacher_id": teacher,
                    "start": spans[day][0],
                    "stop": spans[day][1],
                }
                for day, teacher in assignment.items()
            ]
        )

    def _set_duty_teacher_of_sessions(self, sessions, assignment):
        """The day's duty teacher on the sessions of groups starting at this grade (one write per teacher)."""
        by_teacher = defaultdict(lambda: self.env["afterschool.session"].sudo())
        for session in sessions.filtered(lambda s: s.group_id.grade_min == self.grade):
            by_teacher[assignment[session.date]] |= session
        for teacher, teacher_sessions in by_teacher.items():
            teacher_sessions.write({"duty_teacher_id": teacher})

    @api.model
    def _next_holder(self, order, load, turn, busy):
        """The free teacher with the fewest duties so far; ties go round the rotation from this turn."""
        free = [teacher for teacher in order if teacher not in busy]
        if not free:
            return False
        size = len(order)
        return min(
            free,
            key=lambda teacher: (load[teacher], (order.index(teacher) - turn) % size),
        )
