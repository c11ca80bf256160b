from odoo import api, fields, models

from ..tools.access import check_computed_fields


class AfterschoolSchoolAbsence(models.Model):
    """The school's daily absence list: a child absent from school that day shows on the rosters."""

    _name = "afterschool.school.absence"
    _description = "School Absence"
    _order = "date desc, class_id, student_id"
    _check_company_auto = True

    date = fields.Date(
        required=True,
        index=True,
        default=lambda self: self.env.company._afterschool_today(),
    )
    student_id = fields.Many2one(
        "res.partner",
        string="Student",
        required=True,
        index=True,
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
    reason = fields.Char()

    _sql_constraints = [
        (
            "student_date_uniq",
            "unique(student_id, date)",
            "The student is already on the absence list of that day.",
        ),
    ]

    def write(self, vals):
        check_computed_fields(self, vals)
        return super().write(vals)

    @api.depends("student_id")
    def _compute_company_id(self):
        for absence in self:
            absence.company_id = (
                absence.student_id.class_id.company_id
                or absence.company_id
                or self.env.company
            )
