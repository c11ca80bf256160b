"""Spreadsheets are downloaded with their type: Odoo does not sniff them (which logged two
BadZipFile warnings per download)."""

from datetime import date

from odoo.tests import HttpCase, tagged

from odoo.addons.afterschool_service.wizards.afterschool_ledger_export import (
    XLSX_MIMETYPE,
)

from .service_common import ServiceCase


@tagged("post_install", "-at_install", "afterschool")
class TestXlsxDownloads(ServiceCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.enrol(cls.create_student("Xiao Ming"), cls.chess)
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
