from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError

from .service_common import ServiceCase


class TestSessionGeneration(ServiceCase):
    def test_counts_with_closures_holidays_and_makeup_days(self):
        self.term.action_generate_sessions()
        sessions = self.chess.session_ids
        # Tue/Thu from 1 Sep 2026 to 15 Jan 2027: 37 days outside National Day and Mid-Autumn, plus the
        # Saturday make-up day that follows Thursday's timetable.
        self.assertEqual(len(sessions), 38)
        days = set(sessions.mapped("date"))
        self.assertNotIn(date(2026, 10, 1), days)
        self.assertNotIn(date(2026, 9, 24), days)
        self.assertIn(date(2026, 10, 10), days)
        self.assertEqual(
            days,
            {
                day
                for day, weekday in self.term._get_service_schedule().items()
                if weekday in (1, 3)
            },
        )
        self.assertEqual(set(sessions.mapped("periods")), {2})
        self.assertEqual(sessions.teacher_id, self.teacher)
        self.assertEqual(sessions.venue_id, self.room_a)

    def test_start_stop_in_school_timezone_for_both_windows(self):
        self.term.action_generate_sessions()
        autumn = self.session_on(self.chess, date(2026, 9, 1))
        winter = self.session_on(self.chess, date(2026, 11, 3))
        # Shanghai is UTC+8: 16:30–18:00 local is 08:30–10:00 UTC; 16:20–17:50 is 08:20–09:50.
        self.assertEqual(
            (autumn.start, autumn.stop),
            (datetime(2026, 9, 1, 8, 30), datetime(2026, 9, 1, 10, 0)),
        )
        self.assertEqual(
            (winter.start, winter.stop),
            (datetime(2026, 11, 3, 8, 20), datetime(2026, 11, 3, 9, 50)),
        )
        self.assertEqual(winter.calendar_event_id.start, winter.start)
        self.assertEqual(winter.calendar_event_id.stop, winter.stop)

    def test_generation_is_idempotent(self):
        self.term.action_generate_sessions()
        sessions, events = (
            self.chess.session_ids,
            self.chess.session_ids.calendar_event_id,
        )
        self.term.action_generate_sessions()
        self.chess.invalidate_recordset()
        self.assertEqual(self.chess.session_ids, sessions)
        self.assertEqual(self.chess.session_ids.calendar_event_id, events)
        self.assertEqual(len(events), 38)

    def test_events_on_teacher_calendar_without_mail(self):
        env = self.env(user=self.manager, context={})
        mails = self.env["mail.mail"].sudo().search_count([])
        messages = self.env["mail.message"].sudo().search_count([])
        self.term.with_env(env).action_generate_sessions()
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails)
        self.assertEqual(self.env["mail.message"].sudo().search_count([]), messages)
        events = self.chess.session_ids.calendar_event_id
        self.assertEqual(len(events), 38)
        self.assertEqual(events.user_id, self.teacher)
        self.assertEqual(events.partner_ids, self.teacher.partner_id)
        self.assertFalse(events.alarm_ids)
        # Events in the future get no invitation either, nor do updates and removals send anything.
        session = self.chess.session_ids.sorted("date")[-1]
        session.with_env(env).write({"teacher_id": self.teacher_2.id})
        self.assertEqual(
            session.calendar_event_id.partner_ids, self.teacher_2.partner_id
        )
        self.assertEqual(session.calendar_event_id.user_id, self.teacher_2)
        event = session.calendar_event_id
        session.with_env(env).action_cancel()
        self.assertFalse(session.calendar_event_id)
        self.assertFalse(event.exists())
        self.assertEqual(self.env["mail.mail"].sudo().search_count([]), mails)

    def test_closure_added_later_cancels_sessions_and_unmarked_attendance(self):
        student, other = (
            self.create_student("Xiao Ming"),
            self.create_student("Xiao Hong"),
        )
        self.enrol(student, self.chess)
        self.enrol(other, self.chess)
        self.term.action_generate_sessions()
        nov_10, nov_12 = (
            self.session_on(self.chess, date(2026, 11, 10)),
            self.session_on(self.chess, date(2026, 11, 12)),
        )
        self.assertEqual(len(nov_10.attendance_ids), 2)
        marked = nov_10.attendance_ids.filtered(lambda line: line.student_id == student)
        marked.state = "absent"
        event = nov_12.calendar_event_id
        self.term.write(
            {
                "closure_ids": [
                    Command.create(
                        {
                            "name": "Sports Week",
                            "date_from": date(2026, 11, 9),
                            "date_to": date(2026, 11, 13),
                        }
                    )
                ]
            }
        )
        self.term.action_generate_sessions()
        self.assertEqual((nov_10 | nov_12).mapped("state"), ["cancelled", "cancelled"])
        self.assertFalse(event.exists())
        self.assertEqual(
            nov_10.attendance_ids, marked, "the marked line is history and stays"
        )
        self.assertFalse(nov_12.attendance_ids)
        # The closure is lifted: the sessions come back, with their rosters and events.
        self.term.closure_ids.filtered(lambda c: c.name == "Sports Week").unlink()
        self.term.action_generate_sessions()
        self.assertEqual(nov_12.state, "planned")
        self.assertEqual(len(nov_12.attendance_ids), 2)
        self.assertTrue(nov_12.calendar_event_id)

    def test_manual_cancellation_is_not_undone(self):
        self.term.action_generate_sessions()
        session = self.session_on(self.chess, date(2026, 12, 1))
        session.action_cancel()
        self.term.action_generate_sessions()
        self.assertEqual(session.state, "cancelled")

    def test_group_day_change_regenerates_only_what_changed(self):
        self.term.action_generate_sessions()
        tuesdays = self.chess.session_ids.filtered(lambda s: s.date.weekday() == 1)
        thursdays = self.chess.session_ids.filtered(lambda s: s.date.weekday() == 3)
        self.chess.write({"thu": False, "wed": True})
        self.assertTrue(all(s.state == "planned" for s in tuesdays))
        self.assertEqual(set(thursdays.mapped("state")), {"cancelled"})
        self.assertFalse(thursdays.calendar_event_id)
        planned = self.chess.session_ids.filtered(lambda s: s.state == "planned")
        self.assertEqual(
            planned - tuesdays, planned.filtered(lambda s: s.date.weekday() == 2)
        )
        self.assertEqual(len(planned.filtered(lambda s: s.date.weekday() == 2)), 19)
        # A new group is picked up by the next run without touching the others.
        reading = self.create_group(
            "Reading Room", self.teacher_2, self.room_b, days=("fri",)
        )
        before = self.chess.session_ids
        self.term.action_generate_sessions()
        self.assertEqual(self.chess.session_ids, before)
        self.assertTrue(reading.session_ids)

    def test_new_teacher_takes_over_planned_sessions(self):
        self.term.action_generate_sessions()
        self.chess.teacher_id = self.teacher_2
        future = self.chess.session_ids.filtered(lambda s: s.date >= date.today())
        past = self.chess.session_ids - future
        self.assertEqual(future.teacher_id, self.teacher_2)
        self.assertEqual(future.calendar_event_id.user_id, self.teacher_2)
        self.assertEqual(past.teacher_id, self.teacher)

    def test_uncovered_day_refused(self):
        self.term.window_ids.filtered(lambda w: w.name == "Winter").date_to = date(
            2027, 1, 8
        )
        with self.assertRaisesMessage(UserError, "do not cover"):
            self.term.action_generate_sessions()
        self.assertFalse(self.chess.session_ids)


class TestSessionConflicts(ServiceCase):
    def test_teacher_double_booked_at_generation(self):
        self.create_group("Drawing Club", self.teacher, self.room_b, days=("thu",))
        with self.assertRaisesMessage(
            UserError,
            "Sessions not generated: the teacher as_teacher (afterschool_service.group_afterschool_teacher) "
            "would be in Chess Club and in Drawing Club at the same time (2026-09-03 16:30).",
        ):
            self.term.action_generate_sessions()
        self.assertFalse(
            self.env["afterschool.session"].search([("term_id", "=", self.term.id)])
        )

    def test_venue_double_booked_at_generation(self):
        self.create_group("Drawing Club", self.teacher_2, self.room_a, days=("tue",))
        with self.assertRaisesMessage(
            UserError,
            "Sessions not generated: the venue Room A would hold Chess Club and Drawing Club",
        ):
            self.term.action_generate_sessions()
        self.assertFalse(
            self.env["afterschool.session"].search([("term_id", "=", self.term.id)])
        )

    def test_double_booking_refused_on_edit_naming_the_other_session(self):
        drawing = self.create_group(
            "Drawing Club", self.teacher_2, self.room_b, days=("tue",)
        )
        self.term.action_generate_sessions()
        chess = self.session_on(self.chess, date(2026, 12, 1))
        with self.assertRaisesMessage(
            ValidationError, "Drawing Club 2026-12-01 (2026-12-01 16:20–17:50)"
        ):
            chess.teacher_id = self.teacher_2
        self.assertEqual(chess.teacher_id, self.teacher)
        with self.assertRaisesMessage(ValidationError, "Room B"):
            chess.venue_id = self.room_b
        # Outside the other session's time it is fine; a cancelled session blocks nothing.
        self.session_on(drawing, date(2026, 12, 1)).action_cancel()
        chess.teacher_id = self.teacher_2
        self.assertEqual(chess.calendar_event_id.user_id, self.teacher_2)


class TestSessionAccess(ServiceCase):
    @freeze_time(
        "2026-12-01 09:00:00"
    )  # the session's day (17:00 at the school): teachers take attendance then
    def test_teacher_sees_and_marks_only_own_sessions(self):
        student = self.create_student("Xiao Ming")
        self.enrol(student, self.chess)
        other = self.create_group(
            "Drawing Club", self.teacher_2, self.room_b, days=("wed",)
        )
        self.enrol(self.create_student("Xiao Hong"), other)
        self.term.action_generate_sessions()
        Session = self.env["afterschool.session"].with_user(self.teacher)
        self.assertEqual(
            Session.search([("term_id", "=", self.term.id)]), self.chess.session_ids
        )
        own = self.session_on(self.chess, date(2026, 12, 1)).with_user(self.teacher)
        own.action_mark_all_present()
        self.assertEqual(own.attendance_ids.mapped("state"), ["present"])
        with self.assertRaisesMessage(
            AccessError, "Only the coordinator can change the schedule"
        ):
            own.start = datetime(2026, 12, 1, 7, 0)
        with self.assertRaises(AccessError):
            self.session_on(other, date(2026, 12, 2)).with_user(
                self.teacher
            ).attendance_ids.write({"state": "present"})
        with self.assertRaises(AccessError):
            own.action_cancel()


class TestSessionDemo(ServiceCase):
    """The demo is built on the install day: this runs on the real clock (or scripts/test --at's)."""

    clock = None

    def test_demo_plans_the_demo_school_and_takes_past_attendance(self):
        Session = self.env["afterschool.session"]
        xmlid = "afterschool_service.res_company_demo"
        if not self.env.ref(xmlid, raise_if_not_found=False):
            self.assertFalse(
                self.env["afterschool.demo"]._demo_generate_sessions(),
                "nothing to do without the demo school",
            )
            self.env["ir.model.data"].create(
                {
                    "module": "afterschool_service",
                    "name": "res_company_demo",
                    "model": "res.company",
                    "res_id": self.company.id,
                }
            )
            today = self.company._afterschool_today()
            around_today = self.create_term(
                name="Current Term",
                date_start=today - timedelta(days=28),
                date_end=today + timedelta(days=28),
                window_ids=[
                    Command.create(
                        {
                            "date_from": today - timedelta(days=28),
                            "date_to": today + timedelta(days=28),
                            "hour_from": 16.5,
                            "hour_to": 18.0,
                        }
                    )
                ],
            )
            group = self.create_group(
                "Current Reading Room",
                self.teacher_2,
                self.room_b,
                term=around_today,
                days=("tue", "wed", "thu", "fri"),
            )
            self.enrol(
                self.create_student("Xiao Ming"),
                group,
                date_enrolled=around_today.date_start,
            )
        self.assertTrue(self.env["afterschool.demo"]._demo_generate_sessions())
        company = self.env.ref(xmlid)
        today = company._afterschool_today()
        past = Session.search(
            [
                ("company_id", "=", company.id),
                ("state", "!=", "cancelled"),
                ("date", "<", today),
                ("date", ">=", date.fromordinal(today.toordinal() - 21)),
            ]
        )
        self.assertTrue(past)
        self.assertEqual(set(past.mapped("state")), {"done"})
        self.assertFalse(past.attendance_ids.filtered(lambda line: not line.state))
        self.assertTrue(
            Session.search_count(
                [("company_id", "=", company.id), ("state", "=", "planned")]
            )
        )


class TestSessionMoves(ServiceCase):
    """Changing a session's date or times moves start, stop and the calendar event together; a day without
    service or a clash is refused; teachers close a session once it started; closing warns about children
    with no pickup recorded."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term.action_generate_sessions()
        cls.session = cls.env["afterschool.session"].search(
            [("group_id", "=", cls.chess.id), ("date", "=", date(2026, 12, 1))]
        )

    def test_new_date_moves_start_stop_and_event(self):
        self.session.with_user(self.manager).write(
            {"date": date(2026, 12, 2)}
        )  # a Wednesday, Chess meets Tue/Thu
        self.assertEqual(self.session.date, date(2026, 12, 2))
        self.assertEqual(
            (self.session.start, self.session.stop),
            (datetime(2026, 12, 2, 8, 20), datetime(2026, 12, 2, 9, 50)),
        )
        self.assertEqual(
            (self.session.calendar_event_id.start, self.session.calendar_event_id.stop),
            (self.session.start, self.session.stop),
        )

    def test_new_start_moves_the_date(self):
        self.session.with_user(self.manager).write(
            {"start": datetime(2026, 12, 2, 8, 0)}
        )
        self.assertEqual(self.session.date, date(2026, 12, 2))
        self.assertEqual(self.session.stop, datetime(2026, 12, 2, 9, 50))
        self.assertEqual(
            self.session.calendar_event_id.start, datetime(2026, 12, 2, 8, 0)
        )

    def test_day_without_service_is_refused(self):
        before = (
            self.session.date,
            self.session.start,
            self.session.stop,
            self.session.calendar_event_id.start,
        )
        with self.assertRaisesMessage(
            UserError,
            "Chess Club 2026-12-01 cannot move to 12/05/2026: it is not a "
            "service day of Autumn Test Term",
        ):
            self.session.with_user(self.manager).write(
                {"date": date(2026, 12, 5)}
            )  # a Saturday
        with self.assertRaisesMessage(
            UserError, "cannot move to 10/02/2026"
        ):  # National Day week
            self.session.with_user(self.manager).write(
                {
                    "start": datetime(2026, 10, 2, 8, 20),
                    "stop": datetime(2026, 10, 2, 9, 50),
                }
            )
        self.assertEqual(
            (
                self.session.date,
                self.session.start,
                self.session.stop,
                self.session.calendar_event_id.start,
            ),
            before,
        )

    def test_clash_is_refused_naming_the_other_session(self):
        self.create_group("Drawing Club", self.teacher, self.room_b, days=("wed",))
        self.term.action_generate_sessions()
        with self.assertRaisesMessage(
            ValidationError, "Double booking: the teacher as_teacher"
        ):
            self.session.with_user(self.manager).write({"date": date(2026, 12, 2)})
        self.assertEqual(self.session.date, date(2026, 12, 1))

    def test_teacher_moves_nothing(self):
        with self.assertRaises(AccessError):
            self.session.with_user(self.teacher).write({"date": date(2026, 12, 2)})
        self.assertEqual(self.session.date, date(2026, 12, 1))

    def test_teacher_cannot_close_before_the_start(self):
        self.session.content = "Openings"
        with freeze_time(
            "2026-12-01 08:00:00"
        ):  # 16:00 in Shanghai, the session starts at 16:20
            with self.assertRaisesMessage(
                UserError, "has not started yet (2026-12-01 16:20–17:50)"
            ):
                self.session.with_user(self.teacher).action_done()
        self.assertEqual(self.session.state, "planned")

    def test_closing_warns_about_children_without_pickup(self):
        ming = self.create_student("Xiao Ming")
        hong = self.create_student("Xiao Hong")
        self.enrol(ming, self.chess)
        self.enrol(hong, self.chess)
        self.term.action_generate_sessions()
        self.session._sync_rosters()
        with freeze_time("2026-12-01 10:00:00"):
            session = self.session.with_user(self.teacher)
            session.action_mark_all_present()
            session.attendance_ids.filtered(
                lambda line: line.student_id == ming
            ).picked_up_by_id = self.mother
            session.content = "Openings"
            action = session.action_done()
        self.assertEqual(self.session.state, "done")
        self.assertEqual(action["params"]["type"], "warning")
        self.assertIn("Xiao Hong", action["params"]["message"])
        self.assertNotIn("Xiao Ming", action["params"]["message"])
        self.assertIn("may still be in the building", self.session.message_ids[:1].body)

    def test_generation_refuses_a_clash_before_changing_anything(self):
        Session = self.env["afterschool.session"]
        before = Session.search([("term_id", "=", self.term.id)])
        states = before.mapped("state")
        drawing = self.create_group(
            "Drawing Club", self.teacher_2, self.room_a, days=("thu",)
        )
        reading = self.create_group(
            "Reading Corner", self.teacher_3, self.room_b, days=("wed",)
        )
        with self.assertRaisesMessage(
            UserError, "the venue Room A would hold Drawing Club and Chess Club"
        ):
            self.term.action_generate_sessions()
        self.assertEqual(Session.search([("term_id", "=", self.term.id)]), before)
        self.assertEqual(before.mapped("state"), states)
        self.assertFalse((drawing | reading).session_ids, "no half-generated term")
