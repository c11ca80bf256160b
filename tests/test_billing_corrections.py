from datetime import date

from odoo.exceptions import UserError

from .common import BillingCase

NOVEMBER = (date(2026, 11, 1), date(2026, 11, 30))
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))


class TestBillingCorrections(BillingCase):
    """Attendance that changes after it was billed is settled by the next run, with a trail;
    cancelled or deleted invoices give their attendance back."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wang = cls.create_guardian("Wang Fang")
        cls.ming = cls.create_student("Wang Ming", cls.wang)
        cls.hong = cls.create_student("Wang Hong", cls.wang, waiver=50.0)
        cls.day1 = cls.attend(
            cls.reading, date(2026, 11, 3), {cls.ming: "present", cls.hong: "present"}
        )
        cls.day2 = cls.attend(
            cls.reading, date(2026, 11, 4), {cls.ming: "present", cls.hong: "absent"}
        )
        cls.day3 = cls.attend(
            cls.chess, date(2026, 11, 5), {cls.ming: "present", cls.hong: "present"}
        )

    def setUp(self):
        super().setUp()
        self.run = self.run_invoicing(*NOVEMBER)
        self.invoice = self.run.invoice_ids
        self.invoice.action_post()

    def test_present_turned_absent_is_credited(self):
        self.assertEqual(
            self.invoice.amount_total, 28.0
        )  # Ming 6 × 3.5 + Hong 4 × 3.5 × 50%
        attendance = self.correct_attendance(self.day1, self.hong, "absent")
        self.assertEqual(
            (attendance.billing_state, attendance.periods_to_invoice),
            ("to_correct", -2),
        )
        original_line = attendance.invoice_line_id

        # the next run, here December's, settles November's change with a credit note
        run = self.run_invoicing(*DECEMBER)
        credit_note = run.invoice_ids
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "partner_id": self.wang.id,
                    "reversed_entry_id": self.invoice.id,
                    "ref": "Correction of %s" % self.invoice.name,
                    "invoice_date": date(2026, 12, 31),
                    "state": "draft",
                }
            ],
        )
        self.assertRecordValues(
            credit_note.invoice_line_ids,
            [
                {
                    "afterschool_student_id": self.hong.id,
                    "quantity": 2.0,
                    "price_unit": 3.5,
                    "discount": 50.0,
                    "price_subtotal": 3.5,
                }
            ],
        )
        self.assertEqual(
            credit_note.invoice_line_ids.name,
            "Wang Hong – periods no longer due, November 2026 (Autumn Test Term: Reading Room), invoice %s"
            % self.invoice.name,
        )
        # the trail: billed by the original line, credited by the credit note's; nothing left to settle
        self.assertEqual(attendance.invoice_line_id, original_line)
        self.assertEqual(
            (attendance.billed_periods, attendance.billing_state), (0, "none")
        )
        self.assertEqual(attendance.billing_entry_ids.mapped("periods"), [2, -2])
        self.assertEqual(
            attendance.billing_entry_ids.move_id, self.invoice | credit_note
        )
        credit_note.action_post()
        self.assertEqual(self.hong.afterschool_amount_due, 3.5)
        self.assertFalse(self.run_invoicing(*DECEMBER).invoice_ids)

    def test_absent_turned_present_adds_a_line_referencing_the_invoice(self):
        attendance = self.correct_attendance(self.day2, self.hong, "present")
        self.assertEqual(attendance.billing_state, "to_invoice")
        run = self.run_invoicing(*DECEMBER)
        self.assertRecordValues(
            run.invoice_ids, [{"move_type": "out_invoice", "partner_id": self.wang.id}]
        )
        self.assertRecordValues(
            run.invoice_ids.invoice_line_ids,
            [
                {
                    "afterschool_student_id": self.hong.id,
                    "quantity": 2.0,
                    "price_unit": 3.5,
                    "discount": 50.0,
                }
            ],
        )
        self.assertEqual(
            run.invoice_ids.invoice_line_ids.name,
            "Wang Hong – additional periods, November 2026 (Autumn Test Term: Reading Room), invoice %s"
            % self.invoice.name,
        )
        self.assertEqual(attendance.invoice_line_id, run.invoice_ids.invoice_line_ids)
        self.assertEqual(attendance.billing_state, "invoiced")

    def test_longer_session_bills_the_difference(self):
        self.day3.periods = 3
        run = self.run_invoicing(*NOVEMBER)
        self.assertRecordValues(
            run.invoice_ids.invoice_line_ids.sorted(
                lambda line: line.afterschool_student_id.name
            ),
            [
                {
                    "afterschool_student_id": self.hong.id,
                    "quantity": 1.0,
                    "discount": 50.0,
                },
                {
                    "afterschool_student_id": self.ming.id,
                    "quantity": 1.0,
                    "discount": 0.0,
                },
            ],
        )
        self.assertIn("additional periods", run.invoice_ids.invoice_line_ids[0].name)
        self.assertEqual(set(self.day3.attendance_ids.mapped("billed_periods")), {3})

    def test_cancelled_invoice_releases_its_attendance(self):
        billed = (self.day1 | self.day2 | self.day3).attendance_ids.filtered(
            lambda a: a.state == "present"
        )
        self.invoice.button_cancel()
        self.assertEqual(self.invoice.state, "cancel")
        self.assertEqual(set(billed.mapped("billing_state")), {"to_invoice"})
        self.assertFalse(billed.invoice_line_id)
        self.assertFalse(billed.billing_entry_ids)
        with self.assertRaisesMessage(UserError, "would bill those periods twice"):
            self.invoice.button_draft()
        rerun = self.run_invoicing(*NOVEMBER)
        self.assertEqual(rerun.invoice_ids.amount_total, 28.0)
        self.assertEqual(billed.invoice_line_id.move_id, rerun.invoice_ids)
        self.assertIn(
            "after-school service, November 2026",
            rerun.invoice_ids.invoice_line_ids[0].name,
        )

    def test_deleted_draft_releases_its_attendance(self):
        self.day1.periods = 1
        correction = self.run_invoicing(*NOVEMBER).invoice_ids
        self.assertEqual(correction.move_type, "out_refund")
        credited = self.day1.attendance_ids
        self.assertEqual(set(credited.mapped("billed_periods")), {1})
        correction.unlink()
        self.assertEqual(set(credited.mapped("billed_periods")), {2})
        self.assertEqual(set(credited.mapped("billing_state")), {"to_correct"})
        self.assertEqual(
            len(self.run_invoicing(*NOVEMBER).invoice_ids.invoice_line_ids), 2
        )
        self.assertEqual(set(credited.mapped("billing_state")), {"invoiced"})

    def test_cancelled_session_is_credited(self):
        self.day3.with_user(self.manager).action_cancel()
        credit_note = self.run_invoicing(*DECEMBER).invoice_ids
        self.assertEqual(credit_note.move_type, "out_refund")
        self.assertEqual(
            sorted(credit_note.invoice_line_ids.mapped("quantity")), [2.0, 2.0]
        )
