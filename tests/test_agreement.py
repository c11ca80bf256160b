from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .enrolment_common import SIGNATURE, EnrolmentCase


class TestAgreement(EnrolmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.approve(
            cls.create_application(groups=cls.reading | cls.chess)
        )
        cls.application._allocate()
        cls.application.action_publish()
        cls.agreement = cls.application.agreement_id

    def test_standard_text_for_this_family(self):
        body = str(self.agreement.body)
        for expected in (
            "Li Ming",
            "Parent of Li Ming",
            "3A",
            "Test Primary School",
            "Enrolment Test Term",
            "3.50",
            "16:30–18:00",
            "settled monthly",
            "Tuesday",
        ):
            self.assertIn(expected, body)
        self.assertNotIn("{{", body)
        self.assertEqual(
            self.agreement.access_url, f"/my/afterschool/agreement/{self.agreement.id}"
        )

    def test_school_text_with_placeholders(self):
        self.company.afterschool_agreement_template = (
            "<p>{{school}} looks after {{student}} for {{guardian}} at {{rate}};"
            " {{unknown}} stays.</p>"
        )
        other = self.approve(
            self.create_application(self.create_student("Wang Fang", self.class_3b))
        )
        other._allocate()
        other.action_publish()
        self.assertEqual(
            str(other.agreement_id.body),
            "<p>Test Primary School looks after Wang Fang for Parent of Wang Fang at ¥&nbsp;3.50;"
            " {{unknown}} stays.</p>",
        )

    def test_load_standard_text(self):
        self.company.action_afterschool_load_default_agreement()
        self.assertIn("{{student}}", self.company.afterschool_agreement_template)

    def test_send_by_email_with_the_pdf(self):
        self.agreement.with_user(self.manager).action_send()
        self.assertEqual(self.agreement.state, "sent")
        self.assertTrue(self.agreement.access_token)
        message = self.agreement.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )[:1]
        self.assertIn(self.guardian, message.partner_ids)
        self.assertIn(self.agreement.get_portal_url(), message.body)
        self.assertEqual(len(message.attachment_ids), 1, "the agreement is attached")

    def test_send_needs_an_email(self):
        self.guardian.email = False
        with self.assertRaisesMessage(
            UserError, "Parent of Li Ming has no email address"
        ):
            self.agreement.with_user(self.manager).action_send()
        self.assertEqual(self.agreement.state, "draft")

    def test_sign_by_staff_enrols(self):
        self.assertTrue(self.agreement.with_user(self.head_teacher).can_sign)
        wizard = (
            self.env["afterschool.agreement.sign.wizard"]
            .with_user(self.head_teacher)
            .create({"agreement_id": self.agreement.id, "signature": SIGNATURE})
        )
        self.assertEqual(wizard.signer_name, "Parent of Li Ming")
        wizard.action_confirm()
        self.assertEqual(self.agreement.state, "signed")
        self.assertEqual(self.agreement.signer_name, "Parent of Li Ming")
        self.assertTrue(self.agreement.signed_on)
        self.assertTrue(self.agreement.signature)
        self.assertEqual(self.agreement.signed_by_id, self.head_teacher)
        self.assertEqual(self.application.state, "enrolled")
        self.assertEqual(self.application.date_enrolled, self.term_start)

    def test_who_may_sign(self):
        with self.assertRaisesMessage(
            UserError,
            "Only a guardian of Li Ming, the head teacher of 3A or a coordinator",
        ):
            self.agreement.with_user(self.other_head_teacher).sudo(False).action_sign(
                "Someone"
            )
        with self.assertRaisesMessage(
            UserError, "Give the name of the person who signs"
        ):
            self.agreement.with_user(self.manager).action_sign("  ")
        self.assertEqual(self.agreement.state, "draft")
        self.assertEqual(self.application.state, "published")

    def test_signed_agreement_is_immutable(self):
        self.agreement.action_sign("Parent of Li Ming")
        with self.assertRaisesMessage(UserError, "already Signed"):
            self.agreement.with_user(self.manager).action_sign("Another Name")
        with self.assertRaisesMessage(
            UserError, "is signed or terminated and can no longer be changed"
        ):
            self.agreement.with_user(self.manager).write({"body": "<p>Other terms</p>"})
        with self.assertRaisesMessage(
            UserError, "is signed or terminated and can no longer be changed"
        ):
            self.agreement.write({"signer_name": "Forged"})
        self.application.with_user(self.manager).action_terminate("Left the school")
        self.assertEqual(self.agreement.state, "terminated")
        self.assertEqual(self.agreement.signer_name, "Parent of Li Ming")

    def test_agreement_changes_through_its_buttons_only(self):
        with self.assertRaisesMessage(UserError, "Use the buttons of the agreement"):
            self.agreement.with_user(self.head_teacher).write(
                {"body": "<p>Other terms</p>"}
            )
        with self.assertRaisesMessage(UserError, "Agreements are kept for the record"):
            self.agreement.with_user(self.manager).unlink()
        self.assertIn("settled monthly", str(self.agreement.body))

    def test_posting_list_renders(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "afterschool_service.afterschool_posting_report", self.application.ids
            )[0]
            .decode()
        )
        for expected in (
            "Posting List of the After-School Service",
            "Test Primary School",
            "3A",
            "Li M.",
            "Reading Room",
            "Chess Club",
        ):
            self.assertIn(expected, html)
        self.assertNotIn(
            "Left-behind", html, "the public list shows no family circumstances"
        )
        content, report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "afterschool_service.afterschool_posting_report", self.application.ids
        )
        self.assertTrue(content)

    def test_agreement_report_renders(self):
        self.agreement.action_sign("Parent of Li Ming", SIGNATURE)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html(
                "afterschool_service.afterschool_agreement_report", self.agreement.ids
            )[0]
            .decode()
        )
        self.assertIn("After-School Service Entrustment Agreement", html)
        self.assertIn("Parent of Li Ming", html)
        self.assertIn("data:image/png;base64", html)

    def test_chinese_text_for_a_chinese_guardian(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"].search(
            [("name", "=", "afterschool_service")]
        )._update_translations("zh_CN")
        self.guardian.lang = "zh_CN"
        other = self.approve(
            self.create_application(self.create_student("Wang Fang", self.class_3b))
        )
        other.student_id.guardian_ids.lang = "zh_CN"
        other._allocate()
        other.action_publish()
        body = str(other.agreement_id.body)
        self.assertIn("课后服务委托协议", body)
        self.assertIn("按月结算", body)
        self.assertIn("Wang Fang", body)


class TestAgreementFacts(EnrolmentCase):
    """The agreement names the guardians it binds and states what was agreed; the signature is the signing
    guardian's; families without email get a letter; sending works without wkhtmltopdf."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.father = cls.school_env["res.partner"].create({"name": "Li Qiang"})
        cls.grandma = cls.school_env["res.partner"].create(
            {"name": "Zhang Xiuying", "mobile": "138 0000 0001"}
        )
        cls.student.write(
            {
                "guardian_ids": [Command.link(cls.father.id)],
                "authorized_pickup_ids": [Command.set(cls.grandma.ids)],
                "emergency_contact": "Zhang Xiuying 138 0000 0001",
                "health_notes": "Peanut allergy",
            }
        )
        cls.application = cls.approve(
            cls.create_application(groups=cls.reading | cls.chess)
        )
        cls.application._allocate()
        cls.application.action_publish()
        cls.agreement = cls.application.agreement_id
        cls.accountant = new_test_user(
            cls.env,
            "as_accountant_agreement",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.venue_teacher = new_test_user(
            cls.env,
            "as_teacher_other",
            groups="afterschool_service.group_afterschool_teacher",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def test_states_what_was_agreed(self):
        body = str(self.agreement.body)
        for expected in (
            "Li Qiang, Parent of Li Ming",  # the guardians it binds
            "Reading Room: Tuesday, Thursday, Friday, Library",  # group, days, venue
            "Chess Club: Wednesday",
            "16:30–18:00",
            "invoiced each month to Parent of Li Ming",  # how the fee is settled
            "Zhang Xiuying",  # authorised to collect the child
            "Zhang Xiuying 138 0000 0001",
            "Peanut allergy",
        ):
            self.assertIn(expected, body)
        values = self.agreement._get_placeholder_values()
        for name in (
            "guardians",
            "groups",
            "venues",
            "group_times",
            "settlement",
            "pickup_persons",
            "emergency_contact",
            "health_notes",
        ):
            self.assertTrue(values[name], name)

    def test_health_notes_only_for_the_childs_carers(self):
        self.assertEqual(
            self.student.with_user(self.head_teacher).health_notes, "Peanut allergy"
        )
        self.assertEqual(
            self.student.with_user(self.manager).emergency_contact,
            "Zhang Xiuying 138 0000 0001",
        )
        with self.assertRaises(AccessError):
            self.student.with_user(self.accountant).read(["health_notes"])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.accountant).search(
                [("health_notes", "ilike", "peanut")]
            )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.accountant).read_group(
                [], ["emergency_contact"], ["emergency_contact"]
            )
        with self.assertRaises(AccessError):
            self.student.with_user(self.venue_teacher).read(
                ["health_notes"]
            )  # not their student
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.accountant).read(["body"])
        self.assertTrue(self.agreement.with_user(self.accountant).read(["state"]))

    def test_paper_signature_names_the_guardian_and_who_entered_it(self):
        wizard = (
            self.env["afterschool.agreement.sign.wizard"]
            .with_user(self.head_teacher)
            .create({"agreement_id": self.agreement.id})
        )
        self.assertEqual(wizard.guardian_id, self.guardian)
        wizard.guardian_id = self.father
        self.assertEqual(wizard.signer_name, "Li Qiang")
        wizard.action_confirm()
        self.assertRecordValues(
            self.agreement,
            [
                {
                    "state": "signed",
                    "signer_name": "Li Qiang",
                    "signer_partner_id": self.father.id,
                    "signed_by_id": self.head_teacher.id,
                }
            ],
        )
        self.assertIn("recorded by", self.agreement.message_ids[:1].body)

    def test_paper_signature_refuses_someone_not_a_guardian(self):
        with self.assertRaisesMessage(
            UserError, "Zhang Xiuying is not a guardian of Li Ming"
        ):
            self.agreement.with_user(self.head_teacher).action_sign(
                "Zhang Xiuying", guardian_id=self.grandma.id
            )
        self.assertEqual(self.agreement.state, "draft")
        self.assertFalse(self.agreement.signer_partner_id)
        self.assertEqual(self.application.state, "published")

    def test_portal_signer_is_the_logged_in_guardian(self):
        father_user = new_test_user(
            self.env, "as_father", groups="base.group_portal", partner_id=self.father.id
        )
        stranger = new_test_user(
            self.env, "as_stranger_parent", groups="base.group_portal"
        )
        with self.assertRaisesMessage(
            AccessError, "Only a guardian of Li Ming can sign this agreement."
        ):
            self.agreement.with_user(stranger).sudo().action_sign("Li Qiang", SIGNATURE)
        self.assertEqual(self.agreement.state, "draft")
        # The portal passes a guardian's id: ignored, the signature is the logged-in guardian's.
        self.agreement.with_user(father_user).sudo().action_sign(
            "Li Qiang", SIGNATURE, guardian_id=self.guardian.id
        )
        self.assertRecordValues(
            self.agreement,
            [
                {
                    "state": "signed",
                    "signer_partner_id": self.father.id,
                    "signed_by_id": False,
                }
            ],
        )

    def test_letter_for_a_family_without_email(self):
        self.guardian.email = False
        with self.assertRaisesMessage(UserError, "print the family's letter"):
            self.agreement.with_user(self.head_teacher).action_send()
        self.assertEqual(self.agreement.state, "draft")
        action = self.agreement.with_user(self.head_teacher).action_print_letter()
        self.assertEqual(
            action["report_name"],
            "afterschool_service.report_afterschool_agreement_letter",
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.head_teacher)
            ._render_qweb_html(
                "afterschool_service.afterschool_agreement_letter_report",
                self.agreement.ids,
            )[0]
            .decode()
        )
        self.assertIn(self.agreement.access_token, html)
        self.assertIn(self.agreement.get_portal_url().replace("&", "&amp;"), html)
        self.assertIn("data:image/png;base64", html, "the QR code")
        self.assertIn("Peanut allergy", html, "the agreement itself")
        self.assertIn("sign the copy below", html)
        with self.assertRaisesMessage(
            UserError, "Only the head teacher of 3A or a coordinator"
        ):
            self.agreement.with_user(self.other_head_teacher).action_print_letter()

    def test_send_without_wkhtmltopdf(self):
        with patch(
            "odoo.addons.base.models.ir_actions_report.wkhtmltopdf_state", "install"
        ):
            action = self.agreement.with_user(self.manager).action_send()
        self.assertEqual(self.agreement.state, "sent")
        self.assertEqual(action["params"]["type"], "warning")
        email = self.agreement.message_ids.filtered(
            lambda m: m.message_type == "comment"
        )[:1]
        self.assertIn(self.guardian, email.partner_ids)
        self.assertFalse(email.attachment_ids, "no PDF attached")
        self.assertIn(
            "Peanut allergy", email.body, "the agreement's text is in the email"
        )
        self.assertIn(self.agreement.get_portal_url(), email.body)
        note = self.agreement.message_ids.filtered(
            lambda m: "without a PDF attachment" in (m.body or "")
        )
        self.assertTrue(note)


@tagged("post_install", "-at_install", "afterschool")
class TestAgreementPortal(HttpCase, EnrolmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.publish_one()
        cls.agreement = cls.application.agreement_id
        cls.agreement._portal_ensure_token()

    def test_guardian_reads_and_signs_with_the_link(self):
        response = self.url_open(self.agreement.get_portal_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("Li Ming", response.text)
        self.assertIn("settled monthly", response.text)
        result = self.make_jsonrpc_request(
            self.agreement.get_portal_url(suffix="/sign"),
            {"name": "Parent of Li Ming", "signature": SIGNATURE},
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.agreement.state, "signed")
        self.assertEqual(self.agreement.signer_name, "Parent of Li Ming")
        self.assertFalse(
            self.agreement.signed_by_id, "signed in the portal, not recorded by staff"
        )
        self.assertEqual(self.application.state, "enrolled")
        again = self.make_jsonrpc_request(
            self.agreement.get_portal_url(suffix="/sign"),
            {"name": "Parent of Li Ming", "signature": SIGNATURE},
        )
        self.assertIn("cannot be signed any more", again["error"])

    def test_logged_in_guardian_without_token(self):
        portal = new_test_user(
            self.env,
            "as_portal_parent",
            groups="base.group_portal",
            password="as_portal_parent",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.student.guardian_ids |= portal.partner_id
        self.authenticate("as_portal_parent", "as_portal_parent")
        response = self.url_open(f"/my/afterschool/agreement/{self.agreement.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Li Ming", response.text)

    @mute_logger("odoo.http")
    def test_wrong_token_is_refused(self):
        response = self.url_open(
            f"/my/afterschool/agreement/{self.agreement.id}?access_token=wrong",
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 303)
        result = self.make_jsonrpc_request(
            f"/my/afterschool/agreement/{self.agreement.id}/sign?access_token=wrong",
            {"name": "Intruder", "signature": SIGNATURE},
        )
        self.assertEqual(result["error"], "Invalid agreement.")
        self.assertEqual(self.agreement.state, "draft")
