from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .afterschool_text_limit_mixin import NAME_LIMIT, check_staff

MIN_GRADE, MAX_GRADE = 1, 6


class AfterschoolClass(models.Model):
    """A school class (班级) of one grade, with its head teacher (班主任)."""

    _name = "afterschool.class"
    _description = "School Class"
    _inherit = ["mail.thread", "afterschool.text.limit.mixin"]
    _text_limits = {"name": NAME_LIMIT}
    _order = "grade, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    grade = fields.Integer(required=True, default=1, tracking=True, aggregator=False)
    head_teacher_id = fields.Many2one(
        "res.users",
        string="Head Teacher",
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    student_ids = fields.One2many("res.partner", "class_id", string="Students")
    student_count = fields.Integer(
        compute="_compute_student_count", string="Number of Students"
    )

    _sql_constraints = [
        (
            "name_company_uniq",
            "unique(name, company_id)",
            "A class with this name already exists at this school.",
        ),
    ]

    def _compute_student_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("class_id", "in", self.ids)], ["class_id"], ["__count"]
            )
        )
        for school_class in self:
            school_class.student_count = counts.get(school_class, 0)

    @api.constrains("head_teacher_id")
    def _check_head_teacher_is_staff(self):
        check_staff(self.env, self.head_teacher_id)

    @api.constrains("grade")
    def _check_grade(self):
        for school_class in self:
            if not MIN_GRADE <= school_class.grade <= MAX_GRADE:
                raise ValidationError(
                    self.env._(
                        "Grade %(grade)s does not exist: a primary school has grades 1 to 6.",
                        grade=school_class.grade,
                    )
                )

    def action_view_students(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "afterschool_service.res_partner_student_action"
        )
        action["domain"] = [("class_id", "=", self.id)]
        action["context"] = {"default_is_student": True, "default_class_id": self.id}
        return action
