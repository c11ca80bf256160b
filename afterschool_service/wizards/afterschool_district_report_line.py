from odoo import fields, models

FIGURES = [
    ("participation", "Participation"),
    ("survey", "Needs Survey"),
    ("priority", "Priority Coverage"),
    ("sessions", "Sessions Held"),
    ("ledger", "Ledger Completeness"),
    ("attendance", "Attendance"),
    ("late_pickup", "Late Pickups"),
    ("incidents", "Incidents"),
    ("fees", "Fees"),
    ("teacher_periods", "Teachers' Periods"),
    ("inspections", "Inspections"),
    ("satisfaction", "Family Satisfaction"),
]


class AfterschoolDistrictReportLine(models.TransientModel):
    """One row of one district figure: a school, and a grade, month, teacher or group where it applies.

    The counts' meaning depends on the figure (the figure's page and sheet name them).
    """

    _name = "afterschool.district.report.line"
    _description = "District Figure Row"
    _order = "figure, company_id, month, grade, id"

    report_id = fields.Many2one(
        "afterschool.district.report", required=True, ondelete="cascade", index=True
    )
    figure = fields.Selection(FIGURES, required=True)
    company_id = fields.Many2one("res.company", string="School")
    currency_id = fields.Many2one(related="company_id.currency_id")
    grade = fields.Integer(aggregator=False)
    month = fields.Char()
    teacher_id = fields.Many2one("res.users", string="Teacher")
    group_id = fields.Many2one("afterschool.activity.group", string="Group")
    count_a = fields.Integer()
    count_b = fields.Integer()
    count_c = fields.Integer()
    count_d = fields.Integer()
    count_e = fields.Integer()
    rate = fields.Float(digits=(5, 4), aggregator="avg")
    score = fields.Float(digits=(3, 2), aggregator="avg")
    amount_a = fields.Monetary(currency_field="currency_id")
    amount_b = fields.Monetary(currency_field="currency_id")
    amount_c = fields.Monetary(currency_field="currency_id")
