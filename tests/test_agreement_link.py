"""The family's link to an agreement: made for the family, signed by the family (outside review, #23).

Replays the attacks on 18.0.2.0.1: ``get_portal_url`` (inherited from portal.mixin, public) minted the
link for anyone who may read an agreement, and the link then showed the child's health notes and signed
as superuser, recording the applying guardian whoever signed.
"""

from odoo.api import call_kw
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import school_user
from .enrolment_common import SIGNATURE, EnrolmentCase


@tagged("post_install", "-at_install", "afterschool")
class TestAgreementLink(HttpCase, EnrolmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.application = cls.publish_one()
        cls.agreement = cls.application.agreement_id
        cls.accountant = school_user(
            cls.env, "as_link_accountant", "account.group_account_invoice", cls.company
        )
        cls.officer = school_user(
            cls.env,
            "as_link_officer",
            "afterschool_service.group_afterschool_district_officer",
            cls.company,
        )
        cls.second_guardian = school_user(
            cls.env, "as_link_parent", "base.group_portal", cls.company
        )
        cls.student.guardian_ids |= cls.second_guardian.partner_id
        cls.other_parent = school_user(
            cls.env, "as_link_other", "base.group_portal", cls.company
        )

    def rpc(self, user, method, *args):
        """As /web/dataset/call_kw would: the user's environment, a public method by name."""
        model = self.env["afterschool.agreement"].with_user(user)
        return call_kw(model, method, [self.agreement.ids, *args], {})

    def sign(self, url):
        return self.make_jsonrpc_request(
            url, {"name": "Somebody", "signature": SIGNATURE}
        )

    def test_readers_of_agreements_get_no_link(self):
        for user in (self.accountant, self.officer):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.rpc(user, "get_portal_url")
                with self.assertRaises(AccessError):
                    self.env["afterschool.agreement"].with_user(user).browse(
                        self.agreement.id
                    ).read(["access_token"])
        self.assertFalse(self.agreement.sudo().access_token, "no link was made")
        # the child's family and the school's coordinator get it
        url = self.rpc(self.second_guardian, "get_portal_url")
        self.assertEqual(url, self.rpc(self.manager, "get_portal_url"))
        self.assertIn(self.agreement.sudo().access_token, url)
        with self.assertRaises(AccessError):
            self.rpc(self.other_parent, "get_portal_url")

    @mute_logger("odoo.http")
    def test_another_family_with_the_link_cannot_sign(self):
        url = self.agreement.sudo().get_portal_url(suffix="/sign")
        self.authenticate("as_link_other", "as_link_other")
        result = self.sign(url)
        self.assertIn("Only a guardian of", result["error"])
        self.assertEqual(self.agreement.state, "draft")
        self.assertEqual(self.application.state, "published")

    def test_staff_with_the_link_cannot_sign_in_the_portal(self):
        url = self.agreement.sudo().get_portal_url(suffix="/sign")
        self.authenticate("as_manager", "as_manager")
        result = self.sign(url)
        self.assertIn("signature given on paper", result["error"])
        self.assertEqual(self.agreement.state, "draft")

    def test_a_logged_in_guardian_signs_as_themself(self):
        url = self.agreement.sudo().get_portal_url(suffix="/sign")
        self.authenticate("as_link_parent", "as_link_parent")
        result = self.sign(url)
        self.assertTrue(result.get("force_refresh"), result)
        self.assertEqual(self.agreement.state, "signed")
        self.assertEqual(
            self.agreement.signer_partner_id,
            self.second_guardian.partner_id,
            "the guardian who signed, not the one who applied",
        )
        self.assertNotEqual(self.agreement.guardian_id, self.second_guardian.partner_id)
        self.assertFalse(self.agreement.signed_by_id)
