from odoo import api, fields, models

LIVE_STATES = ("draft", "submitted", "class_approved", "school_approved", "published", "enrolled")
PLACED_STATES = ("school_approved", "published", "enrolled")
LEFT_STATES = ("withdrawn", "terminated")


class AfterschoolApplication(models.Model):
    """A family's application for one child and one term: reviewed, posted, signed, enrolled."""

    _name = "afterschool.application"
    _description = "After-School Application"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # ------------------------------------------------------------------ fields
    name = fields.Char(compute="_compute_name", store=True)
    student_id = fields.Many2one(
        "res.partner", string="Student", required=True, index=True, tracking=True,
        domain="[('is_student', '=', True)]",
    )
    guardian_id = fields.Many2one(
        "res.partner", string="Guardian", required=True, index=True, tracking=True,
        domain="[('id', 'in', student_guardian_ids)]",
    )
    student_guardian_ids = fields.Many2many(related="student_id.guardian_ids", string="Student's Guardians")
    class_id = fields.Many2one(related="student_id.class_id", store=True, index=True, string="Class")
    grade = fields.Integer(related="student_id.grade", store=True, string="Grade")
    term_id = fields.Many2one(
        "afterschool.term", string="Term", required=True, index=True, tracking=True, check_company=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        "res.company", related="term_id.company_id", store=True, index=True, precompute=True,
    )
    requested_group_ids = fields.Many2many(
        "afterschool.activity.group", "afterschool_application_requested_group_rel",
        "application_id", "group_id", string="Requested Groups", check_company=True,
        help="The groups the family asked for.",
    )
    group_ids = fields.Many2many(
        "afterschool.activity.group", "afterschool_application_group_rel",
        "application_id", "group_id", string="Placed in Groups", check_company=True, tracking=True,
        help="The groups the student is placed in.",
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("class_approved", "Class Approved"),
            ("school_approved", "School Approved"),
            ("published", "Published"),
            ("enrolled", "Enrolled"),
            ("rejected", "Rejected"),
            ("withdrawn", "Withdrawn"),
            ("terminated", "Terminated"),
        ],
        default="draft", required=True, index=True, tracking=True, copy=False,
    )
    date_enrolled = fields.Date(
        string="Enrolled From", tracking=True, copy=False,
        help="First service date the student attends (the day the agreement is signed, at the earliest).",
    )
    date_left = fields.Date(
        string="Left On", tracking=True, copy=False,
        help="From this date on the student no longer attends (withdrawal or termination).",
    )

    @api.depends("student_id.name", "term_id.name")
    def _compute_name(self):
        for application in self:
            application.name = "%s / %s" % (application.student_id.name or "", application.term_id.name or "")

    # ------------------------------------------------------------------ business
    @api.model
    def _get_students_by_group_and_date(self, groups, days):
        """{(group id, date): students attending} for the enrolled students, in one query.

        A student attends a group on a date when enrolled in it from ``date_enrolled`` on and,
        after a withdrawal or termination, only before ``date_left``.
        """
        if not groups or not days:
            return {}
        first, last = min(days), max(days)
        applications = self.sudo().search([
            ("group_ids", "in", groups.ids),
            ("state", "in", ("enrolled",) + LEFT_STATES),
            ("date_enrolled", "!=", False),
            ("date_enrolled", "<=", last),
            "|", ("date_left", "=", False), ("date_left", ">", first),
        ])
        Partner = self.env["res.partner"]
        result = {}
        for application in applications:
            for group in application.group_ids & groups:
                for day in days:
                    if application.date_enrolled <= day and (not application.date_left or day < application.date_left):
                        key = (group.id, day)
                        result[key] = result.get(key, Partner) | application.student_id
        return result
