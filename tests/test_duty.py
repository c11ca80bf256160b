from collections import Counter
from datetime import date

from odoo import Command

from .service_common import ServiceCase


class TestDutyRotation(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Grade 3 meets Tue–Fri; teacher_2 teaches drawing on Wednesdays, so never on duty then.
        cls.homework = cls.create_group(
            "Homework Room 3",
            cls.manager,
            cls.room_b,
            days=("tue", "wed", "thu", "fri"),
            grade_min=3,
            grade_max=3,
        )
        cls.chess.write({"grade_min": 4, "grade_max": 6, "venue_id": cls.room_a.id})
        cls.drawing = cls.create_group(
            "Drawing Club", cls.teacher_2, cls.room_a, days=("wed",), grade_min=4
        )
        cls.term.action_generate_sessions()
        cls.duty_teachers = cls.teacher_2 | cls.teacher_3 | cls.head_teacher

    def rotation(self, frequency):
        return self.env["afterschool.duty.rotation"].create(
            {
                "term_id": self.term.id,
                "grade": 3,
                "frequency": frequency,
                "teacher_ids": [Command.set(self.duty_teachers.ids)],
            }
        )

    def test_daily_rotation_is_fair_and_avoids_conflicts(self):
        rotation = self.rotation("daily")
        rotation.action_assign_duties()
        duties = rotation.duty_ids
        service_days = set(
            self.homework.session_ids.filtered(
                lambda s: s.state == "planned" and s.date >= date.today()
            ).mapped("date")
        )
        self.assertEqual(
            set(duties.mapped("date")),
            service_days,
            "one duty teacher every service day",
        )
        wednesdays = duties.filtered(lambda d: d.date.weekday() == 2)
        self.assertNotIn(
            self.teacher_2, wednesdays.teacher_id, "teacher 2 teaches on Wednesdays"
        )
        counts = Counter(duties.mapped("teacher_id.id"))
        self.assertEqual(set(counts), set(self.duty_teachers.ids))
        self.assertLessEqual(max(counts.values()) - min(counts.values()), 1)
        # The grade's sessions carry their duty teacher; nobody is on duty while teaching.
        by_day = {duty.date: duty.teacher_id for duty in duties}
        for session in self.homework.session_ids.filtered(lambda s: s.date in by_day):
            self.assertEqual(session.duty_teacher_id, by_day[session.date])
        self.assertFalse(
            self.chess.session_ids.duty_teacher_id,
            "grade 4–6 sessions are another rotation's",
        )

    def test_weekly_rotation_passes_the_week_and_substitutes_conflicts(self):
        rotation = self.rotation("weekly")
        rotation.action_assign_duties()
        weeks = {}
        for duty in rotation.duty_ids:
            weeks.setdefault(duty.date.isocalendar()[:2], []).append(duty)
        holders = []
        for week_duties in weeks.values():
            non_wednesday = {d.teacher_id for d in week_duties if d.date.weekday() != 2}
            self.assertLessEqual(len(non_wednesday), 1, "one teacher holds the week")
            holders.extend(non_wednesday)
            self.assertNotIn(
                self.teacher_2,
                [d.teacher_id for d in week_duties if d.date.weekday() == 2],
            )
        counts = Counter(rotation.duty_ids.mapped("teacher_id.id"))
        self.assertLessEqual(
            max(counts.values()) - min(counts.values()),
            4,
            "about a week's difference at most",
        )
        # Running again rebuilds the future the same way.
        first = [(d.date, d.teacher_id.id) for d in rotation.duty_ids]
        rotation.action_assign_duties()
        self.assertEqual([(d.date, d.teacher_id.id) for d in rotation.duty_ids], first)

    def test_teacher_on_duty_for_one_grade_only(self):
        self.rotation("daily").action_assign_duties()
        grade_4 = self.env["afterschool.duty.rotation"].create(
            {
                "term_id": self.term.id,
                "grade": 4,
                "frequency": "daily",
                "teacher_ids": [Command.set((self.teacher_3 | self.head_teacher).ids)],
            }
        )
        grade_4.action_assign_duties()
        grade_3_by_day = {
            d.date: d.teacher_id
            for d in self.env["afterschool.duty"].search([("grade", "=", 3)])
        }
        for duty in grade_4.duty_ids:
            self.assertNotEqual(duty.teacher_id, grade_3_by_day.get(duty.date))
