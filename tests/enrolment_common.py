"""A school ready for enrolment: a term starting in two weeks, two classes, groups, students and guardians."""

from datetime import timedelta

from odoo import Command, fields

from .common import AfterschoolCase, school_user

SIGNATURE = (  # a 1x1 transparent PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class EnrolmentCase(AfterschoolCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.school_env
        cls.other_head_teacher = school_user(
            env,
            "as_head_3b",
            "afterschool_service.group_afterschool_head_teacher",
            cls.company,
        )
        cls.company.afterschool_coordinator_id = cls.manager
        # A term starting in two weeks: enrolment dates do not depend on the day the tests run.
        cls.term_start = fields.Date.today() + timedelta(days=14)
        cls.term = cls.create_term(
            name="Enrolment Test Term",
            date_start=cls.term_start,
            date_end=cls.term_start + timedelta(days=150),
            window_ids=[
                Command.create(
                    {
                        "name": "Whole term",
                        "date_from": cls.term_start,
                        "date_to": cls.term_start + timedelta(days=150),
                        "hour_from": 16.5,
                        "hour_to": 18.0,
                    }
                )
            ],
        )
        cls.term.action_open()
        cls.other_term = cls.create_term(name="Other Test Term", window_ids=[])
        cls.class_3a = env["afterschool.class"].create(
            {
                "name": "3A",
                "grade": 3,
                "head_teacher_id": cls.head_teacher.id,
                "company_id": cls.company.id,
            }
        )
        cls.class_3b = env["afterschool.class"].create(
            {
                "name": "3B",
                "grade": 3,
                "head_teacher_id": cls.other_head_teacher.id,
                "company_id": cls.company.id,
            }
        )
        cls.class_1a = env["afterschool.class"].create(
            {"name": "1A", "grade": 1, "company_id": cls.company.id}
        )
        cls.library = env["afterschool.venue"].create(
            {"name": "Library", "capacity": 40, "company_id": cls.company.id}
        )
        cls.hall = env["afterschool.venue"].create(
            {"name": "Hall", "capacity": 60, "company_id": cls.company.id}
        )
        Group = env["afterschool.activity.group"]
        cls.reading = Group.create(
            {
                "name": "Reading Room",
                "term_id": cls.term.id,
                "kind": "reading",
                "capacity": 2,
                "venue_id": cls.library.id,
                "teacher_id": cls.teacher.id,
                "grade_min": 1,
                "grade_max": 6,
                "wed": False,
            }
        )  # Tuesdays, Thursdays and Fridays
        cls.chess = Group.create(
            {
                "name": "Chess Club",
                "term_id": cls.term.id,
                "kind": "club",
                "capacity": 10,
                "grade_min": 3,
                "grade_max": 6,
                "tue": False,
                "thu": False,
                "fri": False,
            }
        )  # Wednesdays only
        cls.other_term_group = Group.create(
            {
                "name": "Other Term Room",
                "term_id": cls.other_term.id,
                "kind": "homework",
                "capacity": 10,
            }
        )
        cls.student = cls.create_student("Li Ming", cls.class_3a)
        cls.guardian = cls.student.guardian_ids

    @classmethod
    def create_student(cls, name, school_class, guardian=None, **values):
        guardian = guardian or cls.school_env["res.partner"].create(
            {
                "name": f"Parent of {name}",
                "email": f"{name.lower().replace(' ', '.')}@example.com",
            }
        )
        return cls.school_env["res.partner"].create(
            {
                "name": name,
                "is_student": True,
                "class_id": school_class.id,
                "guardian_ids": [Command.set(guardian.ids)],
                **values,
            }
        )

    @classmethod
    def create_application(cls, student=None, groups=None, term=None, **values):
        student = student or cls.student
        groups = cls.reading if groups is None else groups
        return cls.school_env["afterschool.application"].create(
            {
                "student_id": student.id,
                "guardian_id": student.guardian_ids[:1].id,
                "term_id": (term or cls.term).id,
                "requested_group_ids": [Command.set(groups.ids)],
                **values,
            }
        )

    @classmethod
    def approve(cls, applications):
        """Submitted, approved by the class and by the school (as the superuser)."""
        applications.action_submit()
        applications.action_class_approve()
        applications.action_school_approve()
        return applications

    @classmethod
    def publish_and_sign(cls, applications):
        """Published, and the agreements signed (recorded as the superuser)."""
        applications.action_publish()
        for agreement in applications.agreement_id:
            agreement.action_sign(agreement.guardian_id.name)
        return applications

    @classmethod
    def publish_one(cls):
        """An application of the student approved, placed and published: its agreement waits."""
        application = cls.approve(cls.create_application())
        application._allocate()
        application.action_publish()
        return application

    @classmethod
    def enrol(cls, applications):
        """Approved, placed, published and signed (those without a place wait, approved)."""
        cls.approve(applications)
        applications._allocate()
        cls.publish_and_sign(applications.filtered("group_ids"))
        return applications
