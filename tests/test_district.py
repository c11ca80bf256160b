"""The district's and the inspector's view (issue 15): the district officer, the district figures,
inspections, the needs survey and family satisfaction, on two schools."""

import base64
import io
from collections import Counter
from datetime import date, timedelta

import openpyxl

from odoo import Command, fields
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user

from odoo.addons.afterschool_service.tools.dates import format_month
from odoo.addons.afterschool_service.wizards.afterschool_district_report_line import (
    FIGURE_COLUMNS,
)

from .common import BillingCase, DemoCase, school_today, school_user

OFFICER_GROUP = "afterschool_service.group_afterschool_district_officer"


class DistrictCase(BillingCase):
    """Two schools (A: the BillingCase school, B: a second one), each with a class of grade 3, a term
    around today, two groups, enrolled and waiting children, sessions with attendance, a duty,
    an incident; a district officer allowed in both."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = school_today()
        cls.school_a = cls.company
        cls.school_b = cls._create_company(
            name="Second Primary School", currency_id=cls.env.ref("base.CNY").id
        )
        cls.setup_school_accounting(cls.school_b)
        cls.env.user.company_ids |= cls.school_b
        cls.officer = new_test_user(
            cls.env,
            "as_officer",
            groups=OFFICER_GROUP,
            company_id=cls.school_a.id,
            company_ids=[Command.set((cls.school_a | cls.school_b).ids)],
            tz="Asia/Shanghai",
        )
        cls.officer_a = new_test_user(
            cls.env,
            "as_officer_a",
            groups=OFFICER_GROUP,
            company_id=cls.school_a.id,
            company_ids=[Command.set(cls.school_a.ids)],
            tz="Asia/Shanghai",
        )
        cls.manager_b = new_test_user(
            cls.env,
            "as_manager_b",
            groups="afterschool_service.group_afterschool_manager",
            company_id=cls.school_b.id,
            company_ids=[Command.set(cls.school_b.ids)],
            tz="Asia/Shanghai",
        )
        cls.a = cls.build_school(cls.school_a, cls.head_teacher, cls.teacher, "A")
        cls.b = cls.build_school(cls.school_b, cls.manager_b, cls.manager_b, "B")

    @classmethod
    def build_school(cls, company, head_teacher, teacher, tag):
        env = cls.env(context=dict(cls.env.context, allowed_company_ids=company.ids))
        start = cls.today - timedelta(days=70)
        end = cls.today + timedelta(days=60)
        term = env["afterschool.term"].create(
            {
                "name": f"Term {tag}",
                "company_id": company.id,
                "date_start": start,
                "date_end": end,
                "window_ids": [
                    Command.create(
                        {
                            "date_from": start,
                            "date_to": end,
                            "hour_from": 16.5,
                            "hour_to": 18.0,
                        }
                    )
                ],
            }
        )
        term.action_open()
        klass = env["afterschool.class"].create(
            {
                "name": f"3-{tag}",
                "grade": 3,
                "head_teacher_id": head_teacher.id,
                "company_id": company.id,
            }
        )
        other_class = env["afterschool.class"].create(
            {"name": f"5-{tag}", "grade": 5, "company_id": company.id}
        )
        Group = env["afterschool.activity.group"]
        reading = Group.create(
            {
                "name": f"Reading {tag}",
                "term_id": term.id,
                "kind": "reading",
                "capacity": 2,
                "teacher_id": teacher.id,
                "tue": True,
                "wed": False,
                "thu": False,
                "fri": False,
            }
        )
        chess = Group.create(
            {
                "name": f"Chess {tag}",
                "term_id": term.id,
                "kind": "club",
                "capacity": 10,
                "teacher_id": teacher.id,
                "tue": False,
                "wed": True,
                "thu": False,
                "fri": False,
            }
        )
        Partner = env["res.partner"]
        students = Partner
        for index in range(4):
            guardian = Partner.create(
                {
                    "name": f"Parent {tag}{index}",
                    "email": f"p{tag}{index}@example.com",
                    "company_id": company.id,
                }
            )
            students |= Partner.create(
                {
                    "name": f"Child {tag}{index}",
                    "is_student": True,
                    "class_id": klass.id,
                    "company_id": company.id,
                    "guardian_ids": [Command.set(guardian.ids)],
                    "left_behind": index == 0,
                    "financial_hardship": index in (1, 3),
                }
            )
        Partner.create(
            {
                "name": f"Older {tag}",
                "is_student": True,
                "class_id": other_class.id,
                "company_id": company.id,
            }
        )
        # applications: three into reading (capacity 2), one into chess
        Application = env["afterschool.application"]
        applications = Application.create(
            [
                {
                    "student_id": student.id,
                    "guardian_id": student.guardian_ids.id,
                    "term_id": term.id,
                    "requested_group_ids": [Command.set(group.ids)],
                }
                for student, group in zip(students, [reading, reading, reading, chess])
            ]
        )
        applications.action_submit()
        applications.action_class_approve()
        applications.action_school_approve()
        applications._allocate()
        placed = applications.filtered("group_ids")
        placed.action_publish()
        for agreement in placed.agreement_id:
            agreement.action_sign(agreement.guardian_id.name)
        # sessions in the past with attendance, two closed with content, one left planned
        present, absent = placed.student_id[:2], placed.student_id[2:]
        marks = {student: "present" for student in present}
        marks.update({student: "absent" for student in absent})
        sessions = env["afterschool.session"]
        for weeks_ago in (1, 2, 5):
            day = cls.today - timedelta(days=7 * weeks_ago)
            session = cls.attend(reading, day, dict(marks))
            session.teacher_id = teacher
            sessions |= session
        sessions[:2].write({"content": "阅读"})
        sessions[:2].action_done()
        sessions[:1].attendance_ids.filtered(lambda line: line.state == "present")[
            :1
        ].late_pickup = True
        env["afterschool.incident"].create(
            {
                "session_id": sessions[0].id,
                "description": "Fell in the corridor",
                "student_id": present[0].id,
            }
        )
        rotation = env["afterschool.duty.rotation"].create(
            {"term_id": term.id, "grade": 3, "teacher_ids": [Command.set(teacher.ids)]}
        )
        env["afterschool.duty"].create(
            [
                {
                    "rotation_id": rotation.id,
                    "date": day,
                    "teacher_id": teacher.id,
                    "start": fields.Datetime.now(),
                    "stop": fields.Datetime.now(),
                }
                for day in (
                    cls.today - timedelta(days=1),
                    cls.today - timedelta(days=8),
                )
            ]
        )
        return {
            "term": term,
            "class": klass,
            "reading": reading,
            "chess": chess,
            "students": students,
            "applications": applications,
            "sessions": sessions,
            "teacher": teacher,
            "env": env,
        }

    def figures(self, user=None, companies=None, date_from=None, date_to=None):
        user = user or self.officer
        companies = companies or (self.school_a | self.school_b)
        report = (
            self.env["afterschool.district.report"]
            .with_user(user)
            .with_context(allowed_company_ids=companies.ids)
            .create(
                {
                    "date_from": date_from or self.today - timedelta(days=90),
                    "date_to": date_to or self.today + timedelta(days=60),
                }
            )
        )
        rows = report._compute_figures()
        by_figure = {}
        for row in rows:
            by_figure.setdefault(row["figure"], []).append(row)
        return report, by_figure


class TestDistrictFigures(DistrictCase):
    def test_participation_per_school_grade_and_month(self):
        _report, figures = self.figures()
        rows = {
            (r["company_id"], r["grade"], r["month"]): r
            for r in figures["participation"]
        }
        month = self.today.strftime("%Y-%m")
        for school, data in ((self.school_a, self.a), (self.school_b, self.b)):
            enrolled = data["applications"].filtered(
                lambda app: app.state == "enrolled"
            )
            grade_3 = self.env["res.partner"].search_count(
                [
                    ("is_student", "=", True),
                    ("class_id.company_id", "=", school.id),
                    ("class_id.grade", "=", 3),
                ]
            )
            row = rows[school.id, 3, month]
            self.assertEqual((row["count_a"], row["count_b"]), (len(enrolled), grade_3))
            self.assertAlmostEqual(row["rate"], len(enrolled) / grade_3)
            # enrolled today: nobody in the months before (but those whose enrolment, dated by
            # the server, fell on the last day of the month before the school's today)
            first = self.today.replace(day=1)
            previous = (first - timedelta(days=1)).strftime("%Y-%m")
            self.assertEqual(
                rows[school.id, 3, previous]["count_a"],
                len(enrolled.filtered(lambda app: app.date_enrolled < first)),
            )
            self.assertEqual(rows[school.id, 5, month]["count_a"], 0)
            self.assertEqual(rows[school.id, 5, month]["count_b"], 1)

    def test_priority_coverage_counts_only(self):
        _report, figures = self.figures()
        for school, data in ((self.school_a, self.a), (self.school_b, self.b)):
            [row] = [r for r in figures["priority"] if r["company_id"] == school.id]
            apps = data["applications"].sudo()
            left_behind = apps.filtered(lambda app: app.student_id.left_behind)
            hardship = apps.filtered(lambda app: app.student_id.financial_hardship)
            self.assertEqual(row["count_a"], len(left_behind))
            self.assertEqual(row["count_b"], len(left_behind.filtered("group_ids")))
            self.assertEqual(row["count_c"], len(hardship))
            self.assertEqual(row["count_d"], len(hardship.filtered("group_ids")))
            self.assertNotIn("student_id", row)
        # priority first: the left-behind child got one of the two reading places
        self.assertTrue(
            self.a["applications"]
            .sudo()
            .filtered(lambda app: app.student_id.left_behind)
            .group_ids
        )

    def test_sessions_ledger_attendance_late_pickups_incidents(self):
        _report, figures = self.figures()
        Session = self.env["afterschool.session"]
        Attendance = self.env["afterschool.attendance"]
        for school in (self.school_a, self.school_b):

            def by_month(rows, school=school):
                return {r["month"]: r for r in rows if r["company_id"] == school.id}

            sessions = Session.search([("company_id", "=", school.id)])
            months = Counter(s.date.strftime("%Y-%m") for s in sessions)
            for month, count in months.items():
                row = by_month(figures["sessions"])[month]
                held = len(
                    sessions.filtered(
                        lambda s, m=month: (
                            s.state == "done" and s.date.strftime("%Y-%m") == m
                        )
                    )
                )
                self.assertEqual((row["count_a"], row["count_b"]), (count, held))
                if held:
                    ledger = by_month(figures["ledger"])[month]
                    self.assertEqual(
                        (ledger["count_a"], ledger["count_b"]), (held, held)
                    )
            lines = Attendance.search([("company_id", "=", school.id)])
            for month in {line.date.strftime("%Y-%m") for line in lines}:
                month_lines = lines.filtered(
                    lambda line, m=month: line.date.strftime("%Y-%m") == m
                )
                [row] = [
                    r
                    for r in figures["attendance"]
                    if r["company_id"] == school.id and r["month"] == month
                ]
                self.assertEqual(
                    row["count_a"],
                    len(month_lines.filtered(lambda line: line.state == "present")),
                )
                self.assertEqual(row["count_b"], len(month_lines.filtered("state")))
                self.assertEqual(
                    row["count_c"],
                    len(month_lines.filtered(lambda line: line.state == "absent")),
                )
                late = by_month(figures["late_pickup"])[month]
                self.assertEqual(
                    late["count_a"], len(month_lines.filtered("late_pickup"))
                )
            incidents = self.env["afterschool.incident"].search(
                [("company_id", "=", school.id)]
            )
            self.assertEqual(
                sum(
                    r["count_a"]
                    for r in figures["incidents"]
                    if r["company_id"] == school.id
                ),
                len(incidents),
            )

    def test_teachers_periods_teaching_and_duty(self):
        _report, figures = self.figures()
        for school, data in ((self.school_a, self.a), (self.school_b, self.b)):
            rows = [
                r for r in figures["teacher_periods"] if r["company_id"] == school.id
            ]
            self.assertEqual({r["teacher_id"] for r in rows}, {data["teacher"].id})
            done = data["sessions"].filtered(lambda s: s.state == "done")
            self.assertEqual(
                sum(r["count_a"] for r in rows), sum(done.mapped("periods"))
            )
            duties = self.env["afterschool.duty"].search(
                [("company_id", "=", school.id), ("date", "<=", self.today)]
            )
            self.assertEqual(
                sum(r["count_b"] for r in rows),
                len(duties) * data["term"].periods_per_day,
            )
            self.assertEqual(
                sum(r["count_c"] for r in rows),
                sum(r["count_a"] + r["count_b"] for r in rows),
            )

    def test_fees_invoiced_paid_outstanding(self):
        month_start = self.today.replace(day=1) - timedelta(days=1)
        month_start = month_start.replace(day=1)
        month_end = self.today.replace(day=1) - timedelta(days=1)
        run = self.run_invoicing(month_start, month_end)
        invoices = run.invoice_ids
        self.assertTrue(invoices)
        invoices.action_post()
        _report, figures = self.figures()
        rows = [r for r in figures["fees"] if r["company_id"] == self.school_a.id]
        self.assertEqual(sum(r["count_a"] for r in rows), len(invoices))
        self.assertAlmostEqual(
            sum(r["amount_a"] for r in rows),
            sum(invoices.mapped("amount_total_signed")),
        )
        self.assertAlmostEqual(
            sum(r["amount_c"] for r in rows),
            sum(invoices.mapped("amount_residual_signed")),
        )
        self.assertFalse(
            [r for r in figures["fees"] if r["company_id"] == self.school_b.id]
        )

    def test_one_query_per_figure_for_all_schools(self):
        report = (
            self.env["afterschool.district.report"]
            .with_user(self.officer)
            .with_context(allowed_company_ids=(self.school_a | self.school_b).ids)
            .create(
                {"date_from": self.today - timedelta(days=90), "date_to": self.today}
            )
        )
        report._compute_figures()  # warm the caches of the access checks
        figures = len(report.line_ids._fields["figure"].selection)
        before = self.env.cr.sql_log_count
        report._compute_figures()
        self.assertLessEqual(self.env.cr.sql_log_count - before, figures + 2)

    def test_schools_the_user_is_not_in_stay_out(self):
        _report, figures = self.figures(user=self.officer_a, companies=self.school_a)
        self.assertEqual(
            {r["company_id"] for rows in figures.values() for r in rows},
            {self.school_a.id},
        )
        with self.assertRaises(AccessError):
            self.figures(user=self.officer_a, companies=self.school_a | self.school_b)

    def test_who_may_see_the_figures(self):
        report = self.env["afterschool.district.report"].create(
            {"date_from": self.today, "date_to": self.today}
        )
        for user in (self.teacher, self.head_teacher, self.accountant):
            with self.assertRaises(AccessError):
                self.figures(user=user, companies=self.school_a)
            with self.assertRaisesMessage(
                AccessError, "Only coordinators and district officers"
            ):
                report.with_user(user).with_context(
                    allowed_company_ids=self.school_a.ids
                )._compute_figures()
        _report, figures = self.figures(user=self.manager, companies=self.school_a)
        self.assertTrue(figures["participation"])

    def test_xlsx_a_sheet_per_figure(self):
        report, _figures = self.figures()
        action = report.action_export_xlsx()
        self.assertIn("/web/content/afterschool.district.report/", action["url"])
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(report.file)))
        labels = dict(
            report.line_ids._fields["figure"]._description_selection(self.env)
        )
        self.assertEqual(
            workbook.sheetnames,
            [
                labels[key][:31]
                for key, _label in report.line_ids._fields["figure"].selection
            ],
        )
        sheet = workbook[labels["participation"]]
        self.assertEqual(
            [cell.value for cell in sheet[2]][:3], ["School", "Grade", "Month"]
        )
        schools = {row[0].value for row in sheet.iter_rows(min_row=3)}
        self.assertEqual(schools, {self.school_a.name, self.school_b.name})

    def test_xlsx_keeps_typed_names_as_text(self):
        """A school or teacher named =HYPERLINK(…) stays text in the officer's workbook (#23)."""
        typed = '=HYPERLINK("http://example.com","点此查看")'
        self.teacher.sudo().name = typed
        self.school_b.sudo().name = "@SUM(1,2)"
        report, _figures = self.figures()
        report.action_export_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(report.file)))
        cells = [
            c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row
        ]
        self.assertFalse(
            [c.coordinate for c in cells if c.data_type == "f"], "no formula"
        )
        texts = {c.value for c in cells if c.data_type == "s"}
        self.assertIn(typed, texts)
        self.assertIn("@SUM(1,2)", texts)

    def test_compute_shows_a_page_per_figure(self):
        report, _figures = self.figures()
        report.with_user(self.officer).action_compute()
        self.assertEqual(report.company_ids, self.school_a | self.school_b)
        self.assertTrue(report.participation_line_ids)
        self.assertEqual(
            set(report.participation_line_ids.mapped("figure")), {"participation"}
        )

    def test_every_figure_column_is_named_for_integrations(self):
        """Each count, amount, rate or score column a figure shows has a stable name in FIGURE_COLUMNS."""
        report = (
            self.env["afterschool.district.report"].with_user(self.officer).create({})
        )
        columns = report._get_columns()
        self.assertEqual(set(columns), set(FIGURE_COLUMNS))
        line_fields = self.env["afterschool.district.report.line"]._fields
        for figure, figure_columns in columns.items():
            with self.subTest(figure=figure):
                shown = {
                    field
                    for field, _label, _kind in figure_columns
                    if field.startswith(("count_", "amount_"))
                    or field in ("rate", "score")
                }
                self.assertEqual(set(FIGURE_COLUMNS[figure]), shown)
                for column, name in FIGURE_COLUMNS[figure].items():
                    self.assertIn(column, line_fields)
                    self.assertRegex(name, r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")
                self.assertEqual(
                    len(set(FIGURE_COLUMNS[figure].values())),
                    len(FIGURE_COLUMNS[figure]),
                    "two columns of a figure share a name",
                )

    def test_bad_periods_are_refused(self):
        with self.assertRaisesMessage(UserError, "ends before it starts"):
            self.figures(date_from=self.today, date_to=self.today - timedelta(days=1))
        with self.assertRaisesMessage(UserError, "at most 24 months"):
            self.figures(date_from=date(2000, 1, 1), date_to=date(2026, 1, 1))


class TestDistrictOfficer(DistrictCase):
    """Reads every after-school record of the allowed schools; writes nothing."""

    def test_no_figure_per_child(self):
        """The officer read afterschool.invoice.due (student, periods, amount), from which each child's
        fee waiver, and so the family's hardship, followed (#23): officers read counts only."""
        with self.assertRaises(AccessError):
            call_kw(
                self.env["afterschool.invoice.due"].with_user(self.officer),
                "search_read",
                [[], ["student_id", "periods", "amount"]],
                {},
            )
        with self.assertRaises(AccessError):
            call_kw(
                self.env["afterschool.invoice.due"].with_user(self.officer),
                "read_group",
                [[], ["amount:sum"], ["student_id"]],
                {},
            )

    def test_figure_rows_are_the_systems(self):
        """A row whose school, teacher or group the officer set showed any record's name, read as
        superuser (#23): the rows are written by the computation only."""
        report, _figures = self.figures()
        report.with_user(self.officer).action_compute()
        self.assertTrue(report.line_ids)
        stranger = self.env["res.users"].search(
            [("company_ids", "not in", (self.school_a | self.school_b).ids)], limit=1
        )
        Line = self.env["afterschool.district.report.line"].with_user(self.officer)
        with self.assertRaises(AccessError):
            call_kw(
                Line,
                "create",
                [{"report_id": report.id, "figure": "fees", "teacher_id": stranger.id}],
                {},
            )
        line = report.line_ids[:1]
        with self.assertRaises(AccessError):
            call_kw(Line, "write", [line.ids, {"teacher_id": stranger.id}], {})
        self.assertNotEqual(line.teacher_id, stranger)

    def test_reads_both_schools(self):
        for model in (
            "afterschool.term",
            "afterschool.activity.group",
            "afterschool.application",
            "afterschool.agreement",
            "afterschool.session",
            "afterschool.attendance",
            "afterschool.incident",
            "afterschool.duty",
        ):
            records = (
                self.env[model]
                .with_user(self.officer)
                .with_context(allowed_company_ids=(self.school_a | self.school_b).ids)
                .search([])
            )
            self.assertEqual(records.company_id, self.school_a | self.school_b, model)
        students = (
            self.env["res.partner"]
            .with_user(self.officer)
            .with_context(allowed_company_ids=(self.school_a | self.school_b).ids)
            .search([("is_student", "=", True)])
        )
        self.assertTrue(
            self.a["students"] <= students and self.b["students"] <= students
        )

    def test_changes_nothing(self):
        env = self.env(
            user=self.officer,
            context=dict(allowed_company_ids=(self.school_a | self.school_b).ids),
        )
        application = self.a["applications"][0].with_env(env)
        session = self.a["sessions"][0].with_env(env)
        for index, attempt in enumerate(
            (
                lambda: application.write({"reason": "x"}),
                lambda: session.write({"content": "x"}),
                lambda: session.attendance_ids[:1].write({"note": "x"}),
                lambda: self.a["term"].with_env(env).write({"name": "x"}),
                lambda: env["afterschool.session"].create(
                    {
                        "group_id": self.a["reading"].id,
                        "date": self.today,
                        "start": fields.Datetime.now(),
                        "stop": fields.Datetime.now(),
                    }
                ),
                lambda: self.a["students"][0].with_env(env).write({"name": "x"}),
                lambda: session.incident_ids.unlink(),
                lambda: application.action_withdraw("x"),
                lambda: application.agreement_id.action_sign("x"),
                lambda: self.a["term"].with_env(env).action_generate_sessions(),
                lambda: self.a["term"].with_env(env).action_open_satisfaction(),
            )
        ):
            with self.assertRaises(
                UserError, msg="attempt %s" % index
            ):  # AccessError included
                attempt()
        self.assertEqual(application.sudo().state, "enrolled")
        self.assertEqual(session.sudo().content, "阅读")

    def test_private_flags_stay_hidden(self):
        student = self.a["students"][0].with_user(self.officer)
        with self.assertRaises(AccessError):
            student.read(["left_behind"])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.officer).search(
                [("left_behind", "=", True)]
            )

    def test_main_screens_open(self):
        from .common import open_app

        opened = open_app(self, self.officer)
        self.assertIn("afterschool.inspection", opened)
        self.assertIn("afterschool.satisfaction", opened)


class TestInspections(DistrictCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        teacher = "afterschool_service.group_afterschool_teacher"
        cls.leader = school_user(cls.env, "as_leader", teacher, cls.school_a)
        cls.deputy = school_user(cls.env, "as_deputy", teacher, cls.school_a)
        cls.env["afterschool.leadership.member"].create(
            [
                {
                    "company_id": cls.school_a.id,
                    "user_id": cls.leader.id,
                    "role": "leader",
                },
                {
                    "company_id": cls.school_a.id,
                    "user_id": cls.deputy.id,
                    "role": "deputy",
                },
            ]
        )
        cls.session = cls.a["sessions"][0]

    def inspect(self, user, **values):
        return (
            self.env["afterschool.inspection"]
            .with_user(user)
            .with_context(allowed_company_ids=self.school_a.ids)
            .create({"session_id": self.session.id, "inspector_id": user.id, **values})
        )

    def test_compliant_inspection(self):
        inspection = self.inspect(
            self.leader, headcount_seen=self.session.present_count
        )
        inspection.action_record()
        self.assertEqual(inspection.state, "compliant")
        self.assertFalse(inspection.sudo().activity_ids)

    def test_an_issue_gives_the_teacher_a_follow_up(self):
        inspection = self.inspect(
            self.leader,
            headcount_seen=self.session.present_count + 3,
            no_group_teaching=False,
        )
        with self.assertRaisesMessage(UserError, "Describe the finding"):
            inspection.action_record()
        self.assertEqual(inspection.state, "planned")
        inspection.finding = "The whole room did maths exercises led by the teacher."
        inspection.action_record()
        self.assertEqual(inspection.state, "issue")
        self.assertEqual(inspection.sudo().activity_ids.user_id, self.teacher)
        # the teacher sees it (their session) but cannot change or resolve it
        teacher_view = inspection.with_user(self.teacher)
        self.assertEqual(teacher_view.finding, inspection.finding)
        with self.assertRaises(AccessError):
            teacher_view.write({"finding": "nothing"})
        with self.assertRaises(AccessError):
            teacher_view.action_resolve()
        inspection.with_user(self.manager).action_resolve()
        self.assertEqual(inspection.state, "resolved")

    def test_only_the_leadership_group_inspects(self):
        with self.assertRaisesMessage(ValidationError, "leadership group"):
            self.inspect(self.teacher)
        inspection = self.inspect(self.leader, headcount_seen=1)
        with self.assertRaises(AccessError):
            inspection.with_user(self.deputy).action_record()
        with self.assertRaises(AccessError):
            inspection.with_user(self.leader).write({"state": "compliant"})
        with self.assertRaises(AccessError):
            self.env["afterschool.inspection"].with_user(self.manager_b).with_context(
                allowed_company_ids=self.school_b.ids
            ).browse(inspection.id).action_record()
        self.assertEqual(inspection.state, "planned")

    def test_nobody_inspects_their_own_session(self):
        """A leadership member recorded their own session's inspection as compliant (#23)."""
        self.session.sudo().duty_teacher_id = self.leader
        with self.assertRaisesMessage(
            ValidationError, "nobody inspects their own session"
        ):
            self.inspect(self.leader, headcount_seen=self.session.present_count)
        self.assertFalse(
            self.env["afterschool.inspection"].search(
                [("session_id", "=", self.session.id)]
            )
        )

    def test_a_recorded_finding_is_kept(self):
        """A non-coordinator rewrote a recorded finding (#23): it is kept; the chatter takes notes."""
        inspection = self.inspect(
            self.leader,
            headcount_seen=self.session.present_count + 3,
            finding="Maths exercises for the whole room.",
        )
        inspection.action_record()
        with self.assertRaisesMessage(UserError, "kept as it was"):
            inspection.with_user(self.leader).write({"finding": "All fine."})
        self.assertEqual(inspection.finding, "Maths exercises for the whole room.")

    def test_headcount_is_bounded(self):
        with self.assertRaisesMessage(ValidationError, "between 0 and"):
            self.inspect(self.leader, headcount_seen=-1)

    def test_inspections_in_the_ledger_and_figures(self):
        inspection = self.inspect(
            self.leader,
            headcount_seen=self.session.present_count + 1,
            finding="One more child",
        )
        inspection.action_record()
        export = (
            self.env["afterschool.ledger.export"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=self.school_a.ids)
            .create(
                {
                    "company_id": self.school_a.id,
                    "date_from": self.today - timedelta(days=60),
                    "date_to": self.today,
                }
            )
        )
        export.action_export()
        workbook = openpyxl.load_workbook(io.BytesIO(base64.b64decode(export.file)))
        sheet = workbook[format_month(export.env, self.session.date)]
        self.assertEqual(sheet.cell(2, 13).value, "Inspections")
        cells = [sheet.cell(row, 13).value or "" for row in range(3, sheet.max_row + 1)]
        self.assertTrue(
            any("One more child" in cell and self.leader.name in cell for cell in cells)
        )
        _report, figures = self.figures(user=self.manager, companies=self.school_a)
        month = self.session.date.strftime("%Y-%m")
        [row] = [r for r in figures["inspections"] if r["month"] == month]
        self.assertEqual((row["count_a"], row["count_b"], row["count_c"]), (1, 1, 1))

    def test_rotation_proposes_inspectors_in_turn(self):
        future = [self.a["reading"], self.a["chess"]]
        for weeks in (1, 2):
            for group in future:
                self.attend(group, self.today + timedelta(days=7 * weeks), {})
        wizard = (
            self.env["afterschool.inspection.rotation"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=self.school_a.ids)
            .create(
                {
                    "term_id": self.a["term"].id,
                    "date_from": self.today,
                    "date_to": self.today + timedelta(days=20),
                    "per_week": 2,
                }
            )
        )
        action = wizard.action_propose()
        inspections = self.env["afterschool.inspection"].search(action["domain"])
        self.assertEqual(len(inspections), 4)
        self.assertEqual(set(inspections.mapped("state")), {"planned"})
        self.assertEqual(
            set(inspections.inspector_id.ids), {self.leader.id, self.deputy.id}
        )
        for inspection in inspections:
            self.assertNotEqual(inspection.inspector_id, inspection.teacher_id)
        with self.assertRaises(AccessError):
            wizard.with_user(self.teacher).action_propose()


class TestNeedsSurvey(DistrictCase):
    def send(self, user=None, classes=None):
        wizard = (
            self.env["afterschool.needs.survey.wizard"]
            .with_user(user or self.head_teacher)
            .with_context(allowed_company_ids=self.school_a.ids)
            .create(
                {
                    "term_id": self.a["term"].id,
                    "class_ids": [Command.set((classes or self.a["class"]).ids)],
                }
            )
        )
        return wizard.action_send()

    def test_the_grade_follows_the_class(self):
        """A head teacher wrote the stored grade of a survey answer and so skewed the district's
        figures by grade (#23)."""
        self.send()
        survey = self.env["afterschool.needs.survey"].search(
            [("term_id", "=", self.a["term"].id)], limit=1
        )
        grade = survey.grade
        with self.assertRaisesMessage(UserError, "computed by the system"):
            call_kw(
                survey.with_user(self.head_teacher),
                "write",
                [survey.ids, {"grade": 6}],
                {},
            )
        self.assertEqual(survey.grade, grade)

    def test_head_teacher_sends_and_families_answer(self):
        messages_before = self.env["mail.message"].search_count([])
        self.send()
        surveys = self.env["afterschool.needs.survey"].search(
            [("class_id", "=", self.a["class"].id)]
        )
        self.assertEqual(surveys.student_id, self.a["students"])
        self.assertEqual(set(surveys.mapped("state")), {"pending"})
        self.assertEqual(
            self.env["mail.message"].search_count([]) - messages_before, len(surveys)
        )
        # sending again creates nothing new
        self.send()
        self.assertEqual(
            self.env["afterschool.needs.survey"].search_count(
                [("class_id", "=", self.a["class"].id)]
            ),
            len(surveys),
        )
        # a guardian answers for their child in the portal
        first = surveys[0]
        guardian_user = new_test_user(
            self.env,
            "as_guardian_a0",
            groups="base.group_portal",
            partner_id=first.student_id.guardian_ids.id,
        )
        first.with_user(guardian_user)._answer_as_guardian("apply")
        self.assertEqual(
            (first.state, first.channel, first.answered_by_id),
            ("apply", "portal", guardian_user.partner_id),
        )
        with self.assertRaises(AccessError):
            surveys[1].with_user(guardian_user)._answer_as_guardian("declined")
        # a family without the portal answers with the slip's code
        self.env["afterschool.needs.survey"]._answer_by_code(
            surveys[1].code.lower(), "declined"
        )
        self.assertEqual((surveys[1].state, surveys[1].channel), ("declined", "paper"))
        self.assertFalse(
            self.env["afterschool.needs.survey"]._answer_by_code("ZZZZZZZZ", "apply")
        )
        # the head teacher records a paper answer and reminds the rest
        surveys[2].with_user(self.head_teacher).action_record_apply()
        surveys[3].with_user(self.head_teacher).action_remind()
        self.assertEqual(surveys[3].reminder_count, 1)
        _report, figures = self.figures(user=self.manager, companies=self.school_a)
        [row] = [r for r in figures["survey"] if r["grade"] == 3]
        self.assertEqual(
            (row["count_a"], row["count_b"], row["count_c"], row["count_d"]),
            (4, 3, 2, 1),
        )

    def test_only_their_own_classes(self):
        self.a["class"].head_teacher_id = self.manager
        with self.assertRaisesMessage(AccessError, "your own classes"):
            self.send()
        self.assertFalse(
            self.env["afterschool.needs.survey"].search(
                [("class_id", "=", self.a["class"].id)]
            )
        )
        with self.assertRaises(AccessError):
            self.send(user=self.teacher)
        self.send(user=self.manager)
        survey = self.env["afterschool.needs.survey"].search(
            [("class_id", "=", self.a["class"].id)], limit=1
        )
        with self.assertRaises(AccessError):
            survey.with_user(self.head_teacher).action_record_apply()
        with self.assertRaises(AccessError):
            survey.with_user(self.manager).write({"state": "apply"})
        self.assertEqual(survey.state, "pending")


class TestSatisfaction(DistrictCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.child = (
            cls.a["sessions"][0]
            .attendance_ids.filtered(lambda line: line.state == "present")[0]
            .student_id
        )
        cls.parent = new_test_user(
            cls.env,
            "as_parent_rating",
            groups="base.group_portal",
            partner_id=cls.child.guardian_ids.id,
        )

    def rate(self, group=None, score=4, comment="Good reading room", user=None):
        return (
            self.env["afterschool.satisfaction"]
            .with_user(user or self.parent)
            ._rate_as_guardian(self.child, group or self.a["reading"], score, comment)
        )

    def test_rated_once_per_child_and_group_when_open(self):
        with self.assertRaisesMessage(
            UserError, "has not opened the satisfaction survey"
        ):
            self.rate()
        with self.assertRaises(AccessError):
            self.a["term"].with_user(self.teacher).action_open_satisfaction()
        self.a["term"].with_user(self.manager).action_open_satisfaction()
        rating = self.rate()
        self.assertEqual(
            (rating.score, rating.sudo().guardian_id), (4, self.parent.partner_id)
        )
        with self.assertRaisesMessage(UserError, "already rated"):
            self.rate(score=1)
        with self.assertRaisesMessage(UserError, "did not attend"):
            self.rate(group=self.a["chess"])
        for bad in (0, 6, "x", None):
            with self.assertRaisesMessage(UserError, "score from 1 to 5"):
                self.rate(group=self.a["chess"], score=bad)
        stranger = new_test_user(self.env, "as_stranger", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.rate(user=stranger)
        _report, figures = self.figures(user=self.manager, companies=self.school_a)
        [row] = figures["satisfaction"]
        self.assertEqual(
            (row["group_id"], row["teacher_id"], row["count_a"], row["score"]),
            (self.a["reading"].id, self.teacher.id, 1, 4.0),
        )

    def test_comments_and_families_stay_with_the_coordinator(self):
        self.a["term"].action_open_satisfaction()
        rating = self.rate()
        self.assertEqual(rating.with_user(self.manager).comment, "Good reading room")
        with self.assertRaises(AccessError):
            rating.with_user(self.teacher).read(["score"])
        officer_view = rating.with_user(self.officer)
        self.assertEqual(officer_view.score, 4)
        with self.assertRaises(AccessError):
            officer_view.read(["comment"])
        with self.assertRaises(AccessError):
            officer_view.read(["guardian_id"])

    def test_nobody_learns_which_family_gave_a_score(self):
        """The officer read create_uid of a rating and so knew the family (#23): the family's user is
        recorded nowhere but in guardian_id, which only the coordinator reads."""
        self.a["term"].action_open_satisfaction()
        rating = self.rate()
        officer_view = rating.with_user(self.officer)
        self.assertNotIn(self.parent, officer_view.create_uid | officer_view.write_uid)
        self.assertFalse(
            officer_view.search([("create_uid", "=", self.parent.id)]),
            "nor found by who created it",
        )

    def test_ratings_are_kept(self):
        """A coordinator deleted families' ratings and so changed the school's own figure (#23)."""
        self.a["term"].action_open_satisfaction()
        rating = self.rate()
        with self.assertRaises(AccessError):
            call_kw(rating.with_user(self.manager), "unlink", [rating.ids], {})
        with self.assertRaises(AccessError):
            call_kw(
                rating.with_user(self.manager), "write", [rating.ids, {"score": 5}], {}
            )
        self.assertEqual(rating.score, 4)


class TestDistrictDemo(DemoCase):
    """The demo district: two schools, the officer sees a row per school."""

    def test_demo_officer_sees_two_schools(self):
        officer = self.env.ref("afterschool_service.user_district_demo")
        schools = officer.company_ids
        self.assertEqual(len(schools), 2)
        term = self.env.ref("afterschool_service.afterschool_term_demo")
        report = (
            self.env["afterschool.district.report"]
            .with_user(officer)
            .with_context(allowed_company_ids=schools.ids)
            .create({"date_from": term.date_start, "date_to": term.date_end})
        )
        rows = report._compute_figures()
        for figure in ("participation", "sessions", "attendance", "teacher_periods"):
            self.assertEqual(
                {row["company_id"] for row in rows if row["figure"] == figure},
                set(schools.ids),
                figure,
            )
        self.assertTrue(
            [row for row in rows if row["figure"] == "inspections" and row["count_b"]]
        )
        self.assertTrue([row for row in rows if row["figure"] == "satisfaction"])
        self.assertTrue(
            [row for row in rows if row["figure"] == "survey" and row["count_b"]]
        )
