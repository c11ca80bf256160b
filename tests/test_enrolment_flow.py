"""The whole year's flow, end to end, each step taken by the role that takes it, through the methods its
screen calls: apply → class review → school review → place → publish → sign → enrolled → sessions →
attendance → invoice."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import new_test_user

from .common import BillingCase
from .enrolment_common import SIGNATURE


class TestEnrolmentFlow(BillingCase):
    clock = "2026-11-30 02:00:00"  # Monday 30 November, 10:00 at the school

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.afterschool_coordinator_id = cls.manager
        cls.klass.head_teacher_id = cls.head_teacher
        cls.venue = cls.school_env["afterschool.venue"].create(
            {"name": "Library", "capacity": 40, "company_id": cls.company.id}
        )
        cls.reading.write({"teacher_id": cls.teacher.id, "venue_id": cls.venue.id})
        cls.term.action_open()
        cls.mother = cls.create_guardian("Zhou Li")
        cls.parent = new_test_user(
            cls.env,
            "as_flow_parent",
            groups="base.group_portal",
            partner_id=cls.mother.id,
        )
        cls.child = cls.create_student("Zhou Xiaoyu", cls.mother)

    def test_apply_to_invoice_as_each_role(self):
        Application = self.env["afterschool.application"]
        # The guardian applies in the portal (what /my/afterschool/student/<id>/apply calls).
        application = Application.with_user(self.parent)._apply_as_guardian(
            self.child, self.term, self.reading
        )
        self.assertEqual(application.state, "submitted")
        # The head teacher reviews for the class, from "To Review".
        as_head = Application.with_user(self.head_teacher)
        self.assertEqual(as_head.search([("is_to_review", "=", True)]), application)
        application.with_user(self.head_teacher).action_class_approve()
        # The coordinator reviews for the school, places and publishes.
        as_coordinator = Application.with_user(self.manager)
        self.assertEqual(
            as_coordinator.search([("is_to_review", "=", True)]), application
        )
        application.with_user(self.manager).action_school_approve()
        self.assertFalse(
            application.with_user(self.manager).can_publish, "not before it has a place"
        )
        wizard = (
            self.env["afterschool.placement.wizard"]
            .with_user(self.manager)
            .create({"term_id": self.term.id})
        )
        wizard.action_allocate()
        self.assertEqual(application.group_ids, self.reading)
        self.assertTrue(application.with_user(self.manager).can_publish)
        application.with_user(self.manager).action_publish()
        self.assertEqual(application.state, "published")
        agreement = application.agreement_id
        # The guardian signs in the portal (what /my/afterschool/agreement/<id>/sign calls): enrolled from today.
        agreement.with_user(self.parent).sudo().action_sign("Zhou Li", SIGNATURE)
        self.assertEqual(agreement.signer_partner_id, self.mother)
        self.assertEqual(application.state, "enrolled")
        self.assertEqual(application.date_enrolled, date(2026, 11, 30))
        # The coordinator generates the sessions: the child is on the rosters from the day of signing.
        self.term.with_user(self.manager).action_generate_sessions()
        sessions = self.reading.session_ids
        rostered = sessions.filtered(
            lambda session: self.child in session.attendance_ids.student_id
        )
        self.assertTrue(rostered)
        self.assertEqual(min(rostered.mapped("date")), date(2026, 12, 1))
        tuesday = rostered.filtered(lambda session: session.date == date(2026, 12, 1))
        self.assertEqual(tuesday.calendar_event_id.user_id, self.teacher)
        # The teacher takes attendance and the pickup on the day, and closes the session.
        with freeze_time("2026-12-01 10:00:00"):  # 18:00 at the school
            as_teacher = tuesday.with_user(self.teacher)
            as_teacher.action_mark_all_present()
            as_teacher.attendance_ids.write(
                {
                    "picked_up_by_id": self.mother.id,
                    "check_out": datetime(2026, 12, 1, 9, 55),
                }
            )
            as_teacher.content = "Reading aloud"
            self.assertTrue(as_teacher.action_done())
        self.assertEqual(tuesday.state, "done")
        # The accountant invoices December: the guardian owes the periods attended at the term's rate.
        with freeze_time("2027-01-02 02:00:00"):
            self.run_invoicing(date(2026, 12, 1), date(2026, 12, 31))
        invoice = self.env["account.move"].search([("partner_id", "=", self.mother.id)])
        self.assertEqual(len(invoice), 1)
        self.assertRecordValues(
            invoice.invoice_line_ids,
            [
                {
                    "product_id": self.period_product.id,
                    "quantity": 2.0,
                    "price_unit": 3.5,
                    "discount": 0.0,
                }
            ],
        )
        self.assertEqual(invoice.move_type, "out_invoice")
        self.assertEqual(invoice.state, "draft")

    def test_the_flow_refuses_steps_out_of_turn(self):
        application = (
            self.env["afterschool.application"]
            .with_user(self.parent)
            ._apply_as_guardian(self.child, self.term, self.reading)
            .with_env(self.env)
        )
        application.with_user(self.head_teacher).action_class_approve()
        application.with_user(self.manager).action_school_approve()
        self.reading.capacity = 1
        other = self.create_student("Zhou Xiaoming", self.mother)
        placed = (
            self.env["afterschool.application"]
            .with_user(self.parent)
            ._apply_as_guardian(other, self.term, self.reading)
            .with_env(self.env)
        )
        placed.with_user(self.head_teacher).action_class_approve()
        placed.with_user(self.manager).action_school_approve()
        placed.write(
            {"date_submitted": datetime(2026, 1, 1)}
        )  # applied first: takes the only place
        self.env["afterschool.placement.wizard"].with_user(self.manager).create(
            {
                "term_id": self.term.id,
                "application_ids": [Command.set((application | placed).ids)],
            }
        ).action_allocate()
        self.assertTrue(application.is_waiting)
        with self.assertRaisesMessage(
            UserError, "Zhou Xiaoyu has no place in any group yet"
        ):
            application.with_user(self.manager).action_publish()
        self.assertEqual(application.state, "school_approved")
        self.assertFalse(application.agreement_id)
