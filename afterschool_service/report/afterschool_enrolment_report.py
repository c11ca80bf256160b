from odoo import fields, models, tools


class AfterschoolEnrolmentReport(models.Model):
    """Per class and term: how many applied, were approved, posted, signed, enrolled or wait for a place."""

    _name = "afterschool.enrolment.report"
    _description = "After-School Enrolment by Class"
    _auto = False
    _order = "term_id desc, grade, class_id"

    term_id = fields.Many2one("afterschool.term", string="Term", readonly=True)
    class_id = fields.Many2one("afterschool.class", string="Class", readonly=True)
    grade = fields.Integer(readonly=True, aggregator=False)
    head_teacher_id = fields.Many2one("res.users", string="Head Teacher", readonly=True)
    company_id = fields.Many2one("res.company", string="School", readonly=True)
    draft_count = fields.Integer(string="Drafts", readonly=True)
    applied_count = fields.Integer(string="Applied", readonly=True)
    class_approved_count = fields.Integer(string="Class Approved", readonly=True)
    approved_count = fields.Integer(string="School Approved", readonly=True)
    published_count = fields.Integer(string="Posted", readonly=True)
    signed_count = fields.Integer(string="Signed", readonly=True)
    enrolled_count = fields.Integer(string="Enrolled", readonly=True)
    waiting_count = fields.Integer(string="Waiting", readonly=True)
    rejected_count = fields.Integer(string="Rejected", readonly=True)
    left_count = fields.Integer(string="Withdrawn or Terminated", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(f"""
            CREATE OR REPLACE VIEW {self._table} AS (
                SELECT MIN(application.id) AS id,
                       application.term_id,
                       application.class_id,
                       school_class.grade,
                       school_class.head_teacher_id,
                       application.company_id,
                       COUNT(*) FILTER (WHERE application.state = 'draft') AS draft_count,
                       COUNT(application.date_submitted) AS applied_count,
                       COUNT(application.date_class_approved) AS class_approved_count,
                       COUNT(application.date_school_approved) AS approved_count,
                       COUNT(application.date_published) AS published_count,
                       COUNT(agreement.signed_on) AS signed_count,
                       COUNT(*) FILTER (WHERE application.state = 'enrolled') AS enrolled_count,
                       COUNT(*) FILTER (WHERE application.is_waiting) AS waiting_count,
                       COUNT(*) FILTER (WHERE application.state = 'rejected') AS rejected_count,
                       COUNT(*) FILTER (WHERE application.state IN ('withdrawn', 'terminated')) AS left_count
                  FROM afterschool_application application
             LEFT JOIN afterschool_class school_class ON school_class.id = application.class_id
             LEFT JOIN afterschool_agreement agreement ON agreement.id = application.agreement_id
              GROUP BY application.term_id, application.class_id, school_class.grade,
                       school_class.head_teacher_id, application.company_id
            )
        """)
