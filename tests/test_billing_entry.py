from datetime import date

from odoo.exceptions import AccessError

from .common import BillingCase

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


class TestBillingHistory(BillingCase):
    """The billing history (afterschool.billing.entry) reads an attendance's first charge from the
    attendance and stores only what came after it (afterschool.billing.adjustment); it always adds
    up to what the attendance was billed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wang = cls.create_guardian("Wang Fang")
        cls.ming = cls.create_student("Wang Ming", cls.wang)
        cls.hong = cls.create_student("Wang Hong", cls.wang)
        cls.day1 = cls.attend(
            cls.reading, date(2026, 11, 3), {cls.ming: "present", cls.hong: "present"}
        )
        cls.day2 = cls.attend(
            cls.reading, date(2026, 11, 4), {cls.ming: "present", cls.hong: "absent"}
        )
        cls.attendance = (cls.day1 | cls.day2).attendance_ids

    def history(self, attendance):
        return [
            (entry.move_line_id, entry.periods, entry.correction_reason or False)
            for entry in attendance.billing_entry_ids
        ]

    def assertHistoryAddsUp(self):
        """Every attendance's history sums to its billed periods, and no two rows share an id."""
        entries = self.env["afterschool.billing.entry"].search(
            [("attendance_id", "in", self.attendance.ids)]
        )
        self.assertEqual(len(set(entries.ids)), len(entries))
        self.assertTrue(all(entry_id > 0 for entry_id in entries.ids))
        for attendance in self.attendance:
            self.assertEqual(
                sum(attendance.billing_entry_ids.mapped("periods")),
                attendance.billed_periods,
                attendance.display_name,
            )

    def test_a_first_charge_is_the_attendances_own(self):
        run = self.run_invoicing(*NOVEMBER)
        invoice = run.invoice_ids
        billed = self.attendance.filtered(lambda a: a.state == "present")
        self.assertFalse(
            self.env["afterschool.billing.adjustment"].search(
                [("attendance_id", "in", self.attendance.ids)]
            ),
            "a first charge stores no second row beside the attendance",
        )
        for attendance in billed:
            self.assertEqual(
                self.history(attendance), [(attendance.invoice_line_id, 2, False)]
            )
            self.assertEqual(attendance.billing_entry_ids.move_id, invoice)
            self.assertEqual(
                attendance.billing_entry_ids.student_id, attendance.student_id
            )
        self.assertEqual(invoice.afterschool_entry_count, 3)
        self.assertEqual(invoice.afterschool_entry_ids.attendance_id, billed)
        action = invoice.action_view_afterschool_entries()
        self.assertEqual(
            self.env["afterschool.billing.entry"]
            .search(action["domain"])
            .attendance_id,
            billed,
        )
        self.assertHistoryAddsUp()

    def test_corrections_and_cancellations_keep_the_history(self):
        invoice = self.run_invoicing(*NOVEMBER).invoice_ids
        invoice.action_post()
        hong_day1 = self.day1.attendance_ids.filtered(
            lambda a: a.student_id == self.hong
        )
        first_line = hong_day1.invoice_line_id

        # present turned absent: credited, stored as an adjustment with its reason
        self.correct_attendance(self.day1, self.hong, "absent")
        credit_note = self.run_invoicing(*DECEMBER).invoice_ids
        credit_line = credit_note.invoice_line_ids
        self.assertEqual(
            self.history(hong_day1),
            [
                (first_line, 2, False),
                (credit_line, -2, "Corrected after the invoice was sent"),
            ],
        )
        self.assertEqual(
            self.env["afterschool.billing.adjustment"]
            .search([("attendance_id", "=", hong_day1.id)])
            .mapped("periods"),
            [-2],
        )
        self.assertHistoryAddsUp()

        # and back to present: charged again, an adjustment too (the first charge stays the first)
        self.correct_attendance(self.day1, self.hong, "present")
        recharge = self.run_invoicing(*NOVEMBER).invoice_ids
        recharge_line = recharge.invoice_line_ids
        self.assertEqual(
            [periods for __, periods, __ in self.history(hong_day1)], [2, -2, 2]
        )
        self.assertEqual(self.history(hong_day1)[2][0], recharge_line)
        self.assertEqual(hong_day1.invoice_line_id, first_line)
        self.assertHistoryAddsUp()

        # the first invoice cancelled (after a reversal): its charges are given back, the rest stays
        invoice.button_draft()
        invoice.button_cancel()
        self.assertEqual(
            [(line, periods) for line, periods, __ in self.history(hong_day1)],
            [(credit_line, -2), (recharge_line, 2)],
        )
        self.assertEqual(hong_day1.invoice_line_id, recharge_line)
        self.assertEqual(hong_day1.billed_periods, 0)
        self.assertEqual(hong_day1.billing_state, "to_invoice")
        ming = self.attendance.filtered(lambda a: a.student_id == self.ming)
        self.assertFalse(ming.billing_entry_ids)
        self.assertEqual(set(ming.mapped("billing_state")), {"to_invoice"})
        self.assertHistoryAddsUp()

        # a run of November again charges what was given back: never twice, and it still adds up
        self.run_invoicing(*NOVEMBER)
        self.assertEqual(set(ming.mapped("billed_periods")), {2})
        self.assertEqual(hong_day1.billed_periods, 2)
        self.assertHistoryAddsUp()

    def test_a_deleted_draft_gives_back_its_first_charges(self):
        invoice = self.run_invoicing(*NOVEMBER).invoice_ids
        invoice.unlink()
        billed = self.attendance.filtered(lambda a: a.state == "present")
        self.assertFalse(billed.billing_entry_ids)
        self.assertEqual(set(billed.mapped("billing_state")), {"to_invoice"})
        self.assertFalse(billed.invoice_line_id)
        self.assertEqual(len(self.run_invoicing(*NOVEMBER).invoice_ids), 1)
        self.assertHistoryAddsUp()

    def test_the_history_is_read_only_and_the_adjustments_the_systems(self):
        self.run_invoicing(*NOVEMBER)
        entries = self.attendance.billing_entry_ids
        self.assertTrue(entries.with_user(self.accountant).read(["periods"]))
        self.assertTrue(entries.with_user(self.manager).read(["periods"]))
        for user in (self.accountant, self.manager, self.teacher):
            for operation in ("write", "create", "unlink"):
                self.assertFalse(
                    entries.with_user(user).has_access(operation),
                    f"{user.login} {operation}",
                )
        with self.assertRaises(AccessError):
            entries.with_user(self.teacher).read(["periods"])
        Adjustment = self.env["afterschool.billing.adjustment"]
        for user in (self.accountant, self.manager, self.teacher):
            for operation in ("read", "write", "create", "unlink"):
                self.assertFalse(
                    Adjustment.with_user(user).has_access(operation),
                    f"{user.login} {operation} adjustment",
                )
