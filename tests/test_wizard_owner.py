"""A wizard's record belongs to the user who opened it (outside review of 18.0.2.0.1, #23).

School B's coordinator downloaded school A's supervision ledger through /web/content, teachers read each
other's attendance sheets and 99 writes into other users' wizards were accepted. Every transient model of
the addon is found by introspection: each must carry a global rule that keeps its records to their
creator, and a second user of the same role neither reads, writes, deletes nor downloads them.
"""

import base64

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common import school_user
from .service_common import ServiceCase

# How each transient model's rule names its owner.
OWNER_DOMAINS = {
    "afterschool.district.report.line": "[('report_id.create_uid', '=', user.id)]",
}


def addon_transient_models(env):
    """The transient models the addon defines (not the ones it only extends, like res.config.settings)."""
    return sorted(
        name
        for name, model in env.registry.items()
        if model._transient and model._original_module == "afterschool_service"
    )


@tagged("post_install", "-at_install", "afterschool")
class TestWizardOwner(HttpCase, ServiceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_2 = school_user(
            cls.env,
            "as_manager_two",
            "afterschool_service.group_afterschool_manager",
            cls.company,
        )
        cls.teacher_two = cls.teacher_2

    def test_every_transient_model_keeps_to_its_creator(self):
        names = addon_transient_models(self.env)
        self.assertGreaterEqual(len(names), 11, names)
        rules = self.env["ir.rule"].sudo().search([("global", "=", True)])
        for name in names:
            with self.subTest(model=name):
                domains = rules.filtered(lambda rule, n=name: rule.model_id.model == n)
                self.assertIn(
                    OWNER_DOMAINS.get(name, "[('create_uid', '=', user.id)]"),
                    domains.mapped("domain_force"),
                    f"{name} has no rule keeping its records to their creator",
                )

    def test_another_user_of_the_same_role_cannot_touch_a_wizard(self):
        export = (
            self.env["afterschool.ledger.export"]
            .with_user(self.manager)
            .create({"term_id": self.term.id})
        )
        sheet = (
            self.env["afterschool.attendance.sheet"]
            .with_user(self.teacher)
            .create({"group_id": self.chess.id})
        )
        for record, other, values in (
            (export, self.manager_2, {"date_to": self.term.date_end}),
            (sheet, self.teacher_two, {"month": self.term.date_start}),
        ):
            with self.subTest(model=record._name):
                theirs = record.with_user(other)
                self.assertFalse(theirs.search([("id", "=", record.id)]))
                with self.assertRaises(AccessError):
                    theirs.read(["file"])
                with self.assertRaises(AccessError):
                    theirs.write(values)
                with self.assertRaises(AccessError):
                    theirs.unlink()
                self.assertTrue(record.exists())

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule")
    def test_another_coordinator_cannot_download_the_ledger(self):
        export = (
            self.env["afterschool.ledger.export"]
            .with_user(self.manager)
            .create({"term_id": self.term.id})
        )
        # the file as the export leaves it (the export itself is tested in test_ledger_export)
        export.sudo().write(
            {"file": base64.b64encode(b"PK ledger"), "filename": "ledger.xlsx"}
        )
        url = f"/web/content/afterschool.ledger.export/{export.id}/file"
        self.authenticate("as_manager_two", "as_manager_two")
        response = self.url_open(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertNotIn(b"PK", response.content[:2], "no workbook")
        self.authenticate("as_manager", "as_manager")
        self.assertEqual(self.url_open(url).status_code, 200)
