from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .rollcall_common import RollCallCase


class TestRollCall(RollCallCase):
    """The roll-call screen's RPC methods: each tap acts, checks who calls, and answers the roster."""

    def rollcall(self, user=None):
        return self.rollcall_session.with_user(user or self.teacher_3)

    def row(self, data, student):
        return next(row for row in data["roster"] if row["name"] == student.name)

    def test_today_opens_on_the_teachers_session(self):
        today = (
            self.env["afterschool.session"].with_user(self.teacher_3).rollcall_today()
        )
        self.assertEqual(
            [s["id"] for s in today["sessions"]], self.rollcall_session.ids
        )
        current = today["current"]
        self.assertEqual(current["total"], 3)
        self.assertEqual(current["counts"]["unmarked"], 3)
        self.assertTrue(current["can_edit"] and current["started"])
        self.assertEqual(
            {p["name"] for p in self.row(current, self.ming)["pickups"]},
            {"Wang Fang", "Li Jun"},
        )
        self.assertIn("Reading", current["content_presets"])

    def test_today_without_a_session_says_when_the_next_one_is(self):
        tomorrow = self.rollcall_session.date + timedelta(days=1)
        self.rollcall_session.teacher_id = self.teacher_2
        today = (
            self.env["afterschool.session"].with_user(self.teacher_3).rollcall_today()
        )
        self.assertFalse(today["sessions"])
        self.assertFalse(today["current"])
        self.assertEqual(
            today["next_session"]["id"], self.session_on(self.reading, tomorrow).id
        )

    def test_taps_mark_pick_up_and_close(self):
        self.env["afterschool.school.absence"].create(
            {
                "student_id": self.gang.id,
                "date": self.rollcall_session.date,
                "company_id": self.company.id,
            }
        )
        data = self.rollcall().rollcall_mark_all_present()
        self.assertEqual(data["counts"]["present"], 2)
        self.assertEqual(
            self.row(data, self.gang)["state"],
            "absent",
            "absent from school: marked absent",
        )
        self.assertTrue(self.row(data, self.gang)["locked"])
        with self.assertRaisesMessage(UserError, "absent from school"):
            self.rollcall().rollcall_mark(self.lines[self.gang].id, "present")
        data = self.rollcall().rollcall_mark(self.lines[self.hong].id, "absent")
        self.assertEqual(self.row(data, self.hong)["state"], "absent")
        data = self.rollcall().rollcall_pickup(
            self.lines[self.ming].id, self.grandpa.id
        )
        self.assertEqual(self.row(data, self.ming)["picked_up_by"], "Li Jun")
        self.assertTrue(self.lines[self.ming].check_out)
        with self.assertRaisesMessage(UserError, "not started yet"):
            soon = fields.Datetime.now() + timedelta(minutes=5)
            self.rollcall_session.write(
                {"start": soon, "stop": soon + timedelta(minutes=90)}
            )
            self.rollcall().rollcall_close("Reading")
        data = self.rollcall().rollcall_close("Reading、Chess")
        self.assertEqual(data["state"], "done")
        self.assertEqual(self.rollcall_session.content, "Reading、Chess")
        with self.assertRaisesMessage(UserError, "closed or cancelled"):
            self.rollcall().rollcall_mark(self.lines[self.hong].id, "present")

    def test_pickup_code_checks_out_only_whom_its_holder_may_collect(self):
        self.rollcall().rollcall_mark_all_present()
        refused = "does not collect any child"
        data = self.rollcall().rollcall_pickup_by_code(
            "000000"
            if self.grandpa.sudo().afterschool_pickup_code != "000000"
            else "111111"
        )
        self.assertIn(refused, data["error"])
        self.stranger.sudo().afterschool_pickup_code = "135790"
        self.assertIn(
            refused, self.rollcall().rollcall_pickup_by_code("135790")["error"]
        )
        self.assertFalse(self.rollcall_session.attendance_ids.picked_up_by_id)
        data = self.rollcall().rollcall_pickup_by_code(" 246810 ")
        self.assertIn("Xiao Ming", data["message"])
        self.assertNotIn("error", data)
        self.assertEqual(self.lines[self.ming].picked_up_by_id, self.grandpa)
        self.assertFalse(self.lines[self.hong].picked_up_by_id)
        self.assertIn(
            refused, self.rollcall().rollcall_pickup_by_code("246810")["error"]
        )

    def test_pickup_codes_are_secret_and_drawn_once(self):
        code = self.mother._get_afterschool_pickup_code()
        self.assertRegex(code, r"^\d{6}$")
        self.assertEqual(self.mother._get_afterschool_pickup_code(), code)
        with self.assertRaises(AccessError):
            self.mother.with_user(self.teacher_3).read(["afterschool_pickup_code"])

    def test_only_the_sessions_teachers_take_its_roll_call(self):
        guardian = new_test_user(
            self.env, "as_rollcall_parent", groups="base.group_portal"
        )
        line = self.lines[self.hong].id
        for user in (self.teacher_2, self.head_teacher, guardian):
            for call in (
                lambda s: s.rollcall_read(),
                lambda s: s.rollcall_mark_all_present(),
                lambda s: s.rollcall_mark(line, "absent"),
                lambda s: s.rollcall_pickup(line, self.mother.id),
                lambda s: s.rollcall_pickup_by_code("246810"),
                lambda s: s.rollcall_close("Reading"),
                lambda s: s.action_open_rollcall(),
            ):
                with self.subTest(user=user.login), self.assertRaises(AccessError):
                    call(self.rollcall(user))
        with self.assertRaises(AccessError):
            self.env["afterschool.session"].with_user(guardian).rollcall_today()
        self.assertFalse(self.rollcall_session.attendance_ids.filtered("state"))
        # The coordinator may, and the duty teacher of the day too.
        self.rollcall(self.manager).rollcall_mark(line, "absent")
        self.rollcall_session.duty_teacher_id = self.teacher_2
        self.rollcall(self.teacher_2).rollcall_mark(line, "present")

    def test_teachers_change_attendance_within_the_correction_window_only(self):
        # Five days ago (a service day of this every-day term), past the 3 days teachers may correct.
        old = self.env["afterschool.session"].search(
            [
                ("group_id", "=", self.reading.id),
                ("date", "=", self.rollcall_session.date - timedelta(days=5)),
            ]
        )
        data = old.with_user(self.teacher_3).rollcall_read()
        self.assertFalse(data["can_edit"])
        line = old.attendance_ids.filtered(
            lambda attendance: attendance.student_id == self.hong
        )
        with self.assertRaises(AccessError):
            old.with_user(self.teacher_3).rollcall_mark(line.id, "absent")
