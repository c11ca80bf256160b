"""Real PDFs with Chinese glyphs (issue 11, item 7): the posting list, the agreement and the invoice are
rendered by wkhtmltopdf and their text, read back with pdftotext, holds the Chinese title and a child's name."""

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import unittest
from datetime import date
from unittest.mock import patch

import polib

from odoo import Command
from odoo.tests import HttpCase

from odoo.addons.afterschool_service.models.ir_actions_report import (
    wkhtmltopdf_prints_headers,
)

from .common import AfterschoolCase, DemoCase, load_chinese

MODULE = "afterschool_service"
# CJK radicals that some fonts' text mapping gives instead of the character (NFKC covers the Kangxi ones).
CJK_RADICALS = str.maketrans(
    {"⻓": "长", "⻔": "门", "⻚": "页", "⻋": "车", "⻅": "见", "⻜": "飞", "⻢": "马"}
)
PO_PATH = os.path.join(os.path.dirname(__file__), "..", MODULE, "i18n", "zh_CN.po")


def chinese(msgid):
    """The zh_CN translation of a term, as the file has it."""
    return polib.pofile(PO_PATH).find(msgid).msgstr


def pdf_text(pdf):
    """The text of a PDF, compacted (no spaces) and normalised (the CJK fonts map some characters to
    Kangxi radicals: ⼦ for 子)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", file.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return compact(text)


def compact(text):
    """Text as compared with a PDF's: normalised, without spaces, and without ASCII (the Latin web font of
    the reports carries no text mapping in Debian's wkhtmltopdf; the CJK font does)."""
    text = unicodedata.normalize("NFKC", text).translate(CJK_RADICALS)
    return re.sub(r"[\x00-\x7f]", "", "".join(text.split()))


@unittest.skipUnless(
    shutil.which("wkhtmltopdf") and shutil.which("pdftotext"),
    "wkhtmltopdf and pdftotext are installed by scripts/_prepare.sh when run as root",
)
class TestPdfReports(HttpCase, DemoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.demo_school = cls.env.ref("afterschool_service.res_company_demo")
        cls.term = cls.env.ref("afterschool_service.afterschool_term_demo")

    def render(self, report, records):
        pdf, kind = (
            self.env["ir.actions.report"]
            .with_context(lang="zh_CN", force_report_rendering=True)
            ._render_qweb_pdf(report, records.ids)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        return pdf_text(pdf)

    def assertLetterhead(self, text):
        """The page opens with the school's letterhead: its name, then its address (Debian's wkhtmltopdf
        prints no separate header, so it must be in the page)."""
        self.assertTrue(
            text.startswith(compact(self.demo_school.name)),
            "the letterhead opens the page: %s" % text[:40],
        )
        address = compact(" ".join([self.demo_school.city, self.demo_school.street]))
        self.assertIn(address, text[:80])

    def test_posting_list_pdf(self):
        applications = self.env["afterschool.application"].search(
            [
                ("term_id", "=", self.term.id),
                ("state", "in", ("published", "enrolled")),
            ],
            limit=30,
        )
        text = self.render(
            "afterschool_service.afterschool_posting_report", applications
        )
        self.assertIn(
            compact(chinese("Posting List of the After-School Service")), text
        )
        self.assertIn(self.demo_school.name, text)
        self.assertIn(
            compact(
                chinese(
                    "Posting period: from %(date_from)s to %(date_to)s (%(days)s working days)."
                ).split("%")[0]
            ),
            text,
        )
        student = applications[:1].student_id
        masked = applications[:1]._get_posting_name()
        self.assertIn(compact(masked), text, "names are masked by default")
        self.assertNotIn(student.name, text)
        self.demo_school.afterschool_posting_full_names = True
        text = self.render(
            "afterschool_service.afterschool_posting_report", applications
        )
        self.assertIn(student.name, text, "the school may print full names")
        self.assertGreater(
            len(set(applications.class_id)), 1, "several classes print as one document"
        )

    def test_agreement_pdf_in_the_guardians_language(self):
        agreement = self.env["afterschool.agreement"].search(
            [("term_id", "=", self.term.id), ("state", "=", "draft")], limit=1
        )
        agreement.guardian_id.lang = "zh_CN"
        agreement._render_body()
        text = self.render(
            "afterschool_service.afterschool_agreement_report", agreement
        )
        self.assertIn(
            compact(chinese("After-School Service Entrustment Agreement")), text
        )
        self.assertLetterhead(text)
        self.assertIn(agreement.student_id.name, text)
        self.assertIn(agreement.guardian_id.name, text)
        for section in (
            "一、服务目的",
            "二、服务原则",
            "三、服务时间",
            "四、服务内容",
            "五、组织管理",
            "六、收费标准",
            "按月据实结算",
            "七、学校的权利和义务",
            "八、家长(监护人)的权利和义务",
        ):
            self.assertIn(compact(section), text, "the complete Chinese standard text")

    def test_agreements_print_as_one_document(self):
        """Several agreements print together (Debian's wkhtmltopdf renders one input), each with its letterhead."""
        agreements = self.env["afterschool.agreement"].search(
            [("term_id", "=", self.term.id), ("state", "=", "draft")], limit=2
        )
        self.assertEqual(len(agreements), 2)
        agreements.guardian_id.lang = "zh_CN"
        agreements._render_body()
        text = self.render(
            "afterschool_service.afterschool_agreement_report", agreements
        )
        self.assertLetterhead(text)
        self.assertEqual(text.count(compact(self.demo_school.street)), 2)
        for agreement in agreements:
            self.assertIn(agreement.student_id.name, text)

    def afterschool_invoice(self):
        """The demo school's November invoice (as the demo was written, where the install moved it) of
        a child who attended, for a Chinese guardian."""
        november = self.demo_day(date(2026, 11, 1)), self.demo_day(date(2026, 11, 30))
        student = (
            self.env["afterschool.attendance"]
            .search(
                [
                    ("session_id.company_id", "=", self.demo_school.id),
                    ("state", "=", "present"),
                    ("date", ">=", november[0]),
                    ("date", "<=", november[1]),
                ],
                limit=1,
            )
            .student_id
        )
        guardian = student.invoice_guardian_id
        guardian.lang = "zh_CN"
        run = (
            self.env["afterschool.invoice.run"]
            .with_context(allowed_company_ids=self.demo_school.ids)
            .create(
                {
                    "company_id": self.demo_school.id,
                    "date_from": november[0],
                    "date_to": november[1],
                    "origin": "manual",
                }
            )
        )
        run._execute()
        invoice = self.env["account.move"].search(
            [
                ("partner_id", "=", guardian.id),
                ("move_type", "=", "out_invoice"),
                ("company_id", "=", self.demo_school.id),
            ],
            limit=1,
        )
        self.assertTrue(invoice, "the demo school's November attendance is invoiced")
        return invoice, student

    def test_invoice_pdf(self):
        invoice, student = self.afterschool_invoice()
        text = self.render("account.account_invoices", invoice)
        self.assertIn(compact(self.demo_school.name), text)
        if not self.env["ir.actions.report"]._afterschool_pdf_prints_headers():
            self.assertLetterhead(
                text
            )  # else the layout's own header prints the school
        self.assertIn(student.name, text)
        self.assertIn("课后服务", text)

    def test_invoice_letterhead_only_where_the_header_is_lost(self):
        """The letterhead goes in the page of after-school invoices printed as PDF by a wkhtmltopdf without
        headers; the HTML preview and other invoices keep Odoo's layout untouched (no letterhead twice)."""
        invoice, _student = self.afterschool_invoice()
        other = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "company_id": self.demo_school.id,
                "partner_id": invoice.partner_id.id,
                "invoice_line_ids": [
                    Command.create({"name": "Books", "quantity": 1, "price_unit": 20})
                ],
            }
        )
        Report = self.env["ir.actions.report"].with_context(lang="zh_CN")

        def letterheads(move, report_type):
            html = Report._render_qweb_html(
                "account.account_invoices", move.ids, data={"report_type": report_type}
            )[0].decode()
            return html.count("o_afterschool_letterhead")

        in_page = not Report._afterschool_pdf_prints_headers()
        self.assertEqual(letterheads(invoice, "pdf"), 1 if in_page else 0)
        self.assertEqual(
            letterheads(invoice, "html"), 0, "the preview shows the header"
        )
        self.assertEqual(letterheads(other, "pdf"), 0, "other invoices are Odoo's")


class TestWithoutWkhtmltopdf(AfterschoolCase):
    """Where wkhtmltopdf is missing, every action that needs a document still works, as HTML, with a note."""

    def test_documents_fall_back_to_html(self):
        Report = self.env["ir.actions.report"]
        agreement = self.env["afterschool.agreement"].search(
            [
                (
                    "term_id",
                    "=",
                    self.env.ref("afterschool_service.afterschool_term_demo").id,
                ),
                ("state", "=", "draft"),
            ],
            limit=1,
        )
        agreement.guardian_id.email = (
            agreement.guardian_id.email or "guardian@example.com"
        )
        with patch.object(
            type(Report), "get_wkhtmltopdf_state", lambda self: "install"
        ):
            content, kind = Report.with_context(
                force_report_rendering=True
            )._render_qweb_pdf(
                "afterschool_service.afterschool_agreement_report", agreement.ids
            )
            self.assertEqual(kind, "html")
            self.assertIn(agreement.student_id.name, content.decode())
            action = agreement.action_send()
        self.assertEqual(
            action["tag"],
            "display_notification",
            "the user is told why there is no PDF",
        )
        self.assertEqual(agreement.state, "sent")
        # Without a PDF the email carries the agreement's text itself (and says why).
        sent = agreement.message_ids.filtered(
            lambda message: message.message_type == "comment"
        )[:1]
        self.assertIn(agreement.student_id.name, sent.body)
        self.assertFalse(
            sent.attachment_ids.filtered(
                lambda attachment: attachment.name.endswith(".pdf")
            )
        )

    def test_which_wkhtmltopdf_prints_headers(self):
        """Only builds with patched Qt print the layout's separate header; Debian's prints none."""
        self.assertTrue(
            wkhtmltopdf_prints_headers("wkhtmltopdf 0.12.6 (with patched qt)\n")
        )
        self.assertTrue(
            wkhtmltopdf_prints_headers("wkhtmltopdf 0.12.6.1 (with patched qt)")
        )
        self.assertFalse(wkhtmltopdf_prints_headers("wkhtmltopdf 0.12.6\n"))
        self.assertFalse(wkhtmltopdf_prints_headers(""))

    def test_posting_name_is_masked(self):
        Application = self.env["afterschool.application"]
        for name, masked in (
            ("张子涵", "张*涵"),
            ("王磊", "王*"),
            ("欧阳子涵", "欧**涵"),
            ("Li Ming", "Li M."),
        ):
            student = self.env["res.partner"].create({"name": name})
            self.assertEqual(
                Application.new({"student_id": student.id})._get_posting_name(), masked
            )
