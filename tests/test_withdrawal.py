from datetime import datetime, time, timedelta

from .enrolment_common import EnrolmentCase


class TestWithdrawalMidTerm(EnrolmentCase):
    """Signing puts the student on the rosters of the planned sessions; leaving takes them off from a date."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Sessions of the reading room on the term's first five Tuesdays.
        first_tuesday = cls.term_start + timedelta(
            days=(1 - cls.term_start.weekday()) % 7
        )
        cls.days = [first_tuesday + timedelta(weeks=week) for week in range(5)]
        cls.sessions = cls.env["afterschool.session"].create(
            [
                {
                    "group_id": cls.reading.id,
                    "date": day,
                    "start": datetime.combine(day, time(8, 30)),
                    "stop": datetime.combine(day, time(10, 0)),
                }
                for day in cls.days
            ]
        )

    def roster_days(self, student):
        lines = self.env["afterschool.attendance"].search(
            [("session_id", "in", self.sessions.ids), ("student_id", "=", student.id)]
        )
        return sorted(lines.mapped("date"))

    def test_signing_fills_the_rosters(self):
        application = self.approve(self.create_application())
        application._allocate()
        application.action_publish()
        self.assertEqual(
            self.roster_days(self.student), [], "not before the agreement is signed"
        )
        application.agreement_id.action_sign("Parent of Li Ming")
        self.assertEqual(self.roster_days(self.student), self.days)

    def test_withdrawal_mid_term(self):
        application = self.enrol(self.create_application())
        # The first session took place: attendance marked, session done.
        first = self.sessions[0]
        first.attendance_ids.filtered(
            lambda line: line.student_id == self.student
        ).state = "present"
        first.content = "Reading aloud"
        first.action_done()
        # The second was planned and its attendance already marked absent (e.g. sick note).
        self.sessions[1].attendance_ids.state = "excused"
        application.with_user(self.manager).action_withdraw(
            "The family moved away.", self.days[1]
        )
        self.assertEqual(application.date_left, self.days[1])
        self.assertEqual(
            self.roster_days(self.student),
            self.days[:2],
            "past and marked lines stay, the unmarked ones from the date on disappear",
        )

    def test_termination_from_a_date(self):
        application = self.enrol(self.create_application())
        application.with_user(self.manager).action_terminate(
            "Left school unattended.", self.days[3]
        )
        self.assertEqual(self.roster_days(self.student), self.days[:3])

    def test_promoted_student_joins_future_rosters(self):
        others = [
            self.create_student(name, self.class_3b)
            for name in ("Wang Fang", "Zhou Min", "Sun Li")
        ]
        applications = self.env["afterschool.application"]
        for student in others:
            applications |= self.create_application(student)
        self.enrol(applications)
        placed, waiting = (
            applications.filtered("group_ids"),
            applications.filtered("is_waiting"),
        )
        self.assertEqual((len(placed), len(waiting)), (2, 1))
        self.assertEqual(self.roster_days(waiting.student_id), [])
        placed[0].with_user(self.manager).action_withdraw("Moved.", self.days[0])
        self.assertEqual(waiting.group_ids, self.reading)
        self.assertEqual(
            self.roster_days(waiting.student_id),
            [],
            "placed, not yet posted and signed",
        )
        self.publish_and_sign(waiting)
        self.assertEqual(self.roster_days(waiting.student_id), self.days)
