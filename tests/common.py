"""Shared fixtures for the addon's tests: a school (company) with its own users and data."""

from contextlib import contextmanager
from datetime import date

from odoo import Command
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install", "afterschool")
class AfterschoolCase(TransactionCase):
    """Base class of every test: tags the class (required outside odoo.addons) and builds a school."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True))
        cls.company = cls.env["res.company"].create({"name": "Test Primary School", "currency_id": cls.env.ref("base.CNY").id})
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.env.user.company_ids |= cls.company
        user_kwargs = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)], "tz": "Asia/Shanghai"}
        cls.manager = new_test_user(cls.env, "as_manager", groups="afterschool_service.group_afterschool_manager", **user_kwargs)
        cls.head_teacher = new_test_user(cls.env, "as_head", groups="afterschool_service.group_afterschool_head_teacher", **user_kwargs)
        cls.teacher = new_test_user(cls.env, "as_teacher", groups="afterschool_service.group_afterschool_teacher", **user_kwargs)
        cls.school_env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))

    @classmethod
    def create_term(cls, **values):
        """A Sep–Jan term with two seasonal windows covering it."""
        vals = {
            "name": "Autumn Test Term",
            "company_id": cls.company.id,
            "date_start": date(2026, 9, 1),
            "date_end": date(2027, 1, 15),
            "window_ids": [
                Command.create({"name": "Autumn", "date_from": date(2026, 9, 1), "date_to": date(2026, 10, 31),
                                "hour_from": 16.5, "hour_to": 18.0}),
                Command.create({"name": "Winter", "date_from": date(2026, 11, 1), "date_to": date(2027, 1, 15),
                                "hour_from": 16 + 20 / 60, "hour_to": 17 + 50 / 60}),
            ],
        }
        vals.update(values)
        return cls.school_env["afterschool.term"].create(vals)

    @contextmanager
    def assertRaisesMessage(self, exception, text):
        """assertRaises (rolls back to a savepoint, so nothing half-done stays) + message check.

        unittest's assertRaisesRegex has no savepoint: use this one instead.
        """
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))
