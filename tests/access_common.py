"""Users of every role at two schools, and the records they meet: the access tests' fixtures."""

from datetime import date, datetime, time, timedelta

from odoo import Command
from odoo.exceptions import AccessError

from .common import school_user
from .service_common import ServiceCase

OPERATIONS = (("r", "read"), ("w", "write"), ("c", "create"), ("u", "unlink"))
TODAY = date(
    2026, 12, 3
)  # a Thursday of the test term: the chess club meets (Tue/Thu), drawing on Wed


class AccessCase(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.school_env
        cls.head_teacher_b = school_user(
            env,
            "as_head_b",
            "afterschool_service.group_afterschool_head_teacher",
            cls.company,
        )
        cls.accountant = school_user(
            env, "as_accountant", "account.group_account_invoice", cls.company
        )
        cls.employee = school_user(env, "as_employee", "base.group_user", cls.company)
        cls.class_3b = env["afterschool.class"].create(
            {
                "name": "Grade 3 Class 2",
                "grade": 3,
                "company_id": cls.company.id,
                "head_teacher_id": cls.head_teacher_b.id,
            }
        )
        # Two families with a portal login: Xiao Ming (3A, chess club) and Xiao Hong (3B, drawing club).
        cls.guardian = school_user(
            env, "as_guardian", "base.group_portal", cls.company, name="Wang Fang"
        )
        cls.other_guardian = school_user(
            env, "as_guardian_b", "base.group_portal", cls.company, name="Zhao Min"
        )
        cls.ming = cls.create_student(
            "Xiao Ming", guardians=cls.guardian.partner_id, pickups=cls.grandpa
        )
        cls.hong = cls.create_student(
            "Xiao Hong", guardians=cls.other_guardian.partner_id
        )
        cls.hong.class_id = cls.class_3b
        cls.ming.write(
            {"left_behind": True, "financial_hardship": True, "fee_waiver_percent": 50}
        )
        cls.drawing = cls.create_group(
            "Drawing Club", cls.teacher_2, cls.room_b, days=("wed",)
        )
        cls.application = cls.enrol(cls.ming, cls.chess)
        cls.other_application = cls.enrol(cls.hong, cls.drawing)
        Agreement = env["afterschool.agreement"]
        cls.agreement = Agreement.create({"application_id": cls.application.id})
        cls.other_agreement = Agreement.create(
            {"application_id": cls.other_application.id}
        )
        cls.term.action_generate_sessions()
        cls.session = cls.find_session(cls.chess, TODAY)
        cls.other_session = cls.find_session(cls.drawing, TODAY - timedelta(days=1))
        cls.line = cls.session.attendance_ids
        cls.other_line = cls.other_session.attendance_ids
        cls.leave = env["afterschool.leave"].create(
            {
                "student_id": cls.ming.id,
                "date_from": date(2026, 12, 8),
                "date_to": date(2026, 12, 8),
                "reason": "Dentist",
            }
        )
        cls.other_leave = env["afterschool.leave"].create(
            {
                "student_id": cls.hong.id,
                "date_from": date(2026, 12, 9),
                "date_to": date(2026, 12, 9),
                "reason": "Family visit",
            }
        )
        Absence = env["afterschool.school.absence"]
        cls.absence = Absence.create(
            {"student_id": cls.ming.id, "date": date(2026, 12, 10), "reason": "Flu"}
        )
        cls.other_absence = Absence.create(
            {"student_id": cls.hong.id, "date": date(2026, 12, 10), "reason": "Flu"}
        )
        Incident = env["afterschool.incident"]
        cls.incident = Incident.create(
            {
                "session_id": cls.session.id,
                "student_id": cls.ming.id,
                "description": "Scraped a knee",
            }
        )
        cls.other_incident = Incident.create(
            {
                "session_id": cls.other_session.id,
                "student_id": cls.hong.id,
                "description": "Lost a shoe",
            }
        )
        cls.rotation = env["afterschool.duty.rotation"].create(
            {
                "term_id": cls.term.id,
                "grade": 3,
                "teacher_ids": [Command.set(cls.teacher_3.ids)],
            }
        )
        cls.duty = env["afterschool.duty"].create(
            {
                "rotation_id": cls.rotation.id,
                "date": TODAY,
                "teacher_id": cls.teacher_3.id,
                "start": datetime.combine(TODAY, time(8, 20)),
                "stop": datetime.combine(TODAY, time(9, 50)),
            }
        )
        env.flush_all()
        Report = env["afterschool.enrolment.report"]
        cls.report_row = Report.search(
            [("class_id", "=", cls.class_3a.id), ("term_id", "=", cls.term.id)]
        )
        cls.other_report_row = Report.search(
            [("class_id", "=", cls.class_3b.id), ("term_id", "=", cls.term.id)]
        )
        cls.env.invalidate_all()

    @classmethod
    def find_session(cls, group, day):
        return cls.env["afterschool.session"].search(
            [("group_id", "=", group.id), ("date", "=", day)]
        )

    def assertAccess(self, user, expected):
        """``expected``: [(records, 'rwcu' letters allowed)]; every operation is asserted."""
        self.env.invalidate_all()
        for records, allowed in expected:
            self.assertTrue(records, "no record to test")
            for letter, operation in OPERATIONS:
                label = f"{user.login} {operation} {records}"
                if letter in allowed:
                    records.with_user(user).check_access(operation)
                else:
                    with self.assertRaises(AccessError, msg=label):
                        records.with_user(user).check_access(operation)
