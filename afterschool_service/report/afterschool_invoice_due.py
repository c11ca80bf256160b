from odoo import fields, models, tools
from odoo.tools import SQL


class AfterschoolInvoiceDue(models.Model):
    """What the next invoicing runs will settle, by guardian, student, term and month: periods
    attended and not yet invoiced, and billed periods that changed since (to correct)."""

    _name = "afterschool.invoice.due"
    _description = "After-School Periods to Invoice"
    _auto = False
    _order = "month desc, guardian_id, student_id"

    company_id = fields.Many2one("res.company", string="School", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    guardian_id = fields.Many2one(
        "res.partner", string="Invoice Guardian", readonly=True
    )
    student_id = fields.Many2one("res.partner", string="Student", readonly=True)
    term_id = fields.Many2one("afterschool.term", string="Term", readonly=True)
    month = fields.Date(readonly=True)
    billing_state = fields.Selection(
        [("to_invoice", "To Invoice"), ("to_correct", "To Correct")],
        string="Status",
        readonly=True,
    )
    attendance_count = fields.Integer(
        string="Attendance", readonly=True, aggregator="sum"
    )
    periods = fields.Integer(
        string="Periods",
        readonly=True,
        aggregator="sum",
        help="Positive to invoice, negative to credit.",
    )
    amount = fields.Monetary(
        string="Amount",
        readonly=True,
        aggregator="sum",
        help="Periods at the term's rate, less the student's fee waiver.",
    )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(table)s AS (
                SELECT min(a.id) AS id,
                       a.company_id,
                       company.currency_id,
                       CASE WHEN a.periods_to_invoice < 0
                            THEN COALESCE(billed_move.partner_id, student.invoice_guardian_id)
                            ELSE student.invoice_guardian_id END AS guardian_id,
                       a.student_id,
                       a.term_id,
                       date_trunc('month', a.date)::date AS month,
                       a.billing_state,
                       count(*) AS attendance_count,
                       sum(a.periods_to_invoice) AS periods,
                       sum(a.periods_to_invoice * term.period_rate
                           * (100 - COALESCE(student.fee_waiver_percent, 0)) / 100) AS amount
                  FROM afterschool_attendance a
                  JOIN res_partner student ON student.id = a.student_id
                  JOIN afterschool_term term ON term.id = a.term_id
                  JOIN res_company company ON company.id = a.company_id
             LEFT JOIN account_move_line billed_line ON billed_line.id = a.invoice_line_id
             LEFT JOIN account_move billed_move ON billed_move.id = billed_line.move_id
                 WHERE a.billing_state IN ('to_invoice', 'to_correct')
              GROUP BY 2, 3, 4, 5, 6, 7, 8
            )
        """,
                table=SQL.identifier(self._table),
            )
        )
