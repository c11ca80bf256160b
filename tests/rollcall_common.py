"""A session of today, already started, with three children: the roll-call's fixtures."""

from datetime import timedelta

from odoo import fields

from .common import school_today
from .service_common import ServiceCase


class RollCallCase(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = school_today()
        cls.today_term = cls.create_everyday_term("Roll-call Term", today)
        cls.reading = cls.create_group(
            "Reading Room",
            cls.teacher_3,
            cls.room_b,
            term=cls.today_term,
            days=("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
        )
        cls.ming = cls.create_student("Xiao Ming", pickups=cls.grandpa)
        cls.hong = cls.create_student("Xiao Hong")
        cls.gang = cls.create_student("Xiao Gang")
        for student in (cls.ming, cls.hong, cls.gang):
            cls.enrol(student, cls.reading, date_enrolled=cls.today_term.date_start)
        cls.today_term.action_open()
        cls.today_term.action_generate_sessions()
        cls.rollcall_session = cls.env["afterschool.session"].search(
            [("group_id", "=", cls.reading.id), ("date", "=", today)]
        )
        # Started an hour ago, whatever the time the tests run: it can be closed.
        now = fields.Datetime.now()
        cls.rollcall_session.write(
            {"start": now - timedelta(hours=1), "stop": now + timedelta(minutes=30)}
        )
        cls.grandpa.sudo().afterschool_pickup_code = "246810"
        cls.lines = {
            line.student_id: line for line in cls.rollcall_session.attendance_ids
        }
