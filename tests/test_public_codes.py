"""The codes people type in to act without a login of their own (issue #23, items 10, 11 and 17), attacked as
the security review did: through HTTP and ``odoo.api.call_kw``. Each attack must change nothing and tell
nothing: a wrong, used and locked code get one same answer, after FAILURE_LIMIT refused codes even the right
one is refused, no code is kept nor put in an address, and bad input is refused with a message, never a
traceback."""

import re
from datetime import date, timedelta

from odoo import Command, fields
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user
from odoo.tools import mute_logger

from odoo.addons.afterschool_service.tools.code_throttle import (
    FAILURE_LIMIT,
    FAILURE_WINDOW,
)

from .portal_common import PortalCase
from .rollcall_common import RollCallCase

REFUSED_PICKUP = "does not collect any child"
SURVEY_PAGE = "/afterschool/survey"


def alert(page):
    """The error the page shows (one alert), or None."""
    match = re.search(r'role="alert"[^>]*>(.*?)</div>', page.text, re.S)
    return match and match.group(1).strip()


def attempt_keys(env):
    env.cr.execute("SELECT scope, key FROM afterschool_code_attempt")
    return env.cr.fetchall()


def age_attempts(env, delta):
    """The refused codes as if tried ``delta`` earlier."""
    env.cr.execute("UPDATE afterschool_code_attempt SET at = at - %s", [delta])


class TestSurveyCodes(PortalCase):
    """The public page /afterschool/survey: families without the portal answer with their slip's code."""

    other_class = "class_3a"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["afterschool.needs.survey"]._send_for_classes(cls.term, cls.class_3a)
        surveys = cls.env["afterschool.needs.survey"].search(
            [("class_id", "=", cls.class_3a.id)]
        )
        cls.survey_a = surveys.filtered(lambda survey: survey.student_id == cls.student)
        cls.survey_b = surveys - cls.survey_a

    def answer_by_code(self, code, answer="declined"):
        return self.post(SURVEY_PAGE, code=code, answer=answer)

    def test_survey_code_page_locks_out_after_ten_refused_codes(self):
        self.authenticate(None, None)
        wrong = alert(self.answer_by_code("WRONG234"))
        self.assertIn("This code cannot be used", wrong)
        for index in range(FAILURE_LIMIT - 1):
            page = self.answer_by_code("ZZZZZ%03d" % index)
            self.assertEqual(page.status_code, 200)
            self.assertEqual(alert(page), wrong)
        # locked: the right code is refused with the same words, and nothing is answered
        page = self.answer_by_code(self.survey_b.code)
        self.assertEqual(alert(page), wrong)
        self.assertNotIn("your answer is recorded", page.text)
        self.assertNotIn(self.survey_b.student_id.name, page.text)
        self.assertEqual(self.survey_b.state, "pending")
        # counted per address, the codes themselves kept nowhere
        keys = attempt_keys(self.env)
        self.assertEqual(len(keys), FAILURE_LIMIT + 1)
        self.assertEqual({key for _scope, key in keys}, {"address:127.0.0.1"})
        self.assertEqual({scope for scope, _key in keys}, {"survey"})
        # once the window has passed, the family answers
        age_attempts(self.env, FAILURE_WINDOW)
        page = self.answer_by_code(self.survey_b.code.lower())
        self.assertIn("your answer is recorded", page.text)
        self.assertEqual(
            (self.survey_b.state, self.survey_b.channel), ("declined", "paper")
        )

    def test_used_slip_code_stops_working_and_never_overwrites_the_portal(self):
        # the family answered in the portal: the slip cannot change it
        self.login(self.parent_a)
        self.post(f"/my/afterschool/survey/{self.survey_a.id}/answer", answer="apply")
        self.assertEqual(
            (self.survey_a.state, self.survey_a.channel), ("apply", "portal")
        )
        self.authenticate(None, None)
        wrong = alert(self.answer_by_code("WRONG234"))
        self.assertEqual(alert(self.answer_by_code(self.survey_a.code)), wrong)
        self.assertEqual(
            (self.survey_a.state, self.survey_a.channel, self.survey_a.answered_by_id),
            ("apply", "portal", self.parent_a.partner_id),
        )
        # a slip answers once: the second time it is a wrong code
        page = self.answer_by_code(self.survey_b.code, "declined")
        self.assertIn("your answer is recorded", page.text)
        self.assertEqual(alert(self.answer_by_code(self.survey_b.code, "apply")), wrong)
        self.assertEqual(self.survey_b.state, "declined")

    def test_answer_flips_write_no_chatter_message(self):
        self.login(self.parent_a)
        messages = self.survey_a.message_ids
        for answer in ("apply", "declined") * 5:
            self.post(
                f"/my/afterschool/survey/{self.survey_a.id}/answer", answer=answer
            )
        self.assertEqual(self.survey_a.state, "declined")
        self.assertEqual(self.survey_a.message_ids, messages)

    @mute_logger("odoo.http")
    def test_nul_byte_in_the_survey_code(self):
        self.authenticate(None, None)
        for code in ("AB\x00CDEFG", "\x00" * 8, self.survey_b.code[:7] + "\x00"):
            page = self.answer_by_code(code)
            self.assertEqual(page.status_code, 200)
            self.assertIn("This code cannot be used", alert(page))
            self.assertNotIn("Traceback", page.text)
        page = self.url_open(SURVEY_PAGE + "?code=%00AB")
        self.assertEqual(page.status_code, 200)
        page = self.post(SURVEY_PAGE, code=self.survey_b.code, answer="app\x00ly")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Answer", alert(page))
        self.assertEqual(self.survey_b.state, "pending")


class TestPickupCodes(RollCallCase):
    """The roll-call's pickup code, through Odoo's RPC dispatch as the session's teacher."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rollcall_session.with_user(cls.teacher_3).rollcall_mark_all_present()

    def pickup_by_code(self, code, user=None):
        model = self.env["afterschool.session"].with_user(user or self.teacher_3)
        return call_kw(
            model, "rollcall_pickup_by_code", [self.rollcall_session.ids, code], {}
        )

    def collected(self):
        return self.rollcall_session.attendance_ids.filtered("picked_up_by_id")

    def test_pickup_code_locks_out_after_ten_refused_codes(self):
        errors = {
            self.pickup_by_code("%06d" % number)["error"]
            for number in range(100000, 100000 + FAILURE_LIMIT)
            if "%06d" % number != "246810"
        }
        self.assertEqual(len(errors), 1)
        self.assertIn(REFUSED_PICKUP, errors.pop())
        # the right code, locked: the same answer, nobody checked out
        data = self.pickup_by_code("246810")
        self.assertIn(REFUSED_PICKUP, data["error"])
        self.assertNotIn("message", data)
        self.assertFalse(self.collected())
        # the session is locked for the coordinator too (the target is counted, not only the user)
        self.assertIn(
            REFUSED_PICKUP, self.pickup_by_code("246810", self.manager)["error"]
        )
        self.assertFalse(self.collected())
        keys = {key for _scope, key in attempt_keys(self.env)}
        self.assertEqual(
            keys,
            {
                f"target:afterschool.session:{self.rollcall_session.id}",
                f"user:{self.teacher_3.id}",
                f"user:{self.manager.id}",
            },
        )
        self.assertFalse([key for key in keys if "246810" in key])
        # after the window, the right code collects
        age_attempts(self.env, FAILURE_WINDOW)
        data = self.pickup_by_code("246810")
        self.assertIn("Xiao Ming", data["message"])
        self.assertEqual(self.lines[self.ming].picked_up_by_id, self.grandpa)

    def test_not_a_string_as_pickup_code(self):
        for code in (
            ["246810"],
            {"code": "246810"},
            246810,
            None,
            "24681\x00",
            "２４６８１０",
        ):
            with self.subTest(code=code):
                self.assertIn(REFUSED_PICKUP, self.pickup_by_code(code)["error"])
        self.assertFalse(self.collected())
        model = self.env["afterschool.session"].with_user(self.teacher_3)
        line = self.lines[self.ming].id
        for partner in ([self.grandpa.id], {"id": 1}, "1"):
            with self.subTest(partner=partner), self.assertRaises(UserError):
                call_kw(
                    model,
                    "rollcall_pickup",
                    [self.rollcall_session.ids, line, partner],
                    {},
                )
        self.assertFalse(self.collected())

    def revoke(self, user, partners):
        return call_kw(
            self.env["res.partner"].with_user(user),
            "action_revoke_afterschool_pickup_code",
            [partners.ids],
            {},
        )

    def test_coordinator_revokes_a_pickup_code(self):
        other_school = self.env["res.company"].create(
            {"name": "Other Primary School", "currency_id": self.company.currency_id.id}
        )
        coordinator_b = new_test_user(
            self.env,
            "as_codes_coordinator_b",
            groups="afterschool_service.group_afterschool_manager",
            company_id=other_school.id,
            company_ids=[Command.set(other_school.ids)],
        )
        for user in (self.teacher_3, self.head_teacher, coordinator_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.revoke(user, self.grandpa)
        with self.assertRaises(AccessError):  # not somebody who collects a child
            self.revoke(self.manager, self.ming | self.stranger)
        self.assertEqual(self.grandpa.sudo().afterschool_pickup_code, "246810")
        self.revoke(self.manager, self.grandpa)
        self.assertFalse(self.grandpa.sudo().afterschool_pickup_code)
        self.assertIn(REFUSED_PICKUP, self.pickup_by_code("246810")["error"])
        self.assertFalse(self.collected())
        # a new code when they next need one, never the old one
        self.assertNotEqual(self.grandpa._get_afterschool_pickup_code(), "246810")


class TestPickupCodePortal(PortalCase):
    """The guardian's pickup code in the portal: its QR image and a new code."""

    def code(self, user):
        return user.partner_id.sudo().afterschool_pickup_code

    def test_the_qr_image_has_no_code_in_its_address(self):
        self.login(self.parent_a)
        page = self.url_open("/my/afterschool")
        code = self.code(self.parent_a)
        self.assertRegex(code, r"^\d{6}$")
        self.assertNotIn("/report/barcode", page.text)
        sources = re.findall(r'<img[^>]*src="([^"]*)"', page.text)
        self.assertFalse([src for src in sources if code in src])
        url = f"/my/afterschool/pickup-code/{self.parent_a.partner_id.id}/qr"
        self.assertIn(url, sources)
        image = self.url_open(url)
        self.assertEqual(image.status_code, 200)
        self.assertEqual(image.headers["Content-Type"], "image/png")
        self.assertIn("no-store", image.headers["Cache-Control"])
        self.assertTrue(image.content.startswith(b"\x89PNG"))
        # another guardian's image: not found, and their code left undrawn
        self.login(self.parent_b)
        self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 404)
        self.assertFalse(self.code(self.parent_b))
        self.authenticate(None, None)
        response = self.url_open(url, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    @mute_logger("odoo.http")
    def test_guardian_draws_a_new_code_of_their_own(self):
        self.login(self.parent_a)
        self.url_open("/my/afterschool")
        old = self.code(self.parent_a)
        # without the form's CSRF token: refused, the code kept
        response = self.url_open(
            "/my/afterschool/pickup-code/rotate",
            data={"csrf_token": "forged"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.code(self.parent_a), old)
        response = self.post(
            "/my/afterschool/pickup-code/rotate",
            partner_id=self.parent_b.partner_id.id,
        )
        self.assertEqual(response.status_code, 303)
        self.assertIn("message=pickup_code", response.headers["Location"])
        new = self.code(self.parent_a)
        self.assertRegex(new, r"^\d{6}$")
        self.assertNotEqual(new, old)
        self.assertFalse(self.code(self.parent_b), "only the caller's own code")
        page = self.url_open("/my/afterschool?message=pickup_code")
        self.assertIn("Your new pickup code is ready", page.text)
        # a portal user with no child here draws nothing
        stranger = new_test_user(
            self.env, "as_codes_stranger", groups="base.group_portal"
        )
        self.authenticate(stranger.login, stranger.login)
        response = self.post("/my/afterschool/pickup-code/rotate")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self.code(stranger))
        # the method behind it: the holder's own code only
        with self.assertRaises(AccessError):
            self.parent_b.partner_id.with_user(
                self.parent_a
            )._afterschool_rotate_pickup_code()


class TestAgreementCodes(PortalCase):
    """The family's agreement link: its access code is throttled like the other codes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        application = cls.approve(cls.create_application())
        application._allocate()
        application.action_publish()
        cls.agreement = application.agreement_id
        cls.agreement._portal_ensure_token()

    def open_with(self, token):
        return self.url_open(
            f"/my/afterschool/agreement/{self.agreement.id}?access_token={token}",
            allow_redirects=False,
        )

    def test_agreement_link_locks_out_after_ten_wrong_codes(self):
        self.authenticate(None, None)
        token = self.agreement.sudo().access_token
        for index in range(FAILURE_LIMIT):
            response = self.open_with("%s%03d" % (token[:-3], index))
            self.assertEqual(response.status_code, 303)
            self.assertTrue(response.headers["Location"].endswith("/my"))
        response = self.open_with(token)
        self.assertEqual(response.status_code, 303, "locked: the right code too")
        self.assertTrue(response.headers["Location"].endswith("/my"))
        self.assertNotIn(token, str(attempt_keys(self.env)))
        state = self.agreement.state
        sign = self.make_jsonrpc_request(
            f"/my/afterschool/agreement/{self.agreement.id}/sign",
            {
                "access_token": token,
                "name": "Mallory",
                "signature": "R0lGODlhAQABAAAAACw=",
            },
        )
        self.assertEqual(sign, {"error": "Invalid agreement."})
        self.assertEqual(self.agreement.state, state)
        self.assertFalse(self.agreement.signer_name)
        age_attempts(self.env, FAILURE_WINDOW)
        response = self.open_with(token)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Li Ming", response.text)


class TestInputReplays(RollCallCase):
    """Bad input through RPC: refused with a message, nothing written, no traceback."""

    def test_attendance_note_nul_and_length(self):
        model = self.env["afterschool.attendance"].with_user(self.teacher_3)
        line = self.lines[self.ming]
        for note in ("Left \x00early", "x" * 2001, "名" * 350_000, ["a list"]):
            with self.subTest(length=len(note)), self.assertRaises(ValidationError):
                call_kw(model, "write", [line.ids, {"note": note}], {})
        self.assertFalse(line.note)
        call_kw(model, "write", [line.ids, {"note": "Left early " + "x" * 1980}], {})
        self.assertEqual(len(line.note), 1991)

    def test_identical_leave_is_refused(self):
        model = self.env["afterschool.leave"].with_user(self.manager)
        day = fields.Date.to_string(self.rollcall_session.date + timedelta(days=1))
        vals = {
            "student_id": self.hong.id,
            "date_from": day,
            "date_to": day,
            "reason": "Dentist",
        }
        call_kw(model, "create", [vals], {})
        with self.assertRaisesMessage(ValidationError, "already has a leave"):
            call_kw(model, "create", [vals], {})
        with self.assertRaisesMessage(ValidationError, "already has a leave"):
            call_kw(model, "create", [[vals] * 9], {})
        leaves = self.env["afterschool.leave"].search(
            [("student_id", "=", self.hong.id)]
        )
        self.assertEqual(len(leaves), 1)
        # a cancelled leave is no obstacle to asking again; another day is another leave
        leaves.with_user(self.manager).action_cancel()
        call_kw(model, "create", [vals], {})
        other_day = dict(vals, date_to=str(date.fromisoformat(day) + timedelta(days=1)))
        call_kw(model, "create", [other_day], {})
        self.assertEqual(
            self.env["afterschool.leave"].search_count(
                [("student_id", "=", self.hong.id), ("state", "=", "confirmed")]
            ),
            2,
        )
