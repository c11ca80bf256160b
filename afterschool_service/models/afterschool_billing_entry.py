from collections import defaultdict

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError
from odoo.tools import SQL


class AfterschoolBillingEntry(models.Model):
    """How many periods of one attendance one invoice line billed (positive) or credited (negative):
    the billing history accountants read.

    An attendance's billed periods are the sum of its entries, and cancelling or deleting an invoice
    gives its entries' periods back to the attendance for the next run. A view: an attendance's first
    charge is read from the attendance itself (its invoice line, and its billed periods less what
    came after), the rest from the adjustments (afterschool.billing.adjustment). A month's invoicing
    so writes one row per child and day, the attendance's, and no second row beside it.
    """

    _name = "afterschool.billing.entry"
    _description = "After-School Billing Entry"
    _auto = False
    # the first charge comes first: its invoice line was created before any that corrected it
    _order = "move_line_id.id, id"
    # what the view reads: flushed before it is searched
    _depends = {
        "afterschool.attendance": ["billed_periods", "invoice_line_id"],
        "afterschool.billing.adjustment": [
            "attendance_id",
            "move_line_id",
            "move_id",
            "periods",
            "correction_reason",
        ],
        "account.move.line": ["move_id"],
    }

    attendance_id = fields.Many2one(
        "afterschool.attendance", string="Attendance", readonly=True
    )
    move_line_id = fields.Many2one(
        "account.move.line", string="Invoice Line", readonly=True
    )
    move_id = fields.Many2one("account.move", string="Invoice", readonly=True)
    periods = fields.Integer(
        readonly=True, help="Positive when invoiced, negative when credited."
    )
    correction_reason = fields.Text(
        string="Correction",
        readonly=True,
        help="Why the billed attendance was corrected (Correct Attendance), when this entry settles a correction.",
    )
    company_id = fields.Many2one(related="attendance_id.company_id")
    student_id = fields.Many2one(related="attendance_id.student_id", string="Student")
    date = fields.Date(related="attendance_id.date")
    group_id = fields.Many2one(related="attendance_id.group_id", string="Group")
    attendance_state = fields.Selection(
        related="attendance_id.state", string="Attendance Now"
    )

    def init(self):
        """The history as a view. Ids: an adjustment's doubled, an attendance's first charge its id
        doubled plus one (bigint), so neither collides with the other. The first charge's periods are
        what the attendance was billed less its adjustments; an attendance whose first invoice was
        cancelled, and whose adjustments say all, has none."""
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT adjustment.id::bigint * 2 AS id,
                       adjustment.attendance_id, adjustment.move_line_id, adjustment.move_id,
                       adjustment.periods, adjustment.correction_reason
                  FROM afterschool_billing_adjustment adjustment
                UNION ALL
                SELECT a.id::bigint * 2 + 1 AS id,
                       a.id, a.invoice_line_id, line.move_id,
                       a.billed_periods - COALESCE(adjusted.periods, 0), NULL
                  FROM afterschool_attendance a
                  JOIN account_move_line line ON line.id = a.invoice_line_id
             LEFT JOIN LATERAL (
                        SELECT SUM(adjustment.periods) AS periods
                          FROM afterschool_billing_adjustment adjustment
                         WHERE adjustment.attendance_id = a.id
                       ) adjusted ON TRUE
                 WHERE a.invoice_line_id IS NOT NULL
                   AND a.billed_periods <> COALESCE(adjusted.periods, 0)
            )
            """,
                SQL.identifier(self._table),
            )
        )

    # ------------------------------------------------------------------ business
    @api.model
    def _create_for_lines(self, links):
        """Record what the new invoice lines bill and update the attendance: one UPDATE per batch,
        in SQL (and a create of the few adjustments).

        ``links``: ``{invoice line: [(attendance, periods), ...]}``, where ``periods`` is what the
        attendance had to settle (its periods to invoice, its rows locked by the run): once settled
        it has none left, and its billing state follows from what it has been billed. An attendance's
        first charge (no invoice line yet, periods charged, nothing being corrected) is written on the
        attendance alone; anything else is an adjustment. The attendance's write stamps stay those of
        the last roll-call edit (and no foreign key on the user is checked per row): who billed it and
        when are the invoice's and the run's.
        """
        adjustments = []
        attendance_ids, billed, invoice_lines = [], [], []
        for line, attendance_periods in links.items():
            for attendance, periods in attendance_periods:
                if periods != attendance.periods_to_invoice:
                    raise ValidationError(
                        self.env._(
                            "Attendance %(attendance)s changed while it was being invoiced; run the invoicing again.",
                            attendance=attendance.id,
                        )
                    )
                first_charge = (
                    periods > 0
                    and not attendance.invoice_line_id
                    and not attendance.correction_reason
                )
                if not first_charge:
                    adjustments.append(
                        {
                            "attendance_id": attendance.id,
                            "move_line_id": line.id,
                            "periods": periods,
                            "correction_reason": attendance.correction_reason,
                        }
                    )
                attendance_ids.append(attendance.id)
                billed.append(attendance.billed_periods + periods)
                invoice_lines.append(
                    attendance.invoice_line_id.id or (line.id if periods > 0 else None)
                )
        if not attendance_ids:
            return
        # the few adjustments of a batch (corrections, charges after a cancelled invoice)
        self.env["afterschool.billing.adjustment"].sudo().create(adjustments)
        self.env["afterschool.attendance"]._write_settled_billing(
            attendance_ids, billed, invoice_lines
        )
        self._invalidate_history()

    def _stored_adjustments(self):
        """The adjustments these entries are (even ids, see init); first charges have none."""
        return self.env["afterschool.billing.adjustment"].browse(
            entry_id // 2 for entry_id in self.ids if not entry_id % 2
        )

    def _invalidate_history(self):
        """The history is a view of the attendance and its adjustments: what was read of it (and
        the relations that list it) is stale once billing has written either."""
        self.invalidate_model()
        self.env["afterschool.attendance"].invalidate_model(["billing_entry_ids"])
        self.env["account.move"].invalidate_model(
            ["afterschool_entry_ids", "afterschool_entry_count"]
        )

    def _release(self):
        """Give these entries' periods back to their attendance (their invoice was cancelled or
        deleted): the next run bills them again."""
        if not self:
            return
        entries = self.sudo()
        released_lines = entries.move_line_id
        kept = entries.search(
            [
                ("attendance_id", "in", entries.attendance_id.ids),
                ("id", "not in", entries.ids),
            ]
        )
        last_charge = {
            entry.attendance_id: entry.move_line_id
            for entry in kept
            if entry.periods > 0
        }
        released = defaultdict(int)
        for entry in entries:
            released[entry.attendance_id] += entry.periods
        updates = defaultdict(lambda: self.env["afterschool.attendance"])
        for attendance, periods in released.items():
            invoice_line = attendance.invoice_line_id
            if invoice_line in released_lines:
                invoice_line = last_charge.get(attendance, invoice_line.browse())
            updates[attendance.billed_periods - periods, invoice_line] |= attendance
        # a first charge is the attendance's own: released by rewriting the attendance below
        entries._stored_adjustments().unlink()
        self._write_attendance(updates)
        self._invalidate_history()

    @api.model
    def _write_attendance(self, updates):
        """Write the billed periods and invoice line of attendance grouped by their new values.

        This is billing keeping its own trail: it writes through the attendance's server-side billing path
        (_write_billing), which no client reaches. A settled correction's reason has moved to its adjustment.
        """
        for (billed_periods, invoice_line), attendances in updates.items():
            attendances._write_billing(
                {
                    "billed_periods": billed_periods,
                    "invoice_line_id": invoice_line.id,
                    "correction_reason": False,
                }
            )
