"""Family notices: unexpected absence, pickup and not collected — who is told, in which language, once."""

from datetime import timedelta

from odoo.exceptions import AccessError

from .notice_common import NoticeCase


class TestAbsenceNotice(NoticeCase):
    def test_absence_tells_each_guardian_in_their_language(self):
        self.line(self.child).with_user(self.teacher).action_absent()
        notices = self.notices(kind="absence", student_id=self.child.id)
        self.assertEqual(notices.guardian_id, self.mother | self.father)
        self.assertEqual(
            set(notices.mapped("state")),
            {"queued"},
            "held a minute before anything is sent",
        )
        self.assertFalse(self.mails())
        self.deliver()
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        to_mother = notices.filtered(lambda notice: notice.guardian_id == self.mother)
        to_father = notices - to_mother
        self.assertEqual(to_mother.lang, "zh_CN")
        self.assertIn("课后服务点名", to_mother.body)
        self.assertIn(
            "Xiao Ming was marked absent at the after-school roll call of Chess Club",
            to_father.body,
        )
        for notice in notices:
            self.assertIn(self.sitting._get_local_span(), notice.body)
            self.assertIn("010-5555", notice.body, "whom to call")
        self.assertIn("Portal", to_mother.channels)
        self.assertIn("Email", to_father.channels)
        mails = self.mails()
        self.assertEqual(mails.recipient_ids, self.mother | self.father)
        self.assertEqual(
            set(mails.mapped("state")),
            {"outgoing"},
            "mail goes through Odoo's mail queue only",
        )

    def test_todos_for_coordinator_and_head_teacher_closed_when_the_child_turns_up(
        self,
    ):
        line = self.line(self.child)
        line.with_user(self.teacher).action_absent()
        self.deliver()
        activities = self.notices(kind="absence", student_id=self.child.id).activity_ids
        self.assertEqual(activities.user_id, self.manager | self.head_teacher)
        self.assertIn(
            "Zhang Wei 13900000002", activities[0].note, "the guardians' phones"
        )
        self.assertTrue(
            self.env["afterschool.notice"]
            .with_user(self.head_teacher)
            .search([("student_id", "=", self.child.id)]),
            "the head teacher reads their student's notices",
        )
        line.with_user(self.teacher).action_present()
        self.assertFalse(
            self.notices(kind="absence", student_id=self.child.id).activity_ids
        )
        self.assertFalse(activities.exists().filtered("active"))

    def test_guardian_answer_closes_the_todos(self):
        self.line(self.child).with_user(self.teacher).action_absent()
        self.deliver()
        notices = self.notices(kind="absence", student_id=self.child.id)
        to_mother = notices.filtered(lambda notice: notice.guardian_id == self.mother)
        to_father = notices - to_mother
        with self.assertRaisesMessage(AccessError, "afterschool.notice"):
            to_father.with_user(self.guardian_user)._reply_as_guardian("Not mine")
        with self.assertRaisesMessage(
            AccessError, "Only the guardian it was sent to can answer"
        ):
            to_father.with_user(self.guardian_user).sudo()._reply_as_guardian(
                "Not mine"
            )
        to_mother.with_user(self.guardian_user)._reply_as_guardian(
            "He is with me, I forgot the leave."
        )
        self.assertFalse(notices.activity_ids)
        self.assertIn("He is with me", to_mother.message_ids[0].body)

    def test_guardian_email_reply_closes_the_todos(self):
        self.line(self.child).with_user(self.teacher).action_absent()
        self.deliver()
        to_father = self.notices(kind="absence", guardian_id=self.father.id)
        self.assertEqual(
            to_father.email_status, "ready", "waiting in Odoo's mail queue"
        )
        # what the mail gateway does with the father's reply to the email
        to_father.message_post(
            body="She is at her aunt's", author_id=self.father.id, message_type="email"
        )
        self.assertFalse(self.notices(kind="absence").activity_ids)

    def test_the_old_late_pickup_action_runs_the_alert(self):
        self.line(self.child).with_user(self.teacher).action_present()
        self.assertEqual(self.env["afterschool.session"]._cron_alert_not_collected(), 1)
        self.assertTrue(self.sitting.not_collected_alert_at)

    def test_marking_and_unmarking_within_a_minute_sends_nothing_and_nothing_twice(
        self,
    ):
        line = self.line(self.child).with_user(self.teacher)
        line.action_absent()
        line.action_present()
        notices = self.notices(kind="absence", student_id=self.child.id)
        self.assertEqual(set(notices.mapped("state")), {"cancelled"})
        self.deliver()
        self.assertFalse(self.mails())
        line.action_absent()
        self.deliver()
        self.assertEqual(set(notices.mapped("state")), {"sent"})
        self.assertEqual(len(self.mails()), 2)
        line.action_present()
        line.action_absent()
        self.deliver()
        self.assertEqual(
            self.notices(kind="absence", student_id=self.child.id),
            notices,
            "one notice per event",
        )
        self.assertEqual(len(self.mails()), 2, "never sent twice")

    def test_a_cron_run_before_the_hold_sends_nothing(self):
        self.line(self.child).with_user(self.teacher).action_absent()
        self.env["afterschool.notice"]._cron_deliver()
        self.assertEqual(
            set(self.notices(student_id=self.child.id).mapped("state")), {"queued"}
        )

    def test_nothing_for_excused_children(self):
        self.env["afterschool.leave"].create(
            {
                "student_id": self.child.id,
                "date_from": self.today,
                "date_to": self.today,
                "reason": "Dentist",
            }
        )
        self.env["afterschool.school.absence"].create(
            {"student_id": self.sibling.id, "date": self.today}
        )
        self.line(self.child).with_user(self.teacher).action_absent()
        self.line(self.sibling).with_user(self.teacher).action_absent()
        self.deliver()
        self.assertFalse(self.notices(kind="absence"))
        self.assertFalse(self.mails())

    def test_leave_within_the_minute_calls_the_notice_off(self):
        self.line(self.child).with_user(self.teacher).action_absent()
        self.env["afterschool.leave"].create(
            {
                "student_id": self.child.id,
                "date_from": self.today,
                "date_to": self.today,
                "reason": "Fever, phoned in",
            }
        )
        self.deliver()
        self.assertEqual(
            set(self.notices(kind="absence").mapped("state")), {"cancelled"}
        )
        self.assertFalse(self.mails())

    def test_nothing_for_a_cancelled_session(self):
        self.sitting.with_user(self.manager).action_cancel()
        self.line(self.child).action_absent()
        self.deliver()
        self.assertFalse(self.notices(kind="absence"))

    def test_an_older_day_corrected_tells_nobody(self):
        # The last service day (Tuesday to Friday) before yesterday: an older day, corrected by the coordinator.
        day = self.today - timedelta(days=2)
        while day.weekday() not in (1, 2, 3, 4):
            day -= timedelta(days=1)
        self.sitting.date = day
        self.line(self.child).with_user(self.manager).action_absent()
        self.assertFalse(self.notices())

    def test_batched_per_guardian(self):
        (self.line(self.child) | self.line(self.sibling)).with_user(
            self.teacher
        ).action_absent()
        self.deliver()
        to_mother = self.notices(kind="absence", guardian_id=self.mother.id)
        self.assertEqual(to_mother.student_id, self.child | self.sibling)
        self.assertEqual(
            len(to_mother.email_message_id), 1, "one message for both children"
        )
        mails = self.mails().filtered(lambda mail: self.mother in mail.recipient_ids)
        self.assertEqual(len(mails), 1)
        self.assertIn("Xiao Hong", mails.body_html)
        self.assertIn("Xiao Ming", mails.body_html)

    def test_opt_out_only_when_not_mandatory(self):
        self.mother.afterschool_notice_absence = False
        self.line(self.child).with_user(self.teacher).action_absent()
        self.assertEqual(
            self.notices(kind="absence").guardian_id,
            self.mother | self.father,
            "mandatory by default",
        )
        self.company.afterschool_notice_mandatory_absence = False
        self.line(self.sibling).with_user(self.teacher).action_absent()
        self.assertFalse(
            self.notices(kind="absence", student_id=self.sibling.id),
            "the mother opted out",
        )

    def test_a_guardian_without_any_address_is_a_failure_to_call(self):
        self.line(self.lonely).with_user(self.teacher).action_absent()
        self.deliver()
        notice = self.notices(kind="absence", student_id=self.lonely.id)
        self.assertEqual(notice.state, "failed")
        self.assertIn("call them", notice.failure_reason)


class TestNothingLeavesUnlessConfigured(NoticeCase):
    def test_mail_queue_only_and_no_sms_without_the_setting(self):
        self.assertFalse(self.company.afterschool_notice_sms)
        sms_before = (
            self.env["sms.sms"].search_count([]) if "sms.sms" in self.env else 0
        )
        self.line(self.child).with_user(self.teacher).action_absent()
        self.deliver()
        self.assertEqual(
            set(self.mails().mapped("state")),
            {"outgoing"},
            "queued for the school's own mail server",
        )
        if "sms.sms" in self.env:
            self.assertEqual(self.env["sms.sms"].search_count([]), sms_before)
        self.assertNotIn("SMS", " ".join(self.notices().mapped("channels")))

    def test_sms_when_the_school_configured_it(self):
        if "sms.sms" not in self.env:
            self.skipTest("Odoo SMS is not installed")
        self.company.afterschool_notice_sms = True
        self.father.afterschool_notice_pickup = True
        self.line(self.child).with_user(self.teacher).action_absent()
        self.deliver()
        sms = self.env["sms.sms"].search(
            [("partner_id", "in", (self.mother | self.father).ids)]
        )
        self.assertEqual(sorted(sms.mapped("number")), ["13800000001", "13900000002"])
        self.assertEqual(
            set(sms.mapped("state")),
            {"outgoing"},
            "queued in Odoo's SMS queue, never sent from here",
        )
        self.line(self.child).with_user(self.teacher).action_present()
        self.line(self.child).with_user(self.teacher).write(
            {"picked_up_by_id": self.grandpa.id}
        )
        self.deliver()
        self.assertEqual(
            self.env["sms.sms"].search(
                [("partner_id", "in", (self.mother | self.father).ids)]
            ),
            sms,
            "pickups are never sent by SMS",
        )


class TestPickupNotice(NoticeCase):
    def test_only_guardians_who_asked_are_told_who_collected_and_when(self):
        self.father.afterschool_notice_pickup = True
        line = self.line(self.child).with_user(self.teacher)
        line.action_present()
        line.write({"picked_up_by_id": self.grandpa.id})
        self.deliver()
        notice = self.notices(kind="pickup")
        self.assertEqual(notice.guardian_id, self.father)
        self.assertEqual(notice.state, "sent")
        self.assertIn("collected from Chess Club by Li Jun at", notice.body)
        self.assertIn(notice._get_local_time(line.check_out), notice.body)

    def test_mandatory_pickup_notice_in_chinese(self):
        self.company.afterschool_notice_mandatory_pickup = True
        line = self.line(self.child).with_user(self.teacher)
        line.action_present()
        line.write({"picked_up_by_id": self.grandpa.id})
        self.deliver()
        to_mother = self.notices(kind="pickup", guardian_id=self.mother.id)
        self.assertEqual(to_mother.state, "sent")
        self.assertIn("接走", to_mother.body)


class TestNotCollected(NoticeCase):
    def test_duty_teacher_and_coordinator_alerted_and_guardians_told(self):
        self.line(self.child).with_user(self.teacher).action_present()
        self.line(self.sibling).with_user(self.teacher).action_present()
        self.line(self.sibling).with_user(self.teacher).write(
            {"picked_up_by_id": self.mother.id}
        )
        Session = self.env["afterschool.session"]
        self.assertEqual(Session._cron_alert_not_collected(), 1)
        self.assertTrue(self.sitting.not_collected_alert_at)
        self.assertTrue(self.line(self.child).late_pickup)
        activities = self.sitting.activity_ids
        self.assertEqual(
            activities.user_id,
            self.teacher_2 | self.manager,
            "the duty teacher and the coordinator",
        )
        self.assertIn(
            "Xiao Ming: Wang Fang 13800000001, Zhang Wei 13900000002",
            activities[0].note,
        )
        self.assertNotIn("Xiao Hong", activities[0].note, "collected")
        notices = self.notices(kind="not_collected")
        self.assertEqual(notices.guardian_id, self.mother | self.father)
        self.deliver(minutes=0)
        self.assertEqual(
            set(notices.mapped("state")), {"sent"}, "not held: the child is waiting"
        )
        self.assertEqual(Session._cron_alert_not_collected(), 0, "once per session")
        self.assertEqual(self.sitting.activity_ids, activities)
        self.line(self.child).with_user(self.teacher_2).write(
            {"picked_up_by_id": self.grandpa.id}
        )
        self.assertFalse(
            self.sitting.activity_ids, "everyone collected: the to-dos are done"
        )

    def test_not_before_the_school_setting(self):
        self.line(self.child).with_user(self.teacher).action_present()
        self.company.afterschool_not_collected_minutes = 30
        self.assertEqual(self.env["afterschool.session"]._cron_alert_not_collected(), 0)
        self.assertFalse(self.notices())
        self.company.afterschool_not_collected_minutes = 15
        self.assertEqual(self.env["afterschool.session"]._cron_alert_not_collected(), 1)

    def test_nothing_for_a_cancelled_session(self):
        self.line(self.child).with_user(self.teacher).action_present()
        self.sitting.with_user(self.manager).action_cancel()
        self.assertEqual(self.env["afterschool.session"]._cron_alert_not_collected(), 0)


class TestNoticeAccess(NoticeCase):
    def test_read_only_trail_by_role(self):
        self.line(self.child).with_user(self.teacher).action_absent()
        self.deliver()
        notices = self.notices(kind="absence")
        Notice = self.env["afterschool.notice"]
        self.assertEqual(Notice.with_user(self.manager).search([]), notices)
        self.assertEqual(
            Notice.with_user(self.teacher).search([]),
            notices,
            "the teacher's own session",
        )
        self.assertFalse(
            Notice.with_user(self.teacher_3).search([]), "not their student"
        )
        self.assertEqual(
            Notice.with_user(self.guardian_user).search([]).guardian_id, self.mother
        )
        with self.assertRaisesMessage(AccessError, "not allowed to modify"):
            notices[0].with_user(self.manager).write({"state": "queued"})
        with self.assertRaisesMessage(AccessError, "not allowed to create"):
            Notice.with_user(self.manager).create(
                {
                    "kind": "absence",
                    "student_id": self.child.id,
                    "guardian_id": self.mother.id,
                    "attendance_id": self.line(self.child).id,
                }
            )

    def test_history_buttons(self):
        self.line(self.child).with_user(self.teacher).action_absent()
        self.assertEqual(self.sitting.with_user(self.teacher).notice_count, 2)
        self.assertEqual(self.child.with_user(self.manager).afterschool_notice_count, 2)
        action = self.child.with_user(self.manager).action_view_afterschool_notices()
        self.assertEqual(
            self.env["afterschool.notice"].search(action["domain"]).student_id,
            self.child,
        )

    def test_portal_preferences_are_the_guardians_own(self):
        self.mother.with_user(self.guardian_user)._afterschool_set_notice_preferences(
            {"pickup"}, self.company
        )
        self.assertTrue(self.mother.afterschool_notice_pickup)
        self.assertTrue(
            self.mother.afterschool_notice_absence, "mandatory: left as it was"
        )
        with self.assertRaisesMessage(
            AccessError, "You can only choose your own notices"
        ):
            self.father.with_user(
                self.guardian_user
            )._afterschool_set_notice_preferences(set(), self.company)
