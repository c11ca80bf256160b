"""One live application per child and term, held by the database when families click at the same time.

Like Odoo workers, each request or transaction has its own database connection, so the school's data is
committed first (in the main company) and removed afterwards.
"""

import re
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import timedelta

import requests

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.exceptions import ValidationError
from odoo.tools import config, mute_logger

from .common import AfterschoolCase

DUPLICATE = "already has an application for Race Term: a student applies once per term."
PASSWORD = "race-parent-password"


class TestOneLiveApplicationUnderConcurrency(AfterschoolCase):
    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(
                cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True}
            )
            company = env.ref("base.main_company")
            start = fields.Date.today() + timedelta(days=14)
            term = env["afterschool.term"].create(
                {
                    "name": "Race Term",
                    "company_id": company.id,
                    "date_start": start,
                    "date_end": start + timedelta(days=60),
                    "window_ids": [
                        Command.create(
                            {
                                "date_from": start,
                                "date_to": start + timedelta(days=60),
                                "hour_from": 16.5,
                                "hour_to": 18.0,
                            }
                        )
                    ],
                }
            )
            term.action_open()
            group = env["afterschool.activity.group"].create(
                {"name": "Race Room", "term_id": term.id}
            )
            school_class = env["afterschool.class"].create(
                {"name": "Race Class", "grade": 3, "company_id": company.id}
            )
            parent = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": "Race Parent",
                        "login": "race_parent",
                        "password": PASSWORD,
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [Command.set(env.ref("base.group_portal").ids)],
                    }
                )
            )
            student = env["res.partner"].create(
                {
                    "name": "Race Child",
                    "is_student": True,
                    "class_id": school_class.id,
                    "guardian_ids": [Command.set(parent.partner_id.ids)],
                }
            )
            self.term_id, self.group_id, self.class_id = (
                term.id,
                group.id,
                school_class.id,
            )
            self.parent_id, self.parent_partner_id, self.student_id = (
                parent.id,
                parent.partner_id.id,
                student.id,
            )
        self.addCleanup(self.remove_data)

    def remove_data(self):
        with self.registry.cursor() as cr:
            # submitted applications refuse deletion (history): the test's own are removed by SQL
            cr.execute(
                "SELECT id FROM afterschool_application WHERE term_id = %s",
                [self.term_id],
            )
            ids = [row[0] for row in cr.fetchall()]
            if ids:
                for table, model_column in (
                    ("mail_activity", "res_model"),
                    ("mail_message", "model"),
                ):
                    cr.execute(
                        f"DELETE FROM {table} WHERE {model_column} = 'afterschool.application' AND res_id = ANY(%s)",
                        [ids],
                    )
                cr.execute(
                    "DELETE FROM afterschool_application WHERE id = ANY(%s)", [ids]
                )
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            env["res.partner"].browse(self.student_id).unlink()
            env["res.users"].browse(self.parent_id).unlink()
            env["res.partner"].browse(self.parent_partner_id).unlink()
            env["afterschool.class"].browse(self.class_id).unlink()
            term = env["afterschool.term"].browse(self.term_id)
            term.group_ids.unlink()
            term.unlink()

    def count_live(self):
        with closing(self.registry.cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return env["afterschool.application"].search_count(
                [
                    ("student_id", "=", self.student_id),
                    ("state", "not in", ("rejected", "withdrawn", "terminated")),
                ]
            )

    @mute_logger("odoo.sql_db")
    def test_two_guardian_transactions_at_the_same_moment(self):
        """The portal's apply, in two transactions that both see no application: one is refused."""
        barrier = threading.Barrier(2)

        def apply():
            with closing(self.registry.cursor()) as cr:
                cr.execute("SET LOCAL lock_timeout = '20s'")
                env = api.Environment(cr, self.parent_id, {})
                Application = env["afterschool.application"]
                student = env["res.partner"].sudo().browse(self.student_id)
                term = env["afterschool.term"].sudo().browse(self.term_id)
                self.assertFalse(
                    Application.sudo().search_count(
                        [("student_id", "=", self.student_id)]
                    )
                )
                barrier.wait(timeout=20)
                try:
                    Application._apply_as_guardian(student, term, term.group_ids)
                except ValidationError as error:
                    cr.rollback()
                    return str(error)
                # Two real transactions racing: each must commit for the database to decide.
                cr.commit()  # pylint: disable=invalid-commit
                return "applied"

        with ThreadPoolExecutor(max_workers=2) as executor:
            results = [
                future.result(timeout=60)
                for future in [executor.submit(apply), executor.submit(apply)]
            ]
        self.assertEqual(results.count("applied"), 1, results)
        self.assertIn(
            DUPLICATE, [result for result in results if result != "applied"][0]
        )
        self.assertEqual(self.count_live(), 1)

    @mute_logger("odoo.sql_db", "odoo.http", "werkzeug")
    def test_eight_portal_posts_at_once_create_one_application(self):
        base = "http://127.0.0.1:%s" % config["http_port"]
        url = f"{base}/my/afterschool/student/{self.student_id}/apply"
        try:
            requests.get(f"{base}/web/webclient/version_info", timeout=5)
        except requests.ConnectionError:
            self.skipTest("no HTTP server (run with --odoo-http, as scripts/test does)")

        def open_form():
            session = requests.Session()
            response = session.post(
                f"{base}/web/session/authenticate",
                json={
                    "jsonrpc": "2.0",
                    "params": {
                        "db": self.env.cr.dbname,
                        "login": "race_parent",
                        "password": PASSWORD,
                    },
                },
                timeout=30,
            )
            self.assertEqual(response.json()["result"]["uid"], self.parent_id)
            form = session.get(url, timeout=30).text
            return session, re.search(r'name="csrf_token" value="([^"]+)"', form).group(
                1
            )

        forms = [open_form() for _n in range(8)]
        barrier = threading.Barrier(len(forms))

        def post(form):
            session, token = form
            barrier.wait(timeout=30)
            return session.post(
                url,
                data={"csrf_token": token, "group_ids": [str(self.group_id)]},
                allow_redirects=False,
                timeout=60,
            )

        with ThreadPoolExecutor(max_workers=len(forms)) as executor:
            responses = list(executor.map(post, forms))
        applied = [response for response in responses if response.status_code == 303]
        self.assertEqual(
            len(applied), 1, [response.status_code for response in responses]
        )
        self.assertIn("message=applied", applied[0].headers["Location"])
        for response in responses:
            if response is not applied[0]:
                self.assertEqual(response.status_code, 200)
                self.assertIn(DUPLICATE, response.text)
        self.assertEqual(self.count_live(), 1)
