"""Family notices in the parents' portal (HTTP) and in the demo school."""

from odoo import http
from odoo.tests import HttpCase, tagged

from .common import DemoCase
from .notice_common import NoticeCase


@tagged("post_install", "-at_install", "afterschool")
class TestNoticePortal(HttpCase, NoticeCase):
    def post(self, url, **data):
        return self.url_open(
            url,
            data=dict(data, csrf_token=http.Request.csrf_token(self)),
            allow_redirects=False,
        )

    def test_feed_answer_and_choice_of_notices(self):
        self.line(self.child).with_user(self.teacher).action_absent()
        self.deliver()
        to_mother = self.notices(kind="absence", guardian_id=self.mother.id)
        to_father = self.notices(kind="absence", guardian_id=self.father.id)
        self.authenticate(self.guardian_user.login, self.guardian_user.login)
        page = self.url_open(f"/my/afterschool/student/{self.child.id}").text
        self.assertIn("o_afterschool_notice", page)
        self.assertIn("010-5555", page, "the notice's text, with whom to call")
        response = self.post(
            f"/my/afterschool/notice/{to_father.id}/reply", answer="Not mine"
        )
        self.assertEqual(response.status_code, 403, "another guardian's notice")
        response = self.post(
            f"/my/afterschool/notice/{to_mother.id}/reply", answer="With me today"
        )
        self.assertEqual(response.status_code, 303)
        self.assertFalse(
            to_mother.activity_ids, "the guardian answered: the to-dos are closed"
        )
        self.post(f"/my/afterschool/student/{self.child.id}/notices", kinds="pickup")
        self.assertTrue(self.mother.afterschool_notice_pickup)
        self.assertTrue(
            self.mother.afterschool_notice_absence,
            "mandatory, not the guardian's to turn off",
        )
        response = self.post(
            f"/my/afterschool/student/{self.lonely.id}/notices", kinds="pickup"
        )
        self.assertEqual(response.status_code, 403, "not their child")


class TestNoticeDemo(DemoCase):
    def test_demo_family_received_each_kind_of_notice(self):
        parent2 = self.env.ref("afterschool_service.res_partner_parent2_demo")
        notices = self.env["afterschool.notice"].search(
            [("guardian_id", "=", parent2.id)]
        )
        self.assertEqual(
            set(notices.mapped("kind")), {"absence", "pickup", "not_collected"}
        )
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        self.assertEqual(notices.student_id.name, "王梓萱")
