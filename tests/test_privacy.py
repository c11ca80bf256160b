"""Privacy: a finished term's student data is archived; the addon talks to no outside service."""

import pathlib
import re
from datetime import date

from odoo.exceptions import UserError

from .service_common import ServiceCase

ADDON = pathlib.Path(__file__).resolve().parent.parent / "afterschool_service"


class TestArchiveTerm(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ming = cls.create_student("Xiao Ming")
        cls.application = cls.enrol(cls.ming, cls.chess)
        cls.term.action_generate_sessions()
        cls.session = cls.env["afterschool.session"].search(
            [("group_id", "=", cls.chess.id), ("date", "=", date(2026, 12, 1))]
        )
        cls.session.action_mark_all_present()

    def test_only_a_closed_term_is_archived(self):
        with self.assertRaisesMessage(UserError, "Only a closed term can be archived"):
            self.term.with_user(self.manager).action_archive()
        self.assertTrue(self.term.active)
        self.assertTrue(self.application.active)

    def test_archive_and_restore_the_students_data(self):
        Attendance = self.env["afterschool.attendance"].with_context(active_test=False)
        lines = Attendance.search([("term_id", "=", self.term.id)])
        self.assertTrue(lines)
        self.assertTrue(self.ming.with_user(self.teacher).is_my_student)
        self.term.action_close()
        self.term.with_user(self.manager).action_archive()
        self.assertFalse(self.term.active)
        self.assertFalse(self.chess.active)
        self.assertFalse(self.application.active)
        self.assertFalse(any(lines.mapped("active")))
        self.assertFalse(
            self.env["afterschool.attendance"].search(
                [("student_id", "=", self.ming.id)]
            ),
            "off the everyday screens",
        )
        self.assertEqual(
            self.session.present_count, 1, "the supervision ledger keeps its headcounts"
        )
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.teacher)
            .search([("id", "=", self.ming.id)]),
            "the teacher no longer sees the student through the archived term",
        )
        self.term.with_user(self.manager).action_unarchive()
        self.assertTrue(
            self.term.active and self.chess.active and self.application.active
        )
        self.assertTrue(all(lines.mapped("active")))
        self.assertTrue(
            self.env["res.partner"]
            .with_user(self.teacher)
            .search([("id", "=", self.ming.id)])
        )


class TestNothingLeavesTheSchool(ServiceCase):
    def test_no_outside_service_is_called(self):
        """No telemetry: the addon's code opens no connection of its own (mail goes through Odoo's server)."""
        network = re.compile(
            r"^\s*(import|from)\s+(requests|urllib|urllib3|http\.client|httpx|aiohttp|socket|smtplib|ftplib|xmlrpc)\b"
            r"|iap_jsonrpc|\biap\b|urlopen\(",
            re.MULTILINE,
        )
        offenders = [
            str(path.relative_to(ADDON))
            for path in ADDON.rglob("*.py")
            if network.search(path.read_text())
        ]
        offenders += [
            str(path.relative_to(ADDON))
            for path in ADDON.rglob("*.js")
            if re.search(
                r"\bfetch\(\s*['\"]https?://|navigator\.sendBeacon", path.read_text()
            )
        ]
        self.assertEqual(offenders, [])
