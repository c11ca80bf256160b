import base64
import io
from datetime import date

import openpyxl

from .service_common import ServiceCase


class LedgerCase(ServiceCase):
    """Two months of sessions held, with content and attendance, and the ledger export."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.students = [
            cls.create_student(name) for name in ("Xiao Ming", "Xiao Hong", "Xiao Gang")
        ]
        cls.reading = cls.create_group(
            "Reading Room", cls.teacher_2, cls.room_b, days=("wed",)
        )
        # One application per student and term: Xiao Ming's places both groups.
        cls.enrol(cls.students[0], cls.chess | cls.reading)
        for student in cls.students[1:]:
            cls.enrol(student, cls.chess)
        cls.term.action_generate_sessions()
        # Sep–Oct: everyone present except Xiao Hong, absent on the first session of each week.
        sessions = cls.env["afterschool.session"].search(
            [
                ("term_id", "=", cls.term.id),
                ("date", "<", date(2026, 11, 1)),
                ("state", "=", "planned"),
            ]
        )
        sessions.action_mark_all_present()
        sessions.filtered(lambda s: s.date.weekday() == 1).attendance_ids.filtered(
            lambda line: line.student_id == cls.students[1]
        ).action_absent()
        sessions.write({"content": "Homework and chess practice"})
        sessions.action_done()

    def export(self, lang="en_US", **values):
        wizard = (
            self.env["afterschool.ledger.export"]
            .with_user(self.manager)
            .with_context(lang=lang)
            .create(
                dict(
                    {
                        "term_id": self.term.id,
                        "company_id": self.company.id,
                        "date_from": date(2026, 9, 1),
                        "date_to": date(2026, 10, 31),
                    },
                    **values,
                )
            )
        )
        action = wizard.action_export()
        self.assertIn(
            "/web/content/afterschool.ledger.export/%s/file/" % wizard.id, action["url"]
        )
        return openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))


class TestLedgerExport(LedgerCase):
    def test_sheets_per_month_and_totals_equal_the_database(self):
        book = self.export()
        self.assertEqual(book.sheetnames, ["Summary", "Sep 2026", "Oct 2026"])
        Session = self.env["afterschool.session"]
        for month, (first, last) in {
            "Sep 2026": (date(2026, 9, 1), date(2026, 9, 30)),
            "Oct 2026": (date(2026, 10, 1), date(2026, 10, 31)),
        }.items():
            sheet = book[month]
            self.assertEqual(
                [cell.value for cell in sheet[2]][:5],
                ["Date", "Group", "Kind", "Venue", "Teacher"],
            )
            total_row = [cell.value for cell in sheet[sheet.max_row]]
            self.assertEqual(total_row[0], "Total")
            sessions = Session.search(
                [
                    ("term_id", "=", self.term.id),
                    ("state", "!=", "cancelled"),
                    ("date", ">=", first),
                    ("date", "<=", last),
                ]
            )
            self.assertEqual(sheet.max_row - 3, len(sessions))
            self.assertEqual(total_row[8], sum(sessions.mapped("planned_count")))
            self.assertEqual(total_row[9], sum(sessions.mapped("present_count")))
            present_lines = self.env["afterschool.attendance"].search_count(
                [("session_id", "in", sessions.ids), ("state", "=", "present")]
            )
            self.assertEqual(total_row[9], present_lines)
            self.assertEqual(sheet.freeze_panes, "A3")
        summary = book["Summary"]
        rows = [[cell.value for cell in row] for row in summary.iter_rows(min_row=3)]
        self.assertEqual(
            [row[:2] for row in rows[:-1]],
            [["Chess Club", self.teacher.name], ["Reading Room", self.teacher_2.name]],
        )
        done = Session.search([("term_id", "=", self.term.id), ("state", "=", "done")])
        self.assertEqual(
            rows[-1][2:5],
            [
                len(done),
                sum(done.mapped("planned_count")),
                sum(done.mapped("present_count")),
            ],
        )
        self.assertAlmostEqual(
            rows[-1][5],
            sum(done.mapped("present_count")) / sum(done.mapped("planned_count")),
        )
        self.assertGreater(summary.column_dimensions["A"].width, 15)

    def test_filter_by_teacher(self):
        book = self.export(teacher_ids=[(6, 0, self.teacher_2.ids)])
        rows = [
            [cell.value for cell in row] for row in book["Summary"].iter_rows(min_row=3)
        ]
        self.assertEqual([row[0] for row in rows], ["Reading Room", "Total"])

    def test_text_is_written_as_text(self):
        """What a teacher types is never read as a formula by the spreadsheet (=HYPERLINK…)."""
        session = self.env["afterschool.session"].search(
            [("term_id", "=", self.term.id), ("date", "<", date(2026, 10, 1))],
            order="date, id",
            limit=1,
        )
        session.content = '=HYPERLINK("http://example.com", "click")'
        sheet = self.export().worksheets[1]
        cells = [row[10] for row in sheet.iter_rows(min_row=3) if row[10].value]
        self.assertIn(
            '=HYPERLINK("http://example.com", "click")', [c.value for c in cells]
        )
        self.assertEqual({cell.data_type for cell in cells}, {"s"})

    def test_chinese_headers_for_chinese_users(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        book = self.export(lang="zh_CN")
        self.assertEqual(book.sheetnames[0], "汇总")
        sheet = book["2026年9月"]
        self.assertEqual(
            [cell.value for cell in sheet[2]][8:10], ["计划人数", "实到人数"]
        )
        self.assertEqual(sheet.cell(sheet.max_row, 1).value, "合计")

    def first_session(self, month):
        return self.env["afterschool.session"].search(
            [
                ("term_id", "=", self.term.id),
                ("state", "!=", "cancelled"),
                ("date", ">=", month),
            ],
            order="date, start",
            limit=1,
        )

    def test_chinese_dates_for_chinese_users(self):
        """Months, days and times as a Chinese school writes them: 2026年9月, 9月1日 周二, 16:30."""
        self.env["res.lang"]._activate_lang("zh_CN")
        book = self.export(lang="zh_CN")
        self.assertEqual(book.sheetnames, ["汇总", "2026年9月", "2026年10月"])
        self.assertEqual(
            book["汇总"].cell(1, 1).value, "监管台账 2026年9月1日 – 2026年10月31日"
        )
        sheet = book["2026年10月"]
        self.assertEqual(sheet.cell(1, 1).value, "监管台账 2026年10月")
        session = self.first_session(date(2026, 10, 1))
        weekday = "一二三四五六日"[session.date.weekday()]
        self.assertEqual(
            sheet.cell(3, 1).value, "10月%s日 周%s" % (session.date.day, weekday)
        )
        for column in (6, 7):
            self.assertRegex(sheet.cell(3, column).value, r"^\d{2}:\d{2}$")

    def test_english_dates_for_english_users(self):
        book = self.export(lang="en_US")
        self.assertEqual(
            book["Summary"].cell(1, 1).value,
            "Supervision Ledger Sep 1, 2026 – Oct 31, 2026",
        )
        sheet = book["Oct 2026"]
        self.assertEqual(sheet.cell(1, 1).value, "Supervision Ledger Oct 2026")
        session = self.first_session(date(2026, 10, 1))
        self.assertEqual(
            sheet.cell(3, 1).value,
            "%s, Oct %s" % (session.date.strftime("%a"), session.date.day),
        )

    def test_monthly_attendance_sheet_grid(self):
        wizard = (
            self.env["afterschool.attendance.sheet"]
            .with_user(self.teacher)
            .create({"group_id": self.chess.id, "month": date(2026, 9, 15)})
        )
        wizard.action_export()
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.file)))[
            "Sep 2026"
        ]
        sessions = self.chess.session_ids.filtered(
            lambda s: s.date.month == 9 and s.state != "cancelled"
        ).sorted("date")
        header = [cell.value for cell in sheet[3]]
        self.assertEqual(
            header[2 : 2 + len(sessions)], [s.date.strftime("%d") for s in sessions]
        )
        rows = {
            row[0].value: [cell.value for cell in row]
            for row in sheet.iter_rows(min_row=4)
        }
        lines = sessions.attendance_ids
        for student in self.students:
            student_lines = lines.filtered(
                lambda line, student=student: line.student_id == student
            )
            present = len(student_lines.filtered(lambda line: line.state == "present"))
            absent = len(student_lines.filtered(lambda line: line.state == "absent"))
            self.assertEqual(
                rows[student.name][2 + len(sessions) : 2 + len(sessions) + 2],
                [present, absent],
            )
        totals = rows["Present"]
        self.assertEqual(
            totals[2 + len(sessions)],
            len(lines.filtered(lambda line: line.state == "present")),
        )
        self.assertEqual(
            totals[2 : 2 + len(sessions)], [s.present_count for s in sessions]
        )
        self.assertEqual(rows[self.students[1].name][2], "×")

    def test_each_group_counts_its_own_placed_students(self):
        """The summary's groups: Xiao Ming's one application places him in both; each group's
        placed students are its own, read in one grouped query."""
        placed = (self.chess | self.reading)._get_placed_students()
        self.assertEqual(
            placed[self.chess.id],
            self.students[0] | self.students[1] | self.students[2],
        )
        self.assertEqual(placed[self.reading.id], self.students[0])
        self.assertEqual(list(self.reading._get_placed_students()), [self.reading.id])
        self.assertEqual((self.chess.student_count, self.reading.student_count), (3, 1))


class TestSpreadsheetsKeepTextAsText(LedgerCase):
    """A teacher who names themself =HYPERLINK(…) put a live formula in the coordinator's and the
    officer's workbooks (#23): every workbook the addon writes keeps what users typed as text."""

    TYPED = ('=HYPERLINK("http://example.com","点此查看")', "+1+1", "-2+3", "@SUM(1,2)")

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.teacher.sudo().name = cls.TYPED[0]
        cls.chess.name = cls.TYPED[1]
        cls.students[0].name = cls.TYPED[2]
        cls.env["afterschool.session"].search(
            [("group_id", "=", cls.chess.id), ("state", "=", "done")]
        ).write({"content": cls.TYPED[3]})

    def assertTextOnly(self, book, expected):
        cells = [
            cell
            for sheet in book.worksheets
            for row in sheet.iter_rows()
            for cell in row
        ]
        self.assertFalse(
            [cell.coordinate for cell in cells if cell.data_type == "f"], "no formula"
        )
        texts = {cell.value for cell in cells if cell.data_type == "s"}
        for typed in expected:
            self.assertTrue(
                any(typed in (text or "") for text in texts), f"{typed!r} kept as text"
            )

    def test_every_workbook_keeps_typed_text(self):
        # the ledger names teachers and groups and prints the content, never a child
        self.assertTextOnly(
            self.export(), (self.TYPED[0], self.TYPED[1], self.TYPED[3])
        )
        sheet = (
            self.env["afterschool.attendance.sheet"]
            .with_user(self.teacher)
            .create({"group_id": self.chess.id, "month": date(2026, 10, 1)})
        )
        sheet.action_export()
        self.assertTextOnly(
            openpyxl.load_workbook(io.BytesIO(base64.b64decode(sheet.file))),
            self.TYPED[2:3],
        )
        records = self.env["afterschool.student.records"]._build_workbook(
            self.students[0]
        )
        self.assertTextOnly(
            openpyxl.load_workbook(io.BytesIO(records)), self.TYPED[1:3]
        )
