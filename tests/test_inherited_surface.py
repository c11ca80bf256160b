"""Every public method the addon's models *have*, not only those its files define (outside review, #23).

tests/test_public_surface.py attacks each public method the addon defines. The rest of a model's public
surface comes from what it inherits (the ORM, the web client, mail.thread, portal.mixin, Accounting on
account.move…): each of those is allowed here by an explicit, reviewed entry with its reason: a whole
module where every method goes through that module's own checks, or method by method for mail and portal,
whose methods post, mail and mint links. A method that appears without an entry (a new dependency, a
new mixin) fails the test until someone reviews it. The dangerous ones are then attacked as the district
officer, who reads everything and may change nothing.
"""

from odoo.api import call_kw
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method

from .access_common import AccessCase
from .common import school_user
from .test_public_surface import SHARED_EXTENSIONS, addon_classes

ORM = "the ORM: access rights, record rules and field groups apply to every call"
ODOO_MODELS = (
    "Odoo's own methods on the Odoo models the addon extends (account.move, res.partner, "
    "res.users, res.company, ir.actions.report…): their module's access checks apply, and the "
    "addon adds no sudo() to them"
)
# Modules whose every public method is reviewed as a whole.
REVIEWED_MODULES = {
    "odoo.models": ORM,
    "odoo.api": ORM,
    "web": "the web client's reads, saves and panels: " + ORM,
    "web_editor": "field translations: " + ORM,
    "web_tour": "the caller's own tour flag",
    "base": ORM + "; base's actions check their own rights",
    "base_import": "import templates: a list of files",
    "base_setup": ODOO_MODELS,
    "account": ODOO_MODELS,
    "account_payment": ODOO_MODELS,
    "account_edi_ubl_cii": ODOO_MODELS,
    "auth_signup": ODOO_MODELS,
    "auth_totp": "the caller's own two-factor settings",
    "auth_totp_mail": "the caller's own two-factor settings",
    "auth_totp_portal": "the caller's own two-factor settings",
    "calendar": ODOO_MODELS,
    "privacy_lookup": "an action window for administrators",
    "spreadsheet_account": "fiscal dates of the caller's company",
}
GUARDED = "guarded for the addon's records in models/mail_thread.py; attacked below"
ODOO_CHECKS = (
    "mail's own checks: the activity or message's access, or write on the record"
)
# mail and portal, method by method.
REVIEWED_METHODS = {
    "mail": {
        "message_post": GUARDED,
        "message_notify": GUARDED,
        "message_subscribe": GUARDED,
        "message_unsubscribe": GUARDED,
        "message_post_with_source": GUARDED,
        "message_mail_with_source": GUARDED,
        "message_change_thread": GUARDED,
        "message_get_followers": "reads followers of records the caller may read",
        "message_new": "the mail gateway (superuser); as a caller, create's checks",
        "message_update": "the mail gateway (superuser); as a caller, write's checks",
        "message_process": "the mail gateway: routes by the message's headers, as superuser only",
        "message_parse": "parses a message given by the caller; touches nothing",
        "message_route": "routing of the gateway: computes routes, touches nothing",
        "activity_schedule": ODOO_CHECKS + "; attacked below",
        "activity_feedback": ODOO_CHECKS,
        "activity_reschedule": ODOO_CHECKS,
        "activity_send_mail": ODOO_CHECKS,
        "activity_unlink": ODOO_CHECKS,
        "activity_search": "searches activities the caller may read",
        "notify_cancel_by_type": "the caller's own failed notifications",
        "get_mention_suggestions": "partners the caller may read",
        "get_mention_suggestions_from_channel": "partners of channels the caller is in",
        "search_for_channel_invite": "partners the caller may read",
        "im_search": "partners the caller may read",
        "find_or_create": "res.partner's create checks",
        "mail_action_blacklist_remove": "an action window",
        "mail_allowed_qweb_expressions": "a constant list",
        "open_email_layout": "an action window",
        "open_mail_templates": "an action window",
        "action_archive": ORM,
        "toggle_active": ORM,
        "copy_data": ORM,
        "create": ORM,
        "write": ORM,
        "unlink": ORM,
        "get_views": ORM,
        "get_empty_list_help": "a help text",
    },
    "portal": {
        "get_portal_url": "mints the family's link: afterschool.agreement._portal_ensure_token "
        "refuses all but the family and the staff who read its text; attacked below",
        "action_share": "opens the share wizard, whose link is minted by _portal_ensure_token",
    },
}


def defining_module(model, name):
    """The Odoo module (or 'odoo.models' / 'odoo.api') of the class that defines ``name``."""
    for cls in type(model).__mro__:
        if name in vars(cls):
            parts = cls.__module__.split(".")
            return parts[2] if parts[:2] == ["odoo", "addons"] else cls.__module__
    return None


class TestInheritedSurface(AccessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = school_user(
            cls.env,
            "as_inherited_officer",
            "afterschool_service.group_afterschool_district_officer",
            cls.company,
        )

    def test_every_inherited_public_method_is_reviewed(self):
        models = [name for name in self.env.registry if addon_classes(self.env[name])]
        unreviewed, counted = [], set()
        for name in models:
            model = self.env[name]
            for method in dir(type(model)):
                if method.startswith("_"):
                    continue
                try:
                    get_public_method(model, method)
                except (AccessError, AttributeError):
                    continue
                module = defining_module(model, method)
                if module is None or module.startswith("afterschool_service"):
                    continue  # the addon's own: attacked by test_public_surface
                counted.add((module, method))
                if module in REVIEWED_MODULES:
                    continue
                if method in REVIEWED_METHODS.get(module, {}):
                    continue
                unreviewed.append(f"{name}.{method} (from {module})")
        self.assertGreater(len(models), 40)
        self.assertGreater(len(counted), 250, "the inherited surface was enumerated")
        self.assertFalse(
            unreviewed,
            "public methods inherited without review: add each, with its reason, to "
            "REVIEWED_MODULES or REVIEWED_METHODS (and guard it if it is not safe)",
        )
        self.assertTrue(SHARED_EXTENSIONS)

    def test_mail_and_portal_methods_refuse_the_officer(self):
        """The officer reads every record of their schools and may change none: through what the
        records inherit neither."""
        records = [
            records_
            for records_ in (self.application, self.session, self.agreement, self.term)
            if "message_ids" in records_._fields
        ]
        self.assertGreaterEqual(len(records), 3)
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        template = self.env["mail.template"].search([], limit=1)
        calls = [
            ("message_post", {"body": "Seen."}),
            ("message_subscribe", {"partner_ids": self.officer.partner_id.ids}),
            ("message_unsubscribe", {"partner_ids": self.manager.partner_id.ids}),
            (
                "message_notify",
                {"body": "Seen.", "partner_ids": self.manager.partner_id.ids},
            ),
            ("message_post_with_source", {"source_ref": template.id}),
            ("message_mail_with_source", {"source_ref": template.id}),
            (
                "activity_schedule",
                {"activity_type_id": activity_type.id, "user_id": self.manager.id},
            ),
        ]
        for records_ in records:
            before = (
                records_.message_ids.ids,
                records_.message_follower_ids.ids,
                records_.activity_ids.ids,
                self.env["mail.mail"].search_count([]),
            )
            for method, kwargs in calls:
                with self.subTest(model=records_._name, method=method):
                    with self.assertRaises(AccessError):
                        call_kw(
                            records_.with_user(self.officer),
                            method,
                            [records_.ids],
                            kwargs,
                        )
            self.assertEqual(
                (
                    records_.message_ids.ids,
                    records_.message_follower_ids.ids,
                    records_.activity_ids.ids,
                    self.env["mail.mail"].search_count([]),
                ),
                before,
            )
        with self.assertRaises(AccessError):
            call_kw(
                self.agreement.with_user(self.officer),
                "get_portal_url",
                [self.agreement.ids],
                {},
            )
