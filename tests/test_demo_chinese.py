"""The demo schools are Chinese schools: what the addon composed while the demo was built (activity
summaries, notices, the messages it posted, the agreements' text) and the demo's free text (leave and
absence reasons, session content, incidents, inspections, health notes, the demo's make-up day, the
reasons of refused and ended applications, satisfaction comments) hold no
English word of the addon (only with Odoo's demo data).

A word counts as the addon's English when it occurs in one of the addon's msgids (the helpers of
``test_zh_menu_walk.py``); names, numbers, e-mail addresses and Odoo's own words do not. The texts are
read as stored (composed once, when the demo built them), as a zh_CN coordinator reads them.
"""

from markupsafe import Markup

from odoo.tools import html2plaintext

from .common import DemoCase
from .test_zh_menu_walk import _english, _label_words


class TestDemoInChinese(DemoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.schools = cls.env["res.company"]
        for xmlid in (
            "afterschool_service.res_company_demo",
            "afterschool_service.res_company_district_demo",
        ):
            cls.schools |= cls.env.ref(xmlid, raise_if_not_found=False) or cls.schools
        cls.label_words = _label_words()
        # As the demo school's coordinator reads it.
        cls.zh_env = cls.env(context=dict(cls.env.context, lang="zh_CN"))

    def _search(self, model, domain=()):
        return (
            self.zh_env[model]
            .sudo()
            .with_context(active_test=False)
            .search([("company_id", "in", self.schools.ids), *domain])
        )

    def assertChinese(self, texts):
        """``texts``: (what, text) pairs; fails listing every text with the addon's English words."""
        english = []
        for what, text in texts:
            if isinstance(text, Markup) or (text or "").lstrip().startswith("<"):
                text = html2plaintext(text or "")
            words = _english(text or "", self.label_words)
            if words:
                english.append(
                    "%s → %s (in %r)" % (what, ", ".join(sorted(words)), text[:200])
                )
        self.assertFalse(english, "\n".join(english))

    def test_the_demo_is_built_in_chinese(self):
        self.assertEqual(
            set(self.schools.partner_id.mapped("lang")), {"zh_CN"}, "both schools"
        )
        admin = self.env.ref("base.user_admin")
        users = self.zh_env["res.users"].search(
            [("company_id", "in", self.schools.ids), ("id", "!=", admin.id)]
        )
        self.assertEqual(set(users.mapped("lang")), {"zh_CN"})
        self.assertNotEqual(
            admin.lang, "zh_CN", "the database's administrator is left alone"
        )

    def test_activity_summaries(self):
        activities = (
            self.zh_env["mail.activity"]
            .sudo()
            .search([("res_model", "like", "afterschool.%")])
        )
        self.assertTrue(activities.filtered("summary"), "the demo has activities to do")
        self.assertChinese(
            ("%s activity %s" % (activity.res_model, activity.id), activity.summary)
            for activity in activities
        )

    def test_notices(self):
        notices = self._search("afterschool.notice")
        self.assertTrue(notices, "王磊 received notices about 王梓萱")
        self.assertChinese(
            ("notice %s %s" % (notice.id, field), notice[field])
            for notice in notices
            for field in ("subject", "channels", "body", "failure_reason")
        )

    def test_messages_posted_by_the_addon(self):
        """What the addon posts on its records; not Odoo's own notes about activities (assigned to you,
        done), which Odoo writes with its own terms (loaded by scripts/run, not by the tests)."""
        activities = self.env.ref("mail.mt_activities")
        messages = (
            self.zh_env["mail.message"]
            .sudo()
            .search(
                [
                    ("model", "like", "afterschool.%"),
                    ("body", "!=", False),
                    ("message_type", "!=", "user_notification"),
                    ("subtype_id", "!=", activities.id),
                ]
            )
        ).filtered(lambda message: html2plaintext(message.body or "").strip())
        self.assertTrue(messages, "the demo posted messages")
        self.assertChinese(
            (
                "message %s on %s,%s" % (message.id, message.model, message.res_id),
                (message.subject or "") + " " + message.body,
            )
            for message in messages
        )

    def test_agreement_texts(self):
        agreements = self._search("afterschool.agreement")
        self.assertTrue(agreements.filtered("body"), "the demo has agreements")
        self.assertChinese(
            ("agreement %s" % agreement.name, agreement.body)
            for agreement in agreements
        )

    def test_free_text(self):
        texts = []
        for model, domain, fields in (
            ("afterschool.leave", [], ("reason",)),
            ("afterschool.school.absence", [], ("reason",)),
            ("afterschool.session", [("content", "!=", False)], ("content",)),
            ("afterschool.incident", [], ("description", "action_taken")),
            ("afterschool.inspection", [], ("finding",)),
            ("afterschool.term.makeup", [], ("name",)),
            ("afterschool.application", [("reason", "!=", False)], ("reason",)),
            ("afterschool.satisfaction", [("comment", "!=", False)], ("comment",)),
            (
                "res.partner",
                [("is_student", "=", True), ("health_notes", "!=", False)],
                ("health_notes",),
            ),
        ):
            records = self._search(model, domain)
            self.assertTrue(records, model)
            texts += [
                ("%s %s %s" % (model, record.id, field), record[field])
                for record in records
                for field in fields
            ]
        self.assertChinese(texts)
