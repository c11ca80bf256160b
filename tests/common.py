"""Shared fixtures for the addon's tests: a school (company) with its own users and data."""

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from unittest.mock import patch

import freezegun
import pytz
from lxml import etree

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.modules.registry import Registry
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tests.common import get_db_name
from odoo.tools.safe_eval import safe_eval

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

# The instant the fixtures' literal dates were written for: Tuesday 8 December 2026, 10:00 at the test
# school (Asia/Shanghai), in the fixture term (1 September 2026 - 15 January 2027).
FIXTURE_NOW = "2026-12-08 02:00:00"
# Where the billing tests find their shared school (a company with a chart of accounts).
BILLING_SCHOOL_PARAMETER = "afterschool_service.tests.billing_school_id"


def school_today():
    """Today where the test schools are (Asia/Shanghai), the date the addon calls today: the
    server's UTC date is a day behind it from 16:00 to 24:00 UTC."""
    return datetime.now(pytz.timezone("Asia/Shanghai")).date()


def _cursor_now(cursor):
    """The transaction's time on the test's clock: PostgreSQL's now() is the real one."""
    if cursor._now is None:
        cursor._now = datetime.now()
    return cursor._now


def one_window_term():
    """The fixture term's dates (1 September 2026 - 15 January 2027) with one window, 16:30-18:00."""
    return {
        "date_start": date(2026, 9, 1),
        "date_end": date(2027, 1, 15),
        "window_ids": [
            Command.create(
                {
                    "date_from": date(2026, 9, 1),
                    "date_to": date(2027, 1, 15),
                    "hour_from": 16.5,
                    "hour_to": 18.0,
                }
            )
        ],
    }


def load_chinese(env):
    """zh_CN active with the addon's Chinese terms, as a school installed in Chinese has them."""
    env["res.lang"]._activate_lang("zh_CN")
    env["ir.module.module"].search(
        [("name", "=", "afterschool_service")]
    )._update_translations("zh_CN", overwrite=True)


def keep_other_schools_out(case, date_from, date_to):
    """Other schools' (the demo's) attendance of the period marked absent: a run or a dispatch over
    every school then counts this test's school only."""
    case.env["afterschool.attendance"].search(
        [
            ("company_id", "!=", case.company.id),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
            ("state", "=", "present"),
        ]
    )._write_billing({"state": "absent", "picked_up_by_id": False, "check_out": False})


def school_user(env, login, groups, company, **values):
    """A user of one school (its only company), in the school's timezone, with the given groups."""
    return new_test_user(
        env,
        login,
        groups=groups,
        company_id=company.id,
        company_ids=[Command.set(company.ids)],
        tz="Asia/Shanghai",
        **values,
    )


@tagged("post_install", "-at_install", "afterschool")
class AfterschoolCase(TransactionCase):
    """Base class of every test: tags the class (required outside odoo.addons) and builds a school.

    ``clock``: the class runs on a clock set to this UTC instant, which then runs on (the fixtures'
    dates are literal, so they stay true on any day). ``None``: the real clock, or the one
    ``scripts/test --at`` moved; for tests of the demo, which is built on the install day.
    """

    clock = FIXTURE_NOW

    @classmethod
    def setUpClass(cls):
        if cls.clock:
            cls.startClassPatcher(freezegun.freeze_time(cls.clock, tick=True))
            cls.startClassPatcher(patch.object(sql_db.Cursor, "now", _cursor_now))
        super().setUpClass()
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, mail_create_nolog=True)
        )
        cls.company = cls._make_school()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.env.user.company_ids |= cls.company
        cls.manager = school_user(
            cls.env,
            "as_manager",
            "afterschool_service.group_afterschool_manager",
            cls.company,
        )
        cls.head_teacher = school_user(
            cls.env,
            "as_head",
            "afterschool_service.group_afterschool_head_teacher",
            cls.company,
        )
        cls.teacher = school_user(
            cls.env,
            "as_teacher",
            "afterschool_service.group_afterschool_teacher",
            cls.company,
        )
        cls.school_env = cls.env(
            context=dict(cls.env.context, allowed_company_ids=[cls.company.id])
        )

    @classmethod
    def create_term(cls, **values):
        """A Sep–Jan term with two seasonal windows covering it."""
        vals = {
            "name": "Autumn Test Term",
            "company_id": cls.company.id,
            "date_start": date(2026, 9, 1),
            "date_end": date(2027, 1, 15),
            "window_ids": [
                Command.create(
                    {
                        "name": "Autumn",
                        "date_from": date(2026, 9, 1),
                        "date_to": date(2026, 10, 31),
                        "hour_from": 16.5,
                        "hour_to": 18.0,
                    }
                ),
                Command.create(
                    {
                        "name": "Winter",
                        "date_from": date(2026, 11, 1),
                        "date_to": date(2027, 1, 15),
                        "hour_from": 16 + 20 / 60,
                        "hour_to": 17 + 50 / 60,
                    }
                ),
            ],
        }
        vals.update(values)
        return cls.school_env["afterschool.term"].create(vals)

    @classmethod
    def _make_school(cls):
        """The class's school: a company of its own, gone with the class's transaction."""
        return cls.env["res.company"].create(
            {"name": "Test Primary School", "currency_id": cls.env.ref("base.CNY").id}
        )

    @contextmanager
    def assertRaisesMessage(self, exception, text):
        """assertRaises (rolls back to a savepoint, so nothing half-done stays) + message check.

        unittest's assertRaisesRegex has no savepoint: use this one instead.
        """
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))


@tagged("post_install", "-at_install", "afterschool", "afterschool_demo")
class DemoCase(AfterschoolCase):
    """Tests of the demo school. They need a database installed with demo data (select or exclude
    them by the tag ``afterschool_demo``) and run on the clock the demo was built on: the real one,
    or the one ``scripts/test --at`` moved, never the fixtures'."""

    clock = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.school = cls.env.ref("afterschool_service.res_company_demo")
        # The demo moves by whole weeks to the install day: its dates are the written ones + shift.
        cls.demo_shift = cls.env.ref(
            "afterschool_service.afterschool_term_demo"
        ).date_start - date(2026, 9, 1)

    @classmethod
    def demo_day(cls, value):
        """A date of the demo as written (a date or 'YYYY-MM-DD'), where the install moved it."""
        if isinstance(value, str):
            return (date.fromisoformat(value) + cls.demo_shift).isoformat()
        return value + cls.demo_shift


def open_app(case, user):
    """Open every action under the app menu that the user sees: its views, its records, one record."""
    case.env.invalidate_all()  # a fresh client request: nothing another user loaded is reused
    root = case.env.ref("afterschool_service.afterschool_menu_root")
    visible = (
        case.env["ir.ui.menu"].with_user(user).search([("id", "child_of", root.id)])
    )

    def shown(menu):
        """A menu shows when it and all its parents are visible to the user."""
        path = case.env["ir.ui.menu"].browse(
            int(i) for i in menu.sudo().parent_path.strip("/").split("/")
        )
        return path <= visible

    menus = visible.filtered(shown)
    opened = []
    for menu in menus.filtered(
        lambda m: m.action and m.action._name == "ir.actions.act_window"
    ):
        action = menu.action.sudo()
        eval_context = {"uid": user.id, "allowed_company_ids": user.company_ids.ids}
        Model = (
            case.env[action.res_model]
            .with_user(user)
            .with_context(**safe_eval(action.context or "{}", eval_context))
        )
        views = [(view_id, mode) for view_id, mode in action.views] + [
            (action.search_view_id.id, "search")
        ]
        result = Model.get_views(views, {"toolbar": True, "load_filters": True})
        case.assertEqual(
            set(result["views"]), {mode for _view_id, mode in views}, action.name
        )
        if not Model._transient:
            records = Model.search(
                safe_eval(action.domain or "[]", eval_context), limit=80
            )
            for mode, view in result["views"].items():
                if mode != "search":
                    read_like_the_client(
                        records if mode != "form" else records[:1],
                        etree.fromstring(view["arch"]),
                    )
        opened.append(action.res_model)
    return opened


def read_like_the_client(records, node):
    """Read the fields the view shows, and those of its embedded lists on the related records."""
    names, subviews = [], []

    def walk(element):
        for child in element:
            if child.tag == "field":
                names.append(child.get("name"))
                subviews.extend(
                    (child.get("name"), sub)
                    for sub in child
                    if sub.tag in ("list", "kanban")
                )
            elif isinstance(child.tag, str):
                walk(child)

    walk(node)
    records.read(names)
    for name, subview in subviews:
        read_like_the_client(records[name], subview)


# ---------------------------------------------------------------------------- billing
class BillingCase(AfterschoolCase, AccountTestInvoicingCommon):
    """The school with a real chart of accounts (Odoo's generic one, via Odoo's accounting test
    helpers), an accountant, a term with two groups and helpers to record attendance."""

    @classmethod
    def setup_independent_user(cls):
        return None  # keep the superuser of AfterschoolCase

    @classmethod
    def setup_independent_company(cls, **kwargs):
        return None  # the school is AfterschoolCase's company

    @classmethod
    def setUpClass(cls):
        # Before the class's transaction reads anything: it then sees the committed school.
        cls._billing_school_id = cls._ensure_billing_school()
        super().setUpClass()
        cls.company_data = cls.collect_company_accounting_data(cls.company)
        cls.accountant = school_user(
            cls.env, "as_accountant", "account.group_account_invoice", cls.company
        )
        cls.period_product = cls.env.ref("afterschool_service.product_service_period")
        cls.klass = cls.school_env["afterschool.class"].create(
            {"name": "Class 3-1", "grade": 3, "company_id": cls.company.id}
        )
        cls.term = cls.create_term()
        cls.reading = cls.create_group(cls.term, "Reading Room", kind="reading")
        cls.chess = cls.create_group(cls.term, "Chess Club")

    @classmethod
    def _ensure_billing_school(cls):
        """The billing tests' school, with Odoo's generic chart of accounts, loaded once per database
        and committed (a chart takes seconds to load; every billing class shares it). What a class
        does in it is rolled back with the class, as everywhere else."""
        registry = Registry(get_db_name())
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            parameter = env["ir.config_parameter"]
            company = (
                env["res.company"]
                .browse(int(parameter.get_param(BILLING_SCHOOL_PARAMETER) or 0))
                .exists()
            )
            if not company:
                company = env["res.company"].create(
                    {
                        "name": "Billing Test School",
                        "currency_id": env.ref("base.CNY").id,
                    }
                )
                currency = company.currency_id
                env["account.chart.template"].try_loading(
                    "generic_coa", company=company, install_demo=False
                )
                company.currency_id = currency
                parameter.set_param(BILLING_SCHOOL_PARAMETER, company.id)
            return company.id

    @classmethod
    def _make_school(cls):
        return cls.env["res.company"].browse(cls._billing_school_id)

    @classmethod
    def setup_school_accounting(cls, company):
        """Install the generic chart of accounts for a school; the school keeps its currency."""
        currency = company.currency_id
        cls._use_chart_template(company, "generic_coa")
        company.currency_id = currency

    @classmethod
    def create_group(cls, term, name, kind="club"):
        return cls.env["afterschool.activity.group"].create(
            {"name": name, "term_id": term.id, "kind": kind, "capacity": 40}
        )

    @classmethod
    def create_guardian(cls, name, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "email": "%s@example.com" % name.lower().replace(" ", "."),
                **values,
            }
        )

    @classmethod
    def create_student(cls, name, guardians, waiver=0.0, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_student": True,
                "class_id": cls.klass.id,
                "guardian_ids": [Command.set(guardians.ids)],
                "fee_waiver_percent": waiver,
                **values,
            }
        )

    @classmethod
    def attend(cls, group, day, marks, periods=2):
        """A session of ``group`` on ``day`` (16:20–17:50 in Shanghai) with ``marks``: {student: state}."""
        start = datetime.combine(day, time(8, 20))
        session = cls.env["afterschool.session"].create(
            {
                "group_id": group.id,
                "date": day,
                "start": start,
                "stop": start + timedelta(minutes=90),
                "periods": periods,
            }
        )
        cls.env["afterschool.attendance"].create(
            [
                {"session_id": session.id, "student_id": student.id, "state": state}
                for student, state in marks.items()
            ]
        )
        return session

    def run_invoicing(
        self,
        date_from=date(2026, 11, 1),
        date_to=date(2026, 11, 30),
        user=None,
        company=None,
    ):
        """The accountant's invoicing run through the wizard; returns the run."""
        company = company or self.company
        wizard = (
            self.env["afterschool.invoice.wizard"]
            .with_user(user or self.accountant)
            .with_context(allowed_company_ids=company.ids)
            .create(
                {"company_id": company.id, "date_from": date_from, "date_to": date_to}
            )
        )
        action = wizard.action_create_invoices()
        return self.env["afterschool.invoice.run"].browse(action["res_id"])

    def correct_attendance(self, session, student, state, user=None):
        """A coordinator (or ``user``) corrects attendance that was already invoiced (Correct Attendance)."""
        line = session.attendance_ids.filtered(lambda a: a.student_id == student)
        line.with_user(user or self.manager).action_correct(
            state, "Corrected after the invoice was sent"
        )
        return line
