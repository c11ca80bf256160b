"""Chatter and families' answers on the addon's records (outside review of 18.0.2.0.1, #23).

``message_post``, ``message_subscribe`` and ``message_notify`` come from mail.thread and are public RPC
endpoints on every record with a chatter. Each test replays an attack through ``call_kw`` and checks
that nothing was posted, followed or queued.
"""

from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError

from .common import school_user
from .notice_common import NoticeCase


class TestChatterGuard(NoticeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = school_user(
            cls.env,
            "as_chatter_officer",
            "afterschool_service.group_afterschool_district_officer",
            cls.company,
        )
        cls.outsider = cls.env["res.partner"].create(
            {"name": "Someone Else", "email": "someone@example.com"}
        )

    def setUp(self):
        super().setUp()
        self.line(self.child).with_user(self.teacher).action_absent()
        self.deliver()
        self.to_mother = self.notices(kind="absence", guardian_id=self.mother.id)

    def rpc(self, user, records, method, **kwargs):
        return call_kw(records.with_user(user), method, [records.ids], kwargs)

    def trail(self, records):
        """Every message, follower and outgoing mail of the records (to compare before and after)."""
        return (
            records.message_ids.ids,
            records.message_follower_ids.ids,
            self.env["mail.mail"].search([]).ids,
        )

    def test_a_family_cannot_relay_mail_through_a_notice(self):
        before = self.trail(self.to_mother)
        with self.assertRaisesMessage(AccessError, "names no recipients"):
            self.rpc(
                self.guardian_user,
                self.to_mother,
                "message_post",
                body='<a href="http://example.com">点此</a>',
                partner_ids=[self.outsider.id],
                body_is_html=True,
                message_type="comment",
            )
        with self.assertRaisesMessage(AccessError, "names no recipients"):
            self.rpc(
                self.guardian_user,
                self.to_mother,
                "message_notify",
                body="spam",
                partner_ids=[self.outsider.id],
            )
        self.assertEqual(self.trail(self.to_mother), before)

    def test_portal_answers_are_short_and_few(self):
        notice = self.to_mother.with_user(self.guardian_user)
        with self.assertRaisesMessage(UserError, "at most 2000 characters"):
            notice._reply_as_guardian("很" * 2001)
        for number in range(5):
            notice._reply_as_guardian(f"Answer {number}")
        with self.assertRaisesMessage(UserError, "please call the school"):
            notice._reply_as_guardian("Answer 6")

    def test_nobody_posts_as_the_guardian(self):
        """A head teacher's note in the guardian's name would close the absence to-dos as answered."""
        todos = self.to_mother.activity_ids
        self.assertTrue(todos)
        with self.assertRaisesMessage(AccessError, "in your own name only"):
            self.rpc(
                self.head_teacher,
                self.to_mother,
                "message_post",
                body="He is with me",
                author_id=self.mother.id,
                message_type="comment",
            )
        self.assertEqual(self.to_mother.activity_ids, todos, "still to do")

    def test_read_only_roles_neither_follow_nor_post(self):
        records = [self.to_mother, self.sitting, self.term]
        for records_ in records:
            before = self.trail(records_)
            with self.subTest(model=records_._name):
                with self.assertRaisesMessage(AccessError, "do not write"):
                    self.rpc(
                        self.officer,
                        records_,
                        "message_subscribe",
                        partner_ids=self.officer.partner_id.ids,
                    )
                with self.assertRaisesMessage(AccessError, "do not write"):
                    self.rpc(self.officer, records_, "message_post", body="Seen.")
                self.assertEqual(self.trail(records_), before)
        # a teacher follows nothing they cannot change: another teacher's session
        with self.assertRaises(AccessError):
            self.rpc(
                self.teacher_3,
                self.sitting,
                "message_subscribe",
                partner_ids=self.teacher_3.partner_id.ids,
            )
