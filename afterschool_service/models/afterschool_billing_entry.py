from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL
from odoo.tools.sql import drop_index, make_index_name


class AfterschoolBillingEntry(models.Model):
    """How many periods of one attendance one invoice line billed (positive) or credited (negative).

    The trail of billing: an attendance's billed periods are the sum of its entries, and cancelling
    or deleting an invoice gives its entries' periods back to the attendance for the next run.
    """

    _name = "afterschool.billing.entry"
    _description = "After-School Billing Entry"
    _order = "id"
    # One entry per billed attendance: no creation and write stamps of its own (two more columns
    # and foreign keys per row); its invoice and run say who billed it and when.
    _log_access = False

    # no index of its own: the unique (attendance, invoice line) index serves it
    attendance_id = fields.Many2one(
        "afterschool.attendance",
        string="Attendance",
        required=True,
        ondelete="restrict",
        readonly=True,
    )
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice Line",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    move_id = fields.Many2one(
        related="move_line_id.move_id",
        string="Invoice",
        store=True,
        index=True,
        precompute=True,
    )
    periods = fields.Integer(
        required=True,
        readonly=True,
        help="Positive when invoiced, negative when credited.",
    )
    correction_reason = fields.Text(
        string="Correction",
        readonly=True,
        help="Why the billed attendance was corrected (Correct Attendance), when this entry settles a correction.",
    )
    # not stored: a column (and a foreign key checked on every billed attendance) for what the
    # attendance already says
    company_id = fields.Many2one(related="attendance_id.company_id")
    student_id = fields.Many2one(related="attendance_id.student_id", string="Student")
    date = fields.Date(related="attendance_id.date")
    group_id = fields.Many2one(related="attendance_id.group_id", string="Group")
    attendance_state = fields.Selection(
        related="attendance_id.state", string="Attendance Now"
    )

    _sql_constraints = [
        (
            "attendance_line_uniq",
            "unique(attendance_id, move_line_id)",
            "An invoice line bills an attendance once.",
        ),
    ]

    def init(self):
        """An entry is written per billed attendance: indexes of earlier versions that no query
        walks (the attendance, covered by the unique index) are dropped, and so is the school
        column of earlier versions (the attendance says it)."""
        res = super().init()
        drop_index(
            self.env.cr, make_index_name(self._table, "attendance_id"), self._table
        )
        self.env.cr.execute(
            SQL(
                "ALTER TABLE %s DROP COLUMN IF EXISTS company_id",
                SQL.identifier(self._table),
            )
        )
        return res

    # ------------------------------------------------------------------ business
    @api.model
    def _create_for_lines(self, links):
        """Record what the new invoice lines bill and update the attendance: one INSERT and one
        UPDATE per batch, in SQL (a month is one entry and one attendance update per child and day).

        ``links``: ``{invoice line: [(attendance, periods), ...]}``, where ``periods`` is what the
        attendance had to settle (its periods to invoice, its rows locked by the run): once settled
        it has none left, and its billing state follows from what it has been billed.
        """
        entries = defaultdict(list)
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
                entries["attendance_id"].append(attendance.id)
                entries["move_line_id"].append(line.id)
                entries["move_id"].append(line.move_id.id)
                entries["periods"].append(periods)
                entries["correction_reason"].append(
                    attendance.correction_reason or None
                )
                attendance_ids.append(attendance.id)
                billed.append(attendance.billed_periods + periods)
                invoice_lines.append(
                    attendance.invoice_line_id.id or (line.id if periods > 0 else None)
                )
        if not attendance_ids:
            return
        Attendance = self.env["afterschool.attendance"]
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
            INSERT INTO afterschool_billing_entry (attendance_id, move_line_id, move_id, periods, correction_reason)
            SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::text[])
            """,
                *entries.values(),
            )
        )
        self.env.cr.execute(
            SQL(
                """
            UPDATE afterschool_attendance a
               SET billed_periods = settled.billed, invoice_line_id = settled.line,
                   periods_to_invoice = 0,
                   billing_state = CASE WHEN settled.billed = 0 THEN 'none' ELSE 'invoiced' END,
                   correction_reason = NULL, write_uid = %s, write_date = %s
              FROM unnest(%s::int[], %s::int[], %s::int[]) AS settled(id, billed, line)
             WHERE a.id = settled.id
            """,
                self.env.uid,
                self.env.cr.now(),
                attendance_ids,
                billed,
                invoice_lines,
            )
        )
        Attendance.invalidate_model(
            [
                "billed_periods",
                "invoice_line_id",
                "periods_to_invoice",
                "billing_state",
                "correction_reason",
                "billing_entry_ids",
                "write_uid",
                "write_date",
            ]
        )
        self.invalidate_model()

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
        entries.unlink()
        self._write_attendance(updates)

    @api.model
    def _write_attendance(self, updates):
        """Write the billed periods and invoice line of attendance grouped by their new values.

        This is billing keeping its own trail: it writes through the attendance's server-side billing path
        (_write_billing), which no client reaches. A settled correction's reason has moved to its entry.
        """
        for (billed_periods, invoice_line), attendances in updates.items():
            attendances._write_billing(
                {
                    "billed_periods": billed_periods,
                    "invoice_line_id": invoice_line.id,
                    "correction_reason": False,
                }
            )
