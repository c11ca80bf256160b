"""A school with a term, venues, teachers, groups and enrolled students, for the service-day tests."""

from datetime import date, datetime, timedelta

from odoo import Command

from .common import AfterschoolCase, school_user


class ServiceCase(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.school_env
        cls.teacher_2 = school_user(
            env,
            "as_teacher_2",
            "afterschool_service.group_afterschool_teacher",
            cls.company,
            name="Teacher Two",
        )
        cls.teacher_3 = school_user(
            env,
            "as_teacher_3",
            "afterschool_service.group_afterschool_teacher",
            cls.company,
            name="Teacher Three",
        )
        cls.room_a = env["afterschool.venue"].create(
            {"name": "Room A", "capacity": 40, "company_id": cls.company.id}
        )
        cls.room_b = env["afterschool.venue"].create(
            {"name": "Room B", "capacity": 40, "company_id": cls.company.id}
        )
        cls.class_3a = env["afterschool.class"].create(
            {
                "name": "Grade 3 Class 1",
                "grade": 3,
                "company_id": cls.company.id,
                "head_teacher_id": cls.head_teacher.id,
            }
        )
        cls.mother = env["res.partner"].create({"name": "Wang Fang"})
        cls.grandpa = env["res.partner"].create({"name": "Li Jun"})
        cls.stranger = env["res.partner"].create({"name": "Zhao Qiang"})
        cls.term = cls.create_term(
            closure_ids=[
                Command.create(
                    {
                        "name": "National Day",
                        "date_from": date(2026, 10, 1),
                        "date_to": date(2026, 10, 7),
                    }
                )
            ],
            makeup_ids=[
                Command.create(
                    {
                        "date": date(2026, 10, 10),
                        "weekday": "3",
                        "name": "National Day make-up",
                    }
                )
            ],
        )
        # Mid-Autumn festival, a public holiday of the school's working calendar (local Thu 24 – Fri 25 Sep).
        env["resource.calendar.leaves"].create(
            {
                "name": "Mid-Autumn Festival",
                "company_id": cls.company.id,
                "calendar_id": cls.company.resource_calendar_id.id,
                "date_from": datetime(2026, 9, 23, 16, 0),
                "date_to": datetime(2026, 9, 25, 15, 59, 59),
            }
        )
        cls.term.action_open()
        cls.chess = cls.create_group(
            "Chess Club", cls.teacher, cls.room_a, days=("tue", "thu")
        )

    @classmethod
    def create_group(
        cls,
        name,
        teacher,
        venue,
        days=("tue", "thu"),
        term=None,
        grade_min=1,
        grade_max=6,
    ):
        values = {
            "name": name,
            "term_id": (term or cls.term).id,
            "kind": "club",
            "teacher_id": teacher.id,
            "venue_id": venue.id,
            "capacity": 30,
            "grade_min": grade_min,
            "grade_max": grade_max,
        }
        values.update(
            {
                day: day in days
                for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
            }
        )
        return cls.school_env["afterschool.activity.group"].create(values)

    @classmethod
    def create_everyday_term(cls, name, today):
        """A term of every day from a week before ``today`` to a week after, one window (16:20–17:50)."""
        week = timedelta(days=7)
        return cls.create_term(
            name=name,
            date_start=today - week,
            date_end=today + week,
            **dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), True),
            window_ids=[
                Command.create(
                    {
                        "date_from": today - week,
                        "date_to": today + week,
                        "hour_from": 16 + 20 / 60,
                        "hour_to": 17 + 50 / 60,
                    }
                )
            ],
        )

    @classmethod
    def create_student(cls, name, guardians=None, pickups=None):
        return cls.school_env["res.partner"].create(
            {
                "name": name,
                "is_student": True,
                "class_id": cls.class_3a.id,
                "guardian_ids": [Command.set((guardians or cls.mother).ids)],
                "authorized_pickup_ids": [Command.set(pickups.ids)] if pickups else [],
            }
        )

    @classmethod
    def enrol(cls, student, groups, date_enrolled=date(2026, 9, 1), date_left=False):
        return cls.school_env["afterschool.application"].create(
            {
                "student_id": student.id,
                "guardian_id": student.guardian_ids[:1].id,
                "term_id": groups[:1].term_id.id,
                "group_ids": [Command.set(groups.ids)],
                "requested_group_ids": [Command.set(groups.ids)],
                "state": "withdrawn" if date_left else "enrolled",
                "date_enrolled": date_enrolled,
                "date_left": date_left,
            }
        )

    def session_on(self, group, day):
        return self.env["afterschool.session"].search(
            [("group_id", "=", group.id), ("date", "=", day)]
        )
