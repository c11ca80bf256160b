"""Invoices a parent understands (issue 11, item 9): the days attended, a due date from the school's
setting, the waiver visible as a discount."""

from datetime import date

from .common import BillingCase


class TestInvoiceForParents(BillingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"].search(
            [("name", "=", "afterschool_service")]
        )._update_translations("zh_CN")
        cls.wang = cls.create_guardian("王芳", lang="zh_CN")
        cls.ming = cls.create_student("王明", cls.wang, waiver=50.0)
        cls.attend(cls.reading, date(2026, 11, 3), {cls.ming: "present"})
        cls.attend(cls.reading, date(2026, 11, 4), {cls.ming: "absent"})
        cls.attend(cls.chess, date(2026, 11, 5), {cls.ming: "present"})

    def test_attended_days_due_date_and_waiver(self):
        self.company.afterschool_invoice_due_days = 15
        invoice = self.run_invoicing().invoice_ids
        self.assertIn(
            "王明的出勤日期：11月3日和11月5日",
            str(invoice.narration),
            "the days attended, in Chinese",
        )
        self.assertNotIn("11月4日", str(invoice.narration), "an absence is not listed")
        self.assertEqual(invoice.invoice_date, date(2026, 11, 30))
        self.assertEqual(
            invoice.invoice_date_due,
            date(2026, 12, 15),
            "due after the school's days to pay",
        )
        self.assertEqual(invoice.invoice_line_ids.discount, 50.0)
        invoice.action_post()
        self.assertEqual(
            invoice.invoice_date_due, date(2026, 12, 15), "posting keeps the due date"
        )

    def test_invoice_form_shows_the_waiver(self):
        arch = self.env["account.move"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        self.assertRegex(arch, r'<field name="discount"[^>]*optional="show"')
