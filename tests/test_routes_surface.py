"""Every HTTP route the addon serves, found by introspection and attacked (outside review, #23).

Each route of the addon's controllers must be listed in ROUTES (how to fill its ids); a new route fails
the first test until it is. Each is then called as a visitor, as the guardian of another family and as
each staff role of the school (and, with the same ids, for records of another school: the demo
school's), with the method it takes and a valid CSRF token: it must answer no page with the child's
data (staff may read the agreement they read in the back office) and change nothing.
"""

import inspect

from odoo.tools import mute_logger

from odoo.addons.afterschool_service.controllers import portal, portal_oversight

from .portal_common import PortalCase

# Route → the record its id names ("student", "application", "leave", "notice", "survey",
# "agreement", "guardian"; None: no id), and whether a visitor may open it at all (a public page).
ROUTES = {
    "/my/afterschool": (None, False),
    "/my/afterschool/student/<int:student_id>": ("student", False),
    "/my/afterschool/student/<int:student_id>/apply": ("student", False),
    "/my/afterschool/student/<int:student_id>/leave": ("student", False),
    "/my/afterschool/student/<int:student_id>/records": ("student", False),
    "/my/afterschool/student/<int:student_id>/notices": ("student", False),
    "/my/afterschool/student/<int:student_id>/rate": ("student", False),
    "/my/afterschool/application/<int:application_id>/withdraw": ("application", False),
    "/my/afterschool/leave/<int:leave_id>/cancel": ("leave", False),
    "/my/afterschool/notice/<int:notice_id>/reply": ("notice", False),
    "/my/afterschool/survey/<int:survey_id>/answer": ("survey", False),
    "/my/afterschool/agreement/<int:agreement_id>": ("agreement", True),
    "/my/afterschool/agreement/<int:agreement_id>/sign": ("agreement", True),
    "/afterschool/survey": (None, True),
    # the guardian's own pickup code: its QR image (another guardian's id) and a new code (the caller's own)
    "/my/afterschool/pickup-code/<int:partner_id>/qr": ("guardian", False),
    "/my/afterschool/pickup-code/rotate": (None, False),
}
CONTROLLER_MODULES = (portal, portal_oversight)


def addon_routes():
    """{url: (methods, type)} of every route the addon's controllers declare."""
    routes = {}
    for module in CONTROLLER_MODULES:
        for _name, controller in inspect.getmembers(module, inspect.isclass):
            if controller.__module__ != module.__name__:
                continue
            for _attr, function in vars(controller).items():
                routing = getattr(function, "original_routing", None)
                if not routing:
                    continue
                for url in routing["routes"]:
                    routes[url] = (
                        routing.get("methods") or ["GET"],
                        routing.get("type", "http"),
                    )
    return routes


class TestRoutesSurface(PortalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        application = cls.approve(cls.create_application())
        application._allocate()
        application.action_publish()
        leave = cls.env["afterschool.leave"].create(
            {
                "student_id": cls.student.id,
                "date_from": cls.term.date_start,
                "date_to": cls.term.date_start,
                "reason": "Dentist",
            }
        )
        # the family's link exists (sent): a staff reader's visit then writes nothing
        application.agreement_id._portal_ensure_token()
        demo_school = cls.env.ref("afterschool_service.res_company_demo")
        cls.targets = {
            "student": cls.student,
            "application": application,
            "agreement": application.agreement_id,
            "leave": leave,
            "guardian": cls.parent_a.partner_id,
            # another school's records (the demo school's)
            "notice": cls.env["afterschool.notice"].search(
                [("company_id", "=", demo_school.id)], limit=1
            ),
            "survey": cls.env["afterschool.needs.survey"].search(
                [("company_id", "=", demo_school.id)], limit=1
            ),
        }

    def fingerprint(self):
        self.env.invalidate_all()
        return {
            model: self.env[model]
            .sudo()
            .with_context(active_test=False)
            .search_read([], ["write_date"], order="id")
            for model in (
                "afterschool.application",
                "afterschool.agreement",
                "afterschool.leave",
                "afterschool.notice",
                "afterschool.needs.survey",
                "afterschool.satisfaction",
            )
        } | {"messages": self.env["mail.message"].search_count([])}

    def test_every_route_is_listed(self):
        routes = addon_routes()
        self.assertGreaterEqual(len(routes), len(ROUTES) - 1)
        self.assertFalse(
            set(routes) - set(ROUTES),
            "a new route: list it in ROUTES (how to fill its ids) so that it is attacked",
        )
        for target in self.targets.values():
            self.assertTrue(target, "every kind of record to attack exists")

    @mute_logger("odoo.http", "odoo.addons.http_routing.models.ir_http")
    def test_no_route_serves_or_changes_another_familys_records(self):
        routes = addon_routes()
        before = self.fingerprint()
        # the staff of the school (their back office is elsewhere: here they are nobody's family)
        staff = (self.teacher, self.head_teacher, self.manager)
        for who in (None, self.parent_b, *staff):
            if who:
                self.login(who)
            else:
                self.authenticate(None, None)
            for url, (methods, kind) in routes.items():
                target, public = ROUTES[url]
                path = url
                if target:
                    path = (
                        url.split("<")[0]
                        + str(self.targets[target].id)
                        + (url.split(">")[1] if ">" in url else "")
                    )
                with self.subTest(who=who and who.login, url=path):
                    if kind == "json":
                        response = self.url_open(
                            path,
                            data='{"jsonrpc": "2.0", "method": "call", "params": '
                            '{"name": "Mallory", "signature": "R0lGODlhAQABAAAAACw="}}',
                            headers={"Content-Type": "application/json"},
                        )
                        self.assertNotIn('"force_refresh"', response.text)
                        continue
                    for method in methods:
                        if method == "POST":
                            response = self.post(
                                path,
                                reason="x",
                                answer="apply",
                                score="5",
                                date_from=str(self.term.date_start),
                                date_to=str(self.term.date_start),
                            )
                        else:
                            response = self.url_open(path, allow_redirects=False)
                        if response.status_code == 200:
                            self.assertTrue(
                                public or url == "/my/afterschool",
                                f"{method} {path} answered 200",
                            )
                            if who not in staff or target != "agreement":
                                # staff who read the agreement in the back office may read it here
                                self.assertNotIn("Li Ming", response.text)
        self.assertEqual(self.fingerprint(), before, "nothing changed")
