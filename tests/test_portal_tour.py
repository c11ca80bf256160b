from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .enrolment_common import EnrolmentCase


@tagged("post_install", "-at_install", "afterschool")
class TestPortalTour(HttpCase, EnrolmentCase):
    """A parent applies and signs on a phone (Chromium emulating a 375×667 touch screen)."""

    browser_size = "375x667"
    touch_enabled = True

    def test_parent_applies_and_signs_on_a_phone(self):
        parent = new_test_user(
            self.env,
            "as_tour_parent",
            name="Parent of the Tour",
            groups="base.group_portal",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
            tz="Asia/Shanghai",
        )
        self.env["afterschool.activity.group"].create(
            {
                "name": "Grade 1 Homework Room",
                "term_id": self.term.id,
                "kind": "homework",
                "capacity": 40,
                "grade_min": 1,
                "grade_max": 1,
            }
        )
        ming = self.create_student(
            "Xiao Ming", self.class_3a, guardian=parent.partner_id
        )
        hong = self.create_student(
            "Xiao Hong", self.class_3b, guardian=parent.partner_id
        )
        published = self.approve(self.create_application(hong))
        published._allocate()
        published.action_publish()

        self.start_tour("/my", "afterschool_portal_tour", login=parent.login)

        applied = self.env["afterschool.application"].search(
            [("student_id", "=", ming.id)]
        )
        self.assertEqual(applied.state, "submitted")
        self.assertEqual(applied.requested_group_ids, self.chess)
        self.assertEqual(published.agreement_id.state, "signed")
        self.assertEqual(published.agreement_id.signer_name, "Parent of the Tour")
        self.assertEqual(published.state, "enrolled")
