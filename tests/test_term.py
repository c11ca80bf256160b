from datetime import date

from odoo import Command
from odoo.exceptions import UserError, ValidationError

from .common import AfterschoolCase


class TestTermConfiguration(AfterschoolCase):
    def test_defaults(self):
        term = self.create_term()
        self.assertEqual(term.state, "draft")
        self.assertEqual(term.periods_per_day, 2)
        self.assertEqual(term.period_rate, 3.5)
        self.assertEqual(term.currency_id, self.env.ref("base.CNY"))
        self.assertEqual(
            [term[d] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")],
            [False, True, True, True, True, False, False],
        )

    def test_rate_follows_company_setting(self):
        self.company.afterschool_period_rate = 4.0
        self.assertEqual(self.create_term().period_rate, 4.0)

    def test_end_before_start_refused(self):
        with self.assertRaisesMessage(ValidationError, "ends before it starts"):
            self.create_term(
                date_start=date(2026, 9, 10), date_end=date(2026, 9, 1), window_ids=[]
            )
        self.assertFalse(
            self.env["afterschool.term"].search([("company_id", "=", self.company.id)])
        )

    def test_window_longer_than_two_hours_refused(self):
        term = self.create_term(window_ids=[])
        with self.assertRaisesMessage(
            ValidationError, "more than 2 hours after dismissal"
        ):
            term.write(
                {
                    "window_ids": [
                        Command.create(
                            {
                                "date_from": date(2026, 9, 1),
                                "date_to": date(2027, 1, 15),
                                "hour_from": 16.0,
                                "hour_to": 18 + 10 / 60,
                            }
                        )
                    ]
                }
            )
        term.invalidate_recordset()
        self.assertFalse(term.window_ids)

    def test_overlapping_windows_refused(self):
        term = self.create_term()
        with self.assertRaisesMessage(ValidationError, "overlap"):
            term.write(
                {
                    "window_ids": [
                        Command.create(
                            {
                                "date_from": date(2026, 10, 20),
                                "date_to": date(2026, 11, 10),
                                "hour_from": 16.5,
                                "hour_to": 18.0,
                            }
                        )
                    ]
                }
            )
        term.invalidate_recordset()
        self.assertEqual(len(term.window_ids), 2)

    def test_open_requires_covering_windows(self):
        term = self.create_term(
            window_ids=[
                Command.create(
                    {
                        "date_from": date(2026, 9, 1),
                        "date_to": date(2026, 10, 31),
                        "hour_from": 16.5,
                        "hour_to": 18.0,
                    }
                )
            ]
        )
        self.assertTrue(term.window_warning)
        with self.assertRaisesMessage(UserError, "do not cover"):
            term.action_open()
        self.assertEqual(term.state, "draft")
        term.window_ids.date_to = date(2027, 1, 15)
        self.assertFalse(term.window_warning)
        term.action_open()
        self.assertEqual(term.state, "open")
