from odoo import api, fields, models

from .afterschool_text_limit_mixin import check_staff


class AfterschoolDuty(models.Model):
    """One teacher on duty (值班) for one grade on one service day: the duty roster."""

    _name = "afterschool.duty"
    _description = "Duty"
    _order = "date, grade"
    _check_company_auto = True

    rotation_id = fields.Many2one(
        "afterschool.duty.rotation",
        string="Rotation",
        required=True,
        index=True,
        ondelete="cascade",
    )
    term_id = fields.Many2one(related="rotation_id.term_id", store=True, index=True)
    company_id = fields.Many2one(
        related="rotation_id.company_id", store=True, index=True
    )
    grade = fields.Integer(related="rotation_id.grade", store=True, aggregator=False)
    date = fields.Date(required=True, index=True)
    start = fields.Datetime(required=True)
    stop = fields.Datetime(required=True)
    teacher_id = fields.Many2one(
        "res.users",
        string="Duty Teacher",
        required=True,
        index=True,
        check_company=True,
    )

    _sql_constraints = [
        (
            "rotation_date_uniq",
            "unique(rotation_id, date)",
            "A grade has one duty teacher a day.",
        ),
        (
            "teacher_date_uniq",
            "unique(teacher_id, date)",
            "A teacher is on duty for one grade a day.",
        ),
    ]

    @api.constrains("teacher_id")
    def _check_teacher_is_staff(self):
        check_staff(self.env, self.teacher_id)

    @api.depends("grade", "teacher_id.name")
    def _compute_display_name(self):
        for duty in self:
            duty.display_name = self.env._(
                "Grade %(grade)s: %(teacher)s",
                grade=duty.grade,
                teacher=duty.teacher_id.name or "",
            )
