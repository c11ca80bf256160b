"""Two families with a portal login each (password = login), for the tests of the parents' portal."""

from datetime import datetime, time

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import school_user
from .enrolment_common import EnrolmentCase


@tagged("post_install", "-at_install", "afterschool")
class PortalCase(HttpCase, EnrolmentCase):
    """Li Ming's guardian (parent_a) and Wang Fang's (parent_b, her child in ``other_class``)."""

    other_class = "class_3b"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        portal = "base.group_portal"
        cls.parent_a = school_user(
            cls.env, "as_parent_a", portal, cls.company, name="Parent of Li Ming"
        )
        cls.student.guardian_ids = cls.parent_a.partner_id
        cls.parent_b = school_user(
            cls.env, "as_parent_b", portal, cls.company, name="Parent of Wang Fang"
        )
        cls.other_student = cls.create_student(
            "Wang Fang", getattr(cls, cls.other_class), guardian=cls.parent_b.partner_id
        )

    def attended_today(self, today):
        """The student enrolled and present at a session of today, collected by their guardian."""
        self.enrol(self.create_application())
        session = self.env["afterschool.session"].create(
            {
                "group_id": self.reading.id,
                "date": today,
                "start": datetime.combine(today, time(8, 30)),
                "stop": datetime.combine(today, time(10, 0)),
            }
        )
        self.env["afterschool.attendance"].create(
            {
                "session_id": session.id,
                "student_id": self.student.id,
                "state": "present",
                "picked_up_by_id": self.parent_a.partner_id.id,
                "check_out": datetime.combine(today, time(9, 55)),
            }
        )
        return session

    def login(self, user):
        self.authenticate(user.login, user.login)

    def post(self, url, **data):
        return self.url_open(
            url,
            data=dict(data, csrf_token=http.Request.csrf_token(self)),
            allow_redirects=False,
        )
