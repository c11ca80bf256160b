from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user

from .enrolment_common import EnrolmentCase


class TestApplicationFlow(EnrolmentCase):
    def test_whole_flow_by_roles(self):
        """Head teacher submits and approves, coordinator re-reviews, places and publishes, guardian's
        signature (recorded by staff) enrols; each step records who and when."""
        application = self.create_application(groups=self.reading | self.chess)
        as_head = application.with_user(self.head_teacher)
        as_manager = application.with_user(self.manager)
        self.assertTrue(as_head.can_submit)
        self.assertFalse(as_head.can_class_approve)

        as_head.action_submit()
        self.assertEqual(application.state, "submitted")
        self.assertTrue(application.date_submitted)
        review = application.activity_ids
        self.assertEqual(
            review.activity_type_id,
            self.env.ref("afterschool_service.mail_activity_type_class_review"),
        )
        self.assertEqual(review.user_id, self.head_teacher)

        self.assertTrue(as_head.can_class_approve)
        as_head.action_class_approve()
        self.assertEqual(application.state, "class_approved")
        self.assertEqual(application.class_approver_id, self.head_teacher)
        self.assertTrue(application.date_class_approved)
        review = application.activity_ids
        self.assertEqual(
            review.activity_type_id,
            self.env.ref("afterschool_service.mail_activity_type_school_review"),
        )
        self.assertEqual(review.user_id, self.manager, "the coordinator re-reviews")

        self.assertFalse(as_head.can_school_approve)
        as_manager.action_school_approve()
        self.assertEqual(application.state, "school_approved")
        self.assertEqual(application.school_approver_id, self.manager)
        self.assertFalse(application.activity_ids)
        self.assertTrue(application.is_waiting, "approved but not yet placed")

        self.assertEqual(as_manager._allocate(), 2)
        self.assertEqual(application.group_ids, self.reading | self.chess)
        self.assertFalse(application.is_waiting)
        self.assertIn(self.student, self.reading.student_ids)

        action = as_manager.action_publish()
        self.assertEqual(
            action["report_name"], "afterschool_service.report_afterschool_posting"
        )
        self.assertEqual(application.state, "published")
        self.assertTrue(application.date_published)
        agreement = application.agreement_id
        self.assertEqual(agreement.state, "draft")
        self.assertEqual(agreement.guardian_id, self.guardian)
        posting = self.class_3a.message_ids[:1]
        self.assertIn(
            "Li Ming", posting.body, "the class list is posted in the class's chatter"
        )

        agreement.with_user(self.head_teacher).action_sign("Parent of Li Ming")
        self.assertEqual(application.state, "enrolled")
        self.assertEqual(application.date_enrolled, self.term_start)
        self.assertEqual(agreement.signed_by_id, self.head_teacher)

    def test_head_teacher_approves_only_own_class(self):
        other = self.create_application(self.create_student("Wang Fang", self.class_3b))
        other.action_submit()
        with self.assertRaisesMessage(
            UserError, "Only the head teacher of 3B or a coordinator can approve"
        ):
            other.with_user(self.head_teacher).action_class_approve()
        self.assertEqual(other.state, "submitted")
        self.assertFalse(other.with_user(self.head_teacher).can_class_approve)
        with self.assertRaises(AccessError):  # and does not even see it
            other.with_user(self.head_teacher).read(["state"])
        other.with_user(self.manager).action_class_approve()
        self.assertEqual(other.state, "class_approved")

    def test_coordinator_only_steps(self):
        application = self.create_application()
        application.action_submit()
        application.action_class_approve()
        as_head = application.with_user(self.head_teacher)
        with self.assertRaisesMessage(
            UserError, "Only a coordinator can do the school review."
        ):
            as_head.action_school_approve()
        with self.assertRaisesMessage(
            UserError, "during the class review) or a coordinator can reject"
        ):
            as_head.action_reject("Not needed")
        application.action_school_approve()
        with self.assertRaisesMessage(
            UserError, "Only a coordinator can place students in groups."
        ):
            as_head.action_open_placement()
        with self.assertRaisesMessage(
            UserError, "Only a coordinator can place students in groups."
        ):
            as_head.write({"group_ids": [Command.link(self.reading.id)]})
        application._allocate()
        with self.assertRaisesMessage(
            UserError, "Only a coordinator can publish applications."
        ):
            as_head.action_publish()
        application.action_publish()
        with self.assertRaisesMessage(
            UserError, "Only a coordinator can terminate an enrolment."
        ):
            as_head.action_terminate("Misconduct")
        self.assertEqual(application.state, "published")
        self.assertEqual(application.group_ids, self.reading)

    def test_plain_teacher_takes_no_step(self):
        application = self.create_application()
        as_teacher = application.with_user(self.teacher)
        with self.assertRaises(AccessError):
            as_teacher.read(["state"])
        with self.assertRaisesMessage(
            UserError,
            "Only a guardian of Li Ming, the head teacher of 3A or a coordinator",
        ):
            as_teacher.action_submit()
        self.assertEqual(application.state, "draft")

    def test_nobody_skips_a_step(self):
        application = self.create_application()
        as_manager = application.with_user(self.manager)
        with self.assertRaisesMessage(
            UserError, "Only a submitted application can pass the class review"
        ):
            as_manager.action_class_approve()
        with self.assertRaisesMessage(
            UserError, "Only an application approved by the class can pass the school"
        ):
            as_manager.action_school_approve()
        with self.assertRaisesMessage(
            UserError, "Only an application approved by the school can be published"
        ):
            as_manager.action_publish()
        with self.assertRaisesMessage(
            UserError, "Only a published or enrolled application can be terminated"
        ):
            as_manager.action_terminate("Too early")
        with self.assertRaisesMessage(
            UserError, "Only an application under review can be rejected"
        ):
            as_manager.action_reject("Draft")
        as_manager.action_submit()
        with self.assertRaisesMessage(
            UserError, "Only a draft application can be submitted"
        ):
            as_manager.action_submit()
        with self.assertRaisesMessage(UserError, "Use the buttons of the application"):
            as_manager.write({"state": "enrolled"})
        self.assertEqual(application.state, "submitted")

    def test_submit_needs_a_group(self):
        application = self.create_application(
            groups=self.env["afterschool.activity.group"]
        )
        with self.assertRaisesMessage(
            UserError, "Choose at least one group for Li Ming"
        ):
            application.with_user(self.head_teacher).action_submit()
        self.assertEqual(application.state, "draft")

    def test_new_application_starts_as_draft(self):
        with self.assertRaisesMessage(UserError, "A new application starts as a draft"):
            self.school_env["afterschool.application"].with_user(self.manager).create(
                {
                    "student_id": self.student.id,
                    "guardian_id": self.guardian.id,
                    "term_id": self.term.id,
                    "state": "school_approved",
                }
            )

    def test_form_creates_draft(self):
        with Form(
            self.school_env["afterschool.application"].with_user(self.manager)
        ) as form:
            form.student_id = self.student
            form.guardian_id = self.guardian
            form.term_id = self.term
            form.requested_group_ids.add(self.reading)
        application = form.record
        self.assertEqual(application.state, "draft")
        self.assertEqual(application.class_id, self.class_3a)
        self.assertEqual(application.grade, 3)


class TestApplicationChecks(EnrolmentCase):
    def test_one_live_application_per_student_and_term(self):
        first = self.create_application()
        with self.assertRaisesMessage(
            ValidationError,
            "Li Ming already has an application for Enrolment Test Term",
        ):
            self.create_application()
        first.action_submit()
        first.action_withdraw("Changed our mind")
        second = self.create_application()
        self.assertEqual(
            second.state, "draft", "after a withdrawal the family may apply again"
        )
        self.create_application(groups=self.other_term_group, term=self.other_term)

    def test_guardian_must_be_of_this_student(self):
        stranger = self.school_env["res.partner"].create({"name": "Stranger"})
        with self.assertRaisesMessage(
            ValidationError, "Stranger is not a guardian of Li Ming"
        ):
            self.create_application(guardian_id=stranger.id)
        self.assertFalse(
            self.env["afterschool.application"].search(
                [("student_id", "=", self.student.id)]
            )
        )

    def test_only_students_apply(self):
        with self.assertRaisesMessage(
            ValidationError, "Parent of Li Ming is not a student"
        ):
            self.school_env["afterschool.application"].create(
                {
                    "student_id": self.guardian.id,
                    "guardian_id": self.guardian.id,
                    "term_id": self.term.id,
                }
            )

    def test_requested_group_of_another_term(self):
        with self.assertRaisesMessage(
            ValidationError,
            "belongs to the term Other Test Term, not to Enrolment Test Term",
        ):
            self.create_application(groups=self.other_term_group)

    def test_requested_group_must_admit_the_grade(self):
        first_grader = self.create_student("Zhao Lei", self.class_1a)
        with self.assertRaisesMessage(
            ValidationError, "Chess Club admits grades 3 to 6; Zhao Lei is in grade 1"
        ):
            self.create_application(first_grader, self.chess)
        self.assertEqual(self.create_application(first_grader, self.reading).grade, 1)

    def test_placed_only_in_requested_groups(self):
        application = self.approve(self.create_application(groups=self.reading))
        with self.assertRaisesMessage(
            ValidationError, "can only be placed in groups the family asked for"
        ):
            application.with_user(self.manager).write(
                {"group_ids": [Command.link(self.chess.id)]}
            )

    def test_fields_locked_by_step(self):
        application = self.create_application()
        application.action_submit()
        as_head = application.with_user(self.head_teacher)
        as_head.write({"requested_group_ids": [Command.link(self.chess.id)]})
        with self.assertRaisesMessage(
            UserError,
            "The student and the term of a submitted application cannot change",
        ):
            as_head.write({"term_id": self.other_term.id})
        application.action_class_approve()
        application.action_school_approve()
        with self.assertRaisesMessage(
            UserError, "cannot change after the school review"
        ):
            application.with_user(self.manager).write(
                {"requested_group_ids": [Command.clear()]}
            )

    def test_ended_application_is_read_only(self):
        application = self.create_application()
        application.action_submit()
        application.action_withdraw("Moving away")
        for user in (self.manager, self.env.user):
            with self.assertRaisesMessage(
                UserError, "is Withdrawn and can no longer be changed"
            ):
                application.with_user(user).write(
                    {"requested_group_ids": [Command.clear()]}
                )
        with self.assertRaisesMessage(UserError, "there is nothing to withdraw"):
            application.action_withdraw("Again")
        application.message_post(body="The chatter stays open.")
        self.assertEqual(application.requested_group_ids, self.reading)

    def test_only_drafts_are_deleted(self):
        draft = self.create_application()
        submitted = self.create_application(
            self.create_student("Wang Fang", self.class_3b)
        )
        submitted.action_submit()
        with self.assertRaisesMessage(
            UserError, "Only draft applications can be deleted"
        ):
            submitted.with_user(self.manager).unlink()
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())


class TestApplicationEnding(EnrolmentCase):
    def test_reject_needs_a_reason_and_clears_activities(self):
        application = self.create_application()
        application.action_submit()
        as_head = application.with_user(self.head_teacher)
        with self.assertRaisesMessage(UserError, "Give a reason"):
            as_head.action_reject("   ")
        action = as_head.action_reject()
        self.assertEqual(action["res_model"], "afterschool.application.reason.wizard")
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.head_teacher)
            .with_context(**action["context"])
            .create({"reason": "The family lives too far away."})
        )
        wizard.action_confirm()
        self.assertEqual(application.state, "rejected")
        self.assertEqual(application.reason, "The family lives too far away.")
        self.assertFalse(application.activity_ids)

    def test_withdraw_by_guardian_in_person(self):
        """A guardian's portal account may withdraw their own child, not another family's."""
        portal = new_test_user(
            self.env,
            "as_parent",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.student.guardian_ids |= portal.partner_id
        other = self.create_application(self.create_student("Wang Fang", self.class_3b))
        other.action_submit()
        with self.assertRaisesMessage(
            UserError, "Only a guardian of Wang Fang, the head teacher of 3B"
        ):
            other.with_user(portal).action_withdraw("Not mine")
        application = self.enrol(self.create_application())
        application.with_user(portal).action_withdraw("We moved.", self.term_start)
        self.assertEqual(application.state, "withdrawn")
        self.assertEqual(application.date_left, self.term_start)
        self.assertEqual(application.agreement_id.state, "terminated")
        self.reading.invalidate_recordset(["student_ids"])
        self.assertNotIn(self.student, self.reading.student_ids)

    def test_terminate_by_coordinator(self):
        application = self.enrol(self.create_application())
        with self.assertRaisesMessage(UserError, "Give a reason"):
            application.with_user(self.manager).action_terminate("")
        application.with_user(self.manager).action_terminate(
            "Left the school unattended twice."
        )
        self.assertEqual(application.state, "terminated")
        self.assertEqual(application.agreement_id.state, "terminated")
        self.assertTrue(application.date_left)

    def test_approve_a_whole_class_at_once(self):
        """The list's batch buttons work on hundreds of applications, with one to-do each."""
        students = self.school_env["res.partner"].create(
            [
                {
                    "name": f"Student {index}",
                    "is_student": True,
                    "class_id": self.class_3a.id,
                    "guardian_ids": [Command.create({"name": f"Guardian {index}"})],
                }
                for index in range(200)
            ]
        )
        applications = self.school_env["afterschool.application"].create(
            [
                {
                    "student_id": student.id,
                    "guardian_id": student.guardian_ids.id,
                    "term_id": self.term.id,
                    "requested_group_ids": [Command.set(self.chess.ids)],
                }
                for student in students
            ]
        )
        as_head = applications.with_user(self.head_teacher)
        as_head.action_submit()
        queries_before = self.cr.sql_log_count
        as_head.action_class_approve()
        self.assertLess(self.cr.sql_log_count - queries_before, 10 * len(applications))
        self.assertEqual(set(applications.mapped("state")), {"class_approved"})
        activities = applications.activity_ids
        self.assertEqual(len(activities), 200)
        self.assertEqual(activities.user_id, self.manager)


class TestDemoApplications(EnrolmentCase):
    def test_demo_spreads_over_every_state(self):
        self.reading.capacity = 40
        self.chess.capacity = 40
        for index in range(40):
            self.create_student(
                f"Demo Student {index}", self.class_3a if index % 2 else self.class_3b
            )
        self.assertTrue(
            self.env["afterschool.demo"]._create_demo_applications(self.company)
        )
        applications = self.env["afterschool.application"].search(
            [("term_id", "=", self.term.id)]
        )
        self.assertEqual(
            set(applications.mapped("state")),
            {
                "draft",
                "submitted",
                "class_approved",
                "school_approved",
                "published",
                "enrolled",
                "rejected",
                "withdrawn",
                "terminated",
            },
        )
        self.assertFalse(
            self.env["afterschool.demo"]._create_demo_applications(self.company),
            "runs once per term",
        )


class TestPlacedBeforePosted(EnrolmentCase):
    """Only a child with a place is posted (公示); the review lists show what the user may act on now."""

    def test_publishing_an_unplaced_application_is_refused(self):
        application = self.approve(self.create_application())
        self.assertTrue(application.is_waiting)
        as_manager = application.with_user(self.manager)
        self.assertFalse(
            as_manager.can_publish, "no Publish button on a waiting application"
        )
        with self.assertRaisesMessage(
            UserError,
            "Li Ming has no place in any group yet and waits for one: place "
            "the application (Place Students) before publishing it.",
        ):
            as_manager.action_publish()
        self.assertEqual(application.state, "school_approved")
        self.assertFalse(application.agreement_id)
        self.assertFalse(application.date_published)
        self.assertFalse(
            self.class_3a.message_ids.filtered(
                lambda m: "Posting list" in (m.body or "")
            )
        )

    def test_a_batch_with_one_unplaced_application_changes_nothing(self):
        placed = self.approve(self.create_application())
        waiting = self.approve(
            self.create_application(self.create_student("Wang Fang", self.class_3b))
        )
        placed._allocate()
        self.reading.capacity = 1
        with self.assertRaisesMessage(
            UserError, "Wang Fang has no place in any group yet"
        ):
            (placed | waiting).with_user(self.manager).action_publish()
        self.assertEqual(set((placed | waiting).mapped("state")), {"school_approved"})
        self.assertFalse((placed | waiting).agreement_id)

    def test_posting_list_shows_each_childs_groups(self):
        application = self.approve(
            self.create_application(groups=self.reading | self.chess)
        )
        application._allocate()
        application.with_user(self.manager).action_publish()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "afterschool_service.afterschool_posting_report", application.ids
            )[0]
            .decode()
        )
        self.assertIn("Chess Club, Reading Room", html)
        self.assertIn("Reading Room", self.class_3a.message_ids[:1].body)

    def test_to_review_lists_what_the_user_may_review_now(self):
        mine = self.create_application()
        other_class = self.create_application(
            self.create_student("Wang Fang", self.class_3b)
        )
        (mine | other_class).action_submit()
        Application = self.env["afterschool.application"]
        self.assertEqual(
            Application.with_user(self.head_teacher).search(
                [("is_to_review", "=", True)]
            ),
            mine,
        )
        self.assertEqual(
            Application.with_user(self.other_head_teacher).search(
                [("is_to_review", "=", True)]
            ),
            other_class,
        )
        self.assertTrue(mine.with_user(self.head_teacher).is_to_review)
        self.assertFalse(other_class.with_user(self.head_teacher).is_to_review)
        self.assertFalse(
            Application.with_user(self.manager).search([("is_to_review", "=", True)])
        )
        mine.with_user(self.head_teacher).action_class_approve()
        self.assertFalse(
            Application.with_user(self.head_teacher).search(
                [("is_to_review", "=", True)]
            ),
            "approved by the class: the school reviews it now",
        )
        self.assertEqual(
            Application.with_user(self.manager).search([("is_to_review", "=", True)]),
            mine,
        )
        self.assertEqual(
            Application.with_user(self.manager).search([("is_to_review", "!=", True)])
            & mine,
            Application,
        )
        # The form shows who reviewed, and when.
        self.assertEqual(mine.class_approver_id, self.head_teacher)
        self.assertTrue(mine.date_class_approved)
