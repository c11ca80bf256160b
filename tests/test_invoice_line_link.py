from datetime import date

from odoo.exceptions import ValidationError

from .common import BillingCase

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))


class TestInvoiceLineLink(BillingCase):
    """An attendance is linked to the invoice line that billed it without a foreign key (a check
    per billed child and day); the database still clears the link of a deleted line, and billing
    links only lines that exist."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.li = cls.create_guardian("Li Na")
        cls.lei = cls.create_student("Li Lei", cls.li)
        cls.session = cls.attend(cls.reading, date(2026, 11, 3), {cls.lei: "present"})
        cls.attendance = cls.session.attendance_ids

    def test_deleting_a_line_in_the_database_clears_the_link(self):
        """Even a deletion that skips the ORM (and its release of the attendance) leaves no
        attendance pointing at a line that is gone."""
        invoice = self.run_invoicing(*NOVEMBER).invoice_ids
        line = self.attendance.invoice_line_id
        self.assertEqual(line.move_id, invoice)
        other = self.create_student("Li Ming", self.li)
        other_session = self.attend(self.chess, date(2026, 11, 4), {other: "present"})
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM account_move_line WHERE move_id = %s", [invoice.id]
        )
        self.env.invalidate_all()
        self.assertFalse(self.attendance.invoice_line_id)
        self.assertEqual(self.attendance.billed_periods, 2, "billing's own count stays")
        self.assertFalse(
            other_session.attendance_ids.invoice_line_id,
            "attendance of other lines untouched",
        )

    def test_deleting_lines_that_bill_nothing_changes_no_attendance(self):
        invoice = self.run_invoicing(*NOVEMBER).invoice_ids
        line = self.attendance.invoice_line_id
        receivable = invoice.line_ids.filtered(
            lambda move_line: move_line.display_type == "payment_term"
        )
        self.env.flush_all()
        self.env.cr.execute(
            "DELETE FROM account_move_line WHERE id = ANY(%s)", [receivable.ids]
        )
        self.env.invalidate_all()
        self.assertEqual(self.attendance.invoice_line_id, line)

    def test_billing_links_only_a_line_that_exists(self):
        """What the foreign key checked, billing's one writing path checks (and locks the line)."""
        invoice = self.run_invoicing(*NOVEMBER).invoice_ids
        line = self.attendance.invoice_line_id
        self.env.cr.execute("SELECT max(id) + 1000 FROM account_move_line")
        missing = self.env.cr.fetchone()[0]
        with self.assertRaises(ValidationError):
            self.attendance._write_billing({"invoice_line_id": missing})
        self.env.invalidate_all()
        self.assertEqual(self.attendance.invoice_line_id, line)
        # an existing line is linked (the release of a cancelled invoice does this)
        self.attendance._write_billing({"invoice_line_id": line.id})
        self.assertEqual(self.attendance.invoice_line_id.move_id, invoice)

    def test_the_link_has_no_foreign_key_and_a_trigger(self):
        """The schema this relies on, as install and upgrade leave it."""
        self.env.cr.execute(
            """SELECT count(*) FROM pg_constraint
                WHERE conrelid = 'afterschool_attendance'::regclass AND contype = 'f'
                  AND conname = 'afterschool_attendance_invoice_line_id_fkey'"""
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute(
            """SELECT tgrelid::regclass::text FROM pg_trigger
                WHERE tgname = 'afterschool_attendance_invoice_line_set_null'"""
        )
        self.assertEqual(self.env.cr.fetchall(), [("account_move_line",)])

    def test_archiving_a_term_archives_its_attendance(self):
        """Term and group are indexed by block range now; the term's archiving still finds its rows."""
        self.term._set_student_data_active(False)
        self.assertFalse(self.attendance.active)
        self.term._set_student_data_active(True)
        self.assertTrue(self.attendance.active)
