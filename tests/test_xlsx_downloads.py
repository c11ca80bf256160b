"""Spreadsheets are downloaded with their type: Odoo does not sniff them (which logged two
BadZipFile warnings per download)."""

import base64
import io
import re
from datetime import date

import openpyxl

from odoo.tests import HttpCase, tagged

from odoo.addons.afterschool_service.tools.xlsx import (
    XLSX_MIMETYPE,
)

from .service_common import ServiceCase


@tagged("post_install", "-at_install", "afterschool")
class TestXlsxDownloads(ServiceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.student = cls.create_student("Xiao Ming")
        cls.enrol(cls.student, cls.chess)
        cls.term.action_generate_sessions()
        september = cls.env["afterschool.session"].search(
            [("term_id", "=", cls.term.id), ("date", "<", date(2026, 10, 1))]
        )
        september.action_mark_all_present()
        september.write({"content": "Homework and chess practice"})
        september.action_done()

    def download(self, user, action):
        self.authenticate(user.login, user.login)
        with self.assertNoLogs("odoo.tools.mimetypes", "WARNING"):
            response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        self.assertEqual(response.content[:2], b"PK")

    def test_supervision_ledger(self):
        wizard = (
            self.env["afterschool.ledger.export"]
            .with_user(self.manager)
            .create(
                {
                    "term_id": self.term.id,
                    "company_id": self.company.id,
                    "date_from": date(2026, 9, 1),
                    "date_to": date(2026, 9, 30),
                }
            )
        )
        self.download(self.manager, wizard.action_export())

    def test_attendance_sheet(self):
        wizard = (
            self.env["afterschool.attendance.sheet"]
            .with_user(self.teacher)
            .create({"group_id": self.chess.id, "month": date(2026, 9, 15)})
        )
        self.download(self.teacher, wizard.action_export())

    def workbooks(self, lang):
        """Every spreadsheet the addon exports, as its readers get them in that language."""
        ledger = (
            self.env["afterschool.ledger.export"]
            .with_user(self.manager)
            .with_context(lang=lang)
            .create(
                {
                    "term_id": self.term.id,
                    "company_id": self.company.id,
                    "date_from": date(2026, 9, 1),
                    "date_to": date(2026, 9, 30),
                }
            )
        )
        ledger.action_export()
        sheet = (
            self.env["afterschool.attendance.sheet"]
            .with_user(self.teacher)
            .with_context(lang=lang)
            .create({"group_id": self.chess.id, "month": date(2026, 9, 15)})
        )
        sheet.action_export()
        district = (
            self.env["afterschool.district.report"]
            .with_user(self.manager)
            .with_context(lang=lang, allowed_company_ids=self.company.ids)
            .create({"date_from": date(2026, 9, 1), "date_to": date(2026, 9, 30)})
        )
        district.action_export_xlsx()
        records = (
            self.env["afterschool.student.records"]
            .with_user(self.manager)
            .with_context(lang=lang)
            ._build_workbook(self.student)
        )
        contents = {
            "ledger": base64.b64decode(ledger.file),
            "attendance sheet": base64.b64decode(sheet.file),
            "district figures": base64.b64decode(district.file),
            "student records": records,
        }
        return {
            name: openpyxl.load_workbook(io.BytesIO(content))
            for name, content in contents.items()
        }

    def texts(self, book):
        """The sheet names and every text cell of a workbook."""
        texts = list(book.sheetnames)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                texts += [value for value in row if isinstance(value, str)]
        return texts

    def test_dates_in_the_readers_language(self):
        """No export shows ISO dates (2026-09-01, 2026-09): a Chinese reader gets 2026年9月, 9月1日 周二 and
        times as 16:30, an English reader Sep 2026, Tue, Sep 1."""
        self.env["res.lang"]._activate_lang("zh_CN")
        for lang, month, day in (
            ("zh_CN", "2026年9月", r"^9月\d{1,2}日 周[一二三四五六日]$"),
            ("en_US", "Sep 2026", r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), Sep \d{1,2}$"),
        ):
            books = self.workbooks(lang)
            for name, book in books.items():
                texts = self.texts(book)
                iso = [text for text in texts if re.search(r"\d{4}-\d{2}", text)]
                self.assertFalse(iso, "%s (%s) shows ISO dates" % (name, lang))
                seconds = [t for t in texts if re.search(r"\d{2}:\d{2}:\d{2}", t)]
                self.assertFalse(
                    seconds, "%s (%s): times without seconds" % (name, lang)
                )
            for name in ("ledger", "attendance sheet"):
                self.assertIn(month, books[name].sheetnames, name)
            ledger = self.texts(books["ledger"])
            self.assertTrue([text for text in ledger if re.match(day, text)], lang)
            records = self.texts(books["student records"])
            self.assertTrue([text for text in records if re.match(day, text)], lang)
            district = self.texts(books["district figures"])
            self.assertIn(month, district, "the month column of the district figures")
