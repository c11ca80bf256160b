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

# What the generic columns of a row hold, per figure: {figure: {column: stable name}}, for an
# integration reading the rows (the figure's page and sheet show the same columns under translated
# labels). Names are English snake_case and do not change; columns a figure leaves empty are absent
# (``count_e`` is spare: no figure fills it). Rates are 0-1 fractions; amounts are in the school's
# currency. README.md, "District figures for integrations", has the same table.
FIGURE_COLUMNS = {
    # per school, grade (today's classes) and month
    "participation": {
        "count_a": "enrolled",  # distinct students enrolled at some point of the month
        "count_b": "grade_students",  # active students of the grade's classes today
        "rate": "participation_rate",  # enrolled / grade_students
    },
    # per school and grade: the needs surveys (前期调查) of the terms overlapping the period
    "survey": {
        "count_a": "families_asked",  # surveys sent
        "count_b": "answered",  # surveys no longer pending
        "count_c": "want_to_apply",
        "count_d": "not_needed",  # answered "declined"
        "rate": "answer_rate",  # answered / families_asked
    },
    # per school and grade: distinct left-behind / hardship applicants of the period's terms
    "priority": {
        "count_a": "left_behind_applied",
        "count_b": "left_behind_placed",  # in a group, application not rejected
        "count_c": "hardship_applied",
        "count_d": "hardship_placed",
        "rate": "priority_placed_rate",  # placed / priority applicants (each child once)
    },
    # per school and month, up to today
    "sessions": {
        "count_a": "sessions_due",  # up to today, those cancelled by the schedule (closures) excluded
        "count_b": "sessions_held",  # closed (done)
        "count_c": "sessions_cancelled",  # cancelled otherwise than by the schedule
        "rate": "held_rate",  # sessions_held / sessions_due
    },
    # per school and month: sessions held (done)
    "ledger": {
        "count_a": "sessions_held",
        "count_b": "sessions_with_content",  # closed with their content written down
        "rate": "completeness_rate",  # sessions_with_content / sessions_held
    },
    # per school, grade and month: roll-call marks of the sessions not cancelled
    "attendance": {
        "count_a": "present",
        "count_b": "marked",  # marks with a state
        "count_c": "absent",
        "count_d": "excused",
        "rate": "attendance_rate",  # present / marked
    },
    # per school and month
    "late_pickup": {
        "count_a": "late_pickups",  # children not collected by the end of the window
        "count_b": "present",
        "rate": "late_pickup_rate",  # late_pickups / present
    },
    # per school and month of the session
    "incidents": {
        "count_a": "incidents",
        "count_b": "incidents_open",
    },
    # per school and invoice month: posted after-school invoices and credit notes
    "fees": {
        "count_a": "invoices",  # invoices and credit notes
        "amount_a": "invoiced",  # total, credit notes negative
        "amount_b": "paid",  # invoiced - outstanding
        "amount_c": "outstanding",  # amount residual
    },
    # per school, month and teacher (课时补助)
    "teacher_periods": {
        "count_a": "teaching_periods",  # periods of the sessions taught and closed
        "count_b": "duty_periods",  # duty days up to today × the term's periods per day
        "count_c": "total_periods",  # teaching_periods + duty_periods
    },
    # per school and month
    "inspections": {
        "count_a": "inspections_done",  # no longer planned
        "count_b": "inspections_with_issue",  # an issue found, open or resolved
        "count_c": "issues_open",
        "count_d": "inspections_planned",
    },
    # per school, group and teacher: the ratings of the groups of the period's terms
    "satisfaction": {
        "count_a": "ratings",
        "score": "average_score",  # 1-5
    },
}


class AfterschoolDistrictReportLine(models.TransientModel):
    """One row of one district figure: a school, and a grade, month, teacher or group where it applies.

    The counts' meaning depends on the figure (the figure's page and sheet name them, and
    ``FIGURE_COLUMNS`` for a program).
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
