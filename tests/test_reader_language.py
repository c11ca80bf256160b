"""Names are composed when read, in the reader's language, not frozen in the creator's (issue 11, item 2)."""

import io
import re
from datetime import date, timedelta

import openpyxl

from .common import DemoCase, load_chinese

CHINESE_DAY = re.compile(r"\d{1,2}月\d{1,2}日 周[一二三四五六日]")


def zh_month_day(day):
    return f"{day.month}月{day.day}日"


def zh_day(day):
    """11月27日 周五, as a Chinese school writes a day."""
    return f"{zh_month_day(day)} 周{'一二三四五六日'[day.weekday()]}"


class TestReaderLanguage(DemoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        cls.term = cls.env.ref("afterschool_service.afterschool_term_demo")
        # Friday 27 November 2026 as the demo was written, where the install moved it
        cls.friday = cls.demo_day(date(2026, 11, 27))
        cls.session = cls.env["afterschool.session"].search(
            [("term_id", "=", cls.term.id), ("date", "=", cls.friday)], limit=1
        )
        cls.application = cls.env["afterschool.application"].search(
            [("term_id", "=", cls.term.id)], limit=1
        )

    def test_session_reads_in_each_language(self):
        self.assertTrue(
            self.session, "the demo term has sessions on its Friday 27 November 2026"
        )
        chinese = self.session.with_context(lang="zh_CN").display_name
        self.assertIn(zh_day(self.friday), chinese)
        self.assertIn("周五", chinese)
        self.assertIn(self.session.group_id.with_context(lang="zh_CN").name, chinese)
        self.assertFalse(re.search(r"[A-Za-z]", chinese), chinese)
        english = self.session.with_context(lang="en_US").display_name
        self.assertIn(f"Fri, {self.friday:%b} {self.friday.day}", english)
        self.assertIn(self.session.group_id.with_context(lang="en_US").name, english)

    def test_application_and_agreement_read_in_each_language(self):
        term_zh = self.term.with_context(lang="zh_CN").name
        self.assertTrue(
            re.search(r"[\u4e00-\u9fff]", term_zh), "the demo term has a Chinese name"
        )
        agreement = self.env["afterschool.agreement"].search(
            [("term_id", "=", self.term.id)], limit=1
        )
        for record in (self.application, agreement):
            self.assertEqual(
                record.with_context(lang="zh_CN").display_name,
                "%s / %s" % (record.student_id.name, term_zh),
            )
            self.assertEqual(
                record.with_context(lang="en_US").display_name,
                "%s / %s"
                % (record.student_id.name, self.term.with_context(lang="en_US").name),
            )

    def test_leave_and_incident_dates_read_in_chinese(self):
        leave = self.env["afterschool.leave"].new(
            {
                "student_id": self.application.student_id.id,
                "date_from": self.friday,
                "date_to": self.friday + timedelta(days=1),
            }
        )
        self.assertEqual(
            leave.with_context(lang="zh_CN").display_name,
            "%s %s–%s"
            % (
                self.application.student_id.name,
                zh_day(self.friday),
                zh_day(self.friday + timedelta(days=1)),
            ),
        )
        incident = self.env["afterschool.incident"].new({"session_id": self.session.id})
        self.assertTrue(
            CHINESE_DAY.search(incident.with_context(lang="zh_CN").display_name)
        )

    def test_calendar_event_in_the_teachers_language(self):
        """The teacher reads the event: named in the teacher's language whoever planned the session."""
        teacher = self.session.teacher_id
        teacher.lang = "zh_CN"
        values = (
            self.env["afterschool.session"]
            .with_context(lang="en_US")
            ._prepare_event_values(
                self.session.group_id,
                self.session.start,
                self.session.stop,
                teacher,
                self.session.venue_id,
            )
        )
        self.assertEqual(
            values["name"], self.session.group_id.with_context(lang="zh_CN").name
        )
        self.assertFalse(
            re.search(
                r"[A-Za-z]",
                values["name"] + values["description"] + (values["location"] or ""),
            ),
            values,
        )

    def test_demo_school_reads_chinese(self):
        """The demo school, its users and its families use zh_CN and Asia/Shanghai; weeks start on Monday."""
        lang = self.env["res.lang"]._lang_get("zh_CN")
        self.assertEqual((lang.week_start, lang.short_time_format), ("1", "%H:%M"))
        for xmlid in (
            "user_coordinator_demo",
            "user_teacher1_demo",
            "user_parent1_demo",
        ):
            user = self.env.ref("afterschool_service." + xmlid)
            self.assertEqual((user.lang, user.tz), ("zh_CN", "Asia/Shanghai"), xmlid)
        zihan = self.env.ref("afterschool_service.res_partner_student_zhang_zihan_demo")
        self.assertEqual(set(zihan.guardian_ids.mapped("lang")), {"zh_CN"})
        self.assertEqual(
            self.env.ref("afterschool_service.res_company_demo").partner_id.lang,
            "zh_CN",
        )

    def test_records_workbook_reads_chinese(self):
        """The family's Excel export in zh_CN: Chinese sheets and headers, days as 11月27日 周五, times as 17:45."""
        zixuan = self.env.ref(
            "afterschool_service.res_partner_student_wang_zixuan_demo"
        )
        content = (
            self.env["afterschool.student.records"]
            .with_context(lang="zh_CN", tz="Asia/Shanghai")
            ._build_workbook(zixuan)
        )
        book = openpyxl.load_workbook(io.BytesIO(content))
        for sheet in book.worksheets:
            self.assertFalse(re.search(r"[A-Za-z]", sheet.title), sheet.title)
            header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
            self.assertFalse(
                [value for value in header if re.search(r"[A-Za-z]{2,}", value or "")],
                header,
            )
        attendance = list(book.worksheets[2].values)[1:]
        self.assertTrue(attendance, "王梓萱 attends since September")
        self.assertTrue(
            all(CHINESE_DAY.fullmatch(row[0]) for row in attendance), attendance[:3]
        )
        self.assertTrue(
            all(re.fullmatch(r"\d{2}:\d{2}", row[4]) for row in attendance if row[4]),
            attendance[:3],
        )

    def test_agreement_text_in_the_guardians_language(self):
        """The standard agreement, rendered for a Chinese guardian: Chinese text, days and times."""
        agreement = self.env["afterschool.agreement"].search(
            [("term_id", "=", self.term.id), ("state", "=", "draft")], limit=1
        )
        agreement.guardian_id.lang = "zh_CN"
        agreement._render_body()
        body = str(agreement.body)
        for expected in (
            "课后服务委托协议",
            "一、服务目的",
            "按月据实结算",
            "%s–%s 16:30–18:00"
            % (
                zh_month_day(self.demo_day(date(2026, 9, 1))),
                zh_month_day(self.demo_day(date(2026, 10, 31))),
            ),
            "%s–%s 16:20–17:50"
            % (
                zh_month_day(self.demo_day(date(2026, 11, 1))),
                zh_month_day(self.demo_day(date(2027, 1, 22))),
            ),
            agreement.student_id.name,
        ):
            self.assertIn(expected, body)
        self.assertNotIn("{{", body)
