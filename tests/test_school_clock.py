"""One clock: what day it is at a school is res.company's answer, from the school's timezone.

The server runs in UTC, a Chinese school eight hours ahead: from 16:00 to 24:00 UTC the school is
already on the next day. Each test moves the server's clock across that edge and reads the dates
the addon stores (enrolment, leave) and compares (roll-call's today).
"""

from datetime import date

from odoo.exceptions import UserError
from odoo.tests import freeze_time

from .service_common import ServiceCase

# 23:59 and 00:01 at the school (Asia/Shanghai, UTC+8), on the server's Tuesday 8 December.
BEFORE_MIDNIGHT = "2026-12-08 15:59:00"
AFTER_MIDNIGHT = "2026-12-08 16:01:00"
TUESDAY, WEDNESDAY = date(2026, 12, 8), date(2026, 12, 9)


class TestSchoolClock(ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wednesday_club = cls.create_group(
            "Wednesday Club", cls.teacher_2, cls.room_b, days=("wed",)
        )

    def test_today_turns_at_the_schools_midnight(self):
        with freeze_time(BEFORE_MIDNIGHT):
            self.assertEqual(self.company._afterschool_today(), TUESDAY)
            self.assertEqual(self.company._afterschool_now().strftime("%H:%M"), "23:59")
        with freeze_time(AFTER_MIDNIGHT):
            self.assertEqual(self.company._afterschool_today(), WEDNESDAY)
            self.assertEqual(self.company._afterschool_now().strftime("%H:%M"), "00:01")

    def test_a_school_in_another_timezone_keeps_its_own_day(self):
        london = self.env["res.company"].create(
            {"name": "London School", "currency_id": self.env.ref("base.GBP").id}
        )
        london.resource_calendar_id.tz = "Europe/London"
        with freeze_time(AFTER_MIDNIGHT):
            self.assertEqual(london._afterschool_today(), TUESDAY)
            self.assertEqual(self.company._afterschool_today(), WEDNESDAY)
        # No timezone on the calendar: the school's address's, else China's.
        london.resource_calendar_id.tz = False
        london.partner_id.tz = "Europe/London"
        with freeze_time(AFTER_MIDNIGHT):
            self.assertEqual(london._afterschool_today(), TUESDAY)
        london.partner_id.tz = False
        with freeze_time(AFTER_MIDNIGHT):
            self.assertEqual(london._afterschool_today(), WEDNESDAY)

    def test_enrolment_is_dated_by_the_schools_day(self):
        """A guardian who signs at 00:30 in Shanghai enrols the child that day, not the server's."""
        for instant, expected in (
            (BEFORE_MIDNIGHT, TUESDAY),
            (AFTER_MIDNIGHT, WEDNESDAY),
        ):
            student = self.create_student(f"Signed at {instant}")
            application = self.enrol(student, self.wednesday_club)
            application.write({"state": "published", "date_enrolled": False})
            with freeze_time(instant):
                application._action_enrol()
            self.assertEqual(application.date_enrolled, expected, instant)

    def test_guardian_leave_from_the_schools_today(self):
        """From 00:01 at the school, Tuesday is past: leave starts on Wednesday at the earliest."""
        student = self.create_student("Xiao Ye")
        self.enrol(student, self.wednesday_club)
        portal = (
            self.env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Wang Fang",
                    "login": "wang_fang_clock",
                    "partner_id": self.mother.id,
                    "company_id": self.company.id,
                    "company_ids": [(6, 0, self.company.ids)],
                    "groups_id": [(6, 0, self.env.ref("base.group_portal").ids)],
                }
            )
        )
        Leave = self.env["afterschool.leave"].with_user(portal)
        with freeze_time(BEFORE_MIDNIGHT):
            tuesday = Leave._request_as_guardian(student, TUESDAY, TUESDAY, "Fever")
        self.assertEqual(tuesday.date_from, TUESDAY)
        with freeze_time(AFTER_MIDNIGHT):
            with self.assertRaisesMessage(UserError, "today or later"):
                Leave._request_as_guardian(student, TUESDAY, TUESDAY, "Fever")
            wednesday = Leave._request_as_guardian(
                student, WEDNESDAY, WEDNESDAY, "Fever"
            )
        self.assertEqual(wednesday.date_from, WEDNESDAY)

    def test_rollcall_today_is_the_schools_day(self):
        """At 00:01 in Shanghai the teacher's phone shows Wednesday's session, whatever the server's date."""
        self.term.action_generate_sessions()
        wednesday = self.session_on(self.wednesday_club, WEDNESDAY)
        self.assertTrue(wednesday)
        Session = self.env["afterschool.session"].with_user(self.teacher_2)
        with freeze_time(BEFORE_MIDNIGHT):
            tuesday_view = Session.rollcall_today()
        self.assertFalse(tuesday_view["sessions"])
        self.assertEqual(tuesday_view["next_session"]["id"], wednesday.id)
        with freeze_time(AFTER_MIDNIGHT):
            wednesday_view = Session.rollcall_today()
        self.assertEqual(
            [summary["id"] for summary in wednesday_view["sessions"]], wednesday.ids
        )
