"""The addon's whole public surface, attacked through Odoo's RPC dispatch by every role that must not use it.

Introspection finds every model the addon defines or extends (transient wizards included) and every public
method defined in the addon's own files: a name not starting with "_" and not ``@api.private``, i.e. what
``/web/dataset/call_kw`` and ``/jsonrpc`` let any logged-in user call, with any ids, arguments and context.
A method added later is attacked too. Each method is called, as each attacker of ATTACKERS, on records of a
family, class, group and school that are not the attacker's; so are ``create`` and ``write`` with each field,
and ``unlink``, on every model the addon defines (on the models it extends, ``write`` of the addon's fields).
Every call must be refused (AccessError or UserError, with a message) or leave the database as it was
(a fingerprint of the school's rows and of every table's newest id, compared before and after; each call is
rolled back to a savepoint).

How a public method passes:
- it refuses these callers itself: the role, then ``check_access`` on the records, before any ``sudo()``;
- or it is a harmless helper (it only reads what the caller may read, or returns an action): list it in
  HARMLESS below; it is still called and must change nothing;
- a role of ATTACKERS may legitimately call it (e.g. the accountant runs the invoicing): list that role in
  MAY_CALL; the others still attack it.
Its parameters are filled by name from ARGUMENTS: a new parameter name needs a value there.
"""

import inspect
import json
from contextlib import closing
from datetime import date, timedelta

import psycopg2

from odoo import Command, fields, models
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.service.model import get_public_method
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import SQL

from .access_common import TODAY, AccessCase

ADDON_MODULE = "odoo.addons.afterschool_service."

# Harmless helpers: callable by anyone who may read the records; they return an action or a value and
# change nothing (the test still checks that they change nothing).
HARMLESS = {
    "afterschool.term": {
        "action_view_sessions",
        "action_view_groups",
        "get_service_dates",
    },
    "afterschool.class": {"action_view_students"},
    # read what the caller may read (their own sessions, notices, school): a window action or a value
    "afterschool.session": {
        "action_view_roster",
        "action_view_incidents",
        "action_view_notices",
        "rollcall_today",
        "rollcall_read",
    },
    "afterschool.dashboard": {"get_dashboard_data"},
    "res.partner": {"action_view_afterschool_notices"},
    "afterschool.attendance": {"action_open_pickup"},
    "afterschool.application": {"action_view_agreement", "action_view_invoices"},
    "afterschool.agreement": {"action_print", "action_view_application"},
    "afterschool.duty.rotation": {"action_view_duties"},
    "afterschool.invoice.run": {"action_view_invoices"},
    "account.move": {"action_view_afterschool_entries"},
    "res.config.settings": {
        "get_values"
    },  # Odoo's own, public in base; ours adds the school's fee taxes
}
# Roles of ATTACKERS that may call a method on the target records: their job (the others still attack it).
MAY_CALL = {
    ("afterschool.invoice.wizard", "action_create_invoices"): {"accountant"},
    ("afterschool.attendance", "action_correct"): {"accountant"},
    ("afterschool.attendance", "action_open_correct_wizard"): {"accountant"},
    ("afterschool.attendance.correct.wizard", "action_confirm"): {"accountant"},
    ("account.move", "button_cancel"): {"accountant"},
    ("account.move", "button_draft"): {"accountant"},
    # The district figures: officers and coordinators compute those of their own schools (a wizard of
    # their own; the figures never reach beyond the schools the caller is allowed in).
    ("afterschool.district.report", "action_compute"): {
        "district_officer",
        "coordinator_other_school",
    },
    ("afterschool.district.report", "action_export_xlsx"): {
        "district_officer",
        "coordinator_other_school",
    },
}
# Arguments of the public methods, by parameter name.
ARGUMENTS = {
    "reason": "Asked by somebody else",
    "date_left": None,
    "signer_name": "Mallory",
    "signature": False,
    "state": "absent",
    "content": "Reading",
    "code": "246810",
    # the school's own records, resolved when the test runs
    "attendance_id": lambda case: case.line.id,
    "partner_id": lambda case: case.guardian.partner_id.id,
}
CRUD = {"create", "write", "unlink"}
REFUSALS = (AccessError, UserError)  # UserError covers ValidationError and MissingError
SKIPPED_FIELD_PREFIXES = (
    "message_",
    "activity_",
    "website_message",
    "has_message",
    "rating_",
)


# Abstract models the addon extends for every model that inherits them (the chatter's guard): they
# make no model the addon's own; tests/test_chatter_guard.py attacks them.
SHARED_EXTENSIONS = (ADDON_MODULE + "models.mail_thread",)


def addon_classes(model):
    """The classes of the addon in the model's inheritance (defining or extending it)."""
    return [
        cls
        for cls in type(model).__mro__
        if cls.__module__.startswith(ADDON_MODULE)
        and cls.__module__ not in SHARED_EXTENSIONS
    ]


class TestPublicSurface(AccessCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.school_env
        # The school's accounting, and Ming's roster line billed by a run (as the accountant's would).
        currency = cls.company.currency_id
        cls.env["account.chart.template"].try_loading(
            "generic_coa", company=cls.company, install_demo=False
        )
        cls.company.currency_id = currency
        cls.line.state = "present"
        cls.other_line.state = "present"
        cls.invoice_run = cls.env["afterschool.invoice.run"].create(
            {
                "company_id": cls.company.id,
                "date_from": TODAY.replace(day=1),
                "date_to": date(2026, 12, 31),
            }
        )
        cls.invoice_run._execute()
        cls.invoice = cls.line.invoice_line_id.move_id
        # Hong's Wednesday turned absent after it was invoiced, and credited: a billing adjustment.
        cls.other_line.action_correct("absent", "Went home sick")
        cls.credit_run = cls.env["afterschool.invoice.run"].create(
            {
                "company_id": cls.company.id,
                "date_from": TODAY.replace(day=1),
                "date_to": date(2026, 12, 31),
            }
        )
        cls.credit_run._execute()
        cls.adjustment = cls.env["afterschool.billing.adjustment"].search(
            [("attendance_id", "=", cls.other_line.id)]
        )
        # Applications of 3A in the states the steps start from, and a published one's agreement.
        (
            cls.draft_application,
            cls.submitted_application,
            cls.class_approved_application,
            cls.school_approved_application,
            cls.published_application,
        ) = env["afterschool.application"].create(
            [
                {
                    "student_id": student.id,
                    "guardian_id": cls.guardian.partner_id.id,
                    "term_id": cls.term.id,
                    "requested_group_ids": [Command.set(cls.chess.ids)],
                }
                for student in (
                    cls.create_student(name, guardians=cls.guardian.partner_id)
                    for name in (
                        "Xiao Lan",
                        "Xiao Gang",
                        "Xiao Tao",
                        "Xiao Mei",
                        "Xiao Yu",
                    )
                )
            ]
        )
        cls.submitted_application.action_submit()
        (
            cls.class_approved_application | cls.school_approved_application
        ).action_submit()
        (
            cls.class_approved_application | cls.school_approved_application
        ).action_class_approve()
        cls.school_approved_application.action_school_approve()
        cls.school_approved_application._allocate()
        cls.published_application.action_submit()
        cls.published_application.action_class_approve()
        cls.published_application.action_school_approve()
        cls.published_application._allocate()
        cls.published_application.action_publish()
        # The coordinator of another school: the same roles there, nothing here.
        cls.school_b = cls.env["res.company"].create(
            {"name": "Other Primary School", "currency_id": cls.env.ref("base.CNY").id}
        )
        cls.coordinator_b = new_test_user(
            cls.env,
            "as_coordinator_b",
            groups="afterschool_service.group_afterschool_manager",
            company_id=cls.school_b.id,
            company_ids=[Command.set(cls.school_b.ids)],
            tz="Asia/Shanghai",
        )
        cls.district_officer = new_test_user(
            cls.env,
            "as_district_officer",
            groups="afterschool_service.group_afterschool_district_officer",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="Asia/Shanghai",
        )
        # The oversight records of the school: an inspection, a needs survey, a rating, the leadership.
        cls.leadership_member = cls.env["afterschool.leadership.member"].create(
            {"company_id": cls.company.id, "user_id": cls.manager.id, "role": "leader"}
        )
        cls.inspection = env["afterschool.inspection"].create(
            {"session_id": cls.session.id, "inspector_id": cls.manager.id}
        )
        cls.needs_survey = env["afterschool.needs.survey"].create(
            {
                "term_id": cls.term.id,
                "student_id": cls.ming.id,
                "class_id": cls.class_3a.id,
            }
        )
        cls.rating = env["afterschool.satisfaction"].create(
            {
                "group_id": cls.chess.id,
                "student_id": cls.ming.id,
                "guardian_id": cls.guardian.partner_id.id,
                "score": 4,
            }
        )
        cls.notice = cls.env["afterschool.notice"].create(
            {
                "kind": "absence",
                "student_id": cls.ming.id,
                "guardian_id": cls.guardian.partner_id.id,
                "attendance_id": cls.line.id,
            }
        )
        cls.attackers = {
            "district_officer": cls.district_officer,
            "teacher_other_group": cls.teacher_2,
            "head_teacher_other_class": cls.head_teacher_b,
            "coordinator_other_school": cls.coordinator_b,
            "accountant": cls.accountant,
            "employee": cls.employee,
            "guardian_other_family": cls.other_guardian,
        }
        entries = cls.line.billing_entry_ids
        cls.targets = {
            "afterschool.term": cls.term,
            "afterschool.term.window": cls.term.window_ids[:1],
            "afterschool.term.closure": cls.term.closure_ids[:1],
            "afterschool.term.makeup": cls.term.makeup_ids[:1],
            "afterschool.class": cls.class_3a,
            "afterschool.venue": cls.room_a,
            "afterschool.activity.group": cls.chess,
            "afterschool.application": (
                cls.draft_application
                | cls.submitted_application
                | cls.class_approved_application
                | cls.school_approved_application
                | cls.published_application
                | cls.application
            ),
            "afterschool.agreement": cls.published_application.agreement_id
            | cls.agreement,
            "afterschool.session": cls.session,
            "afterschool.attendance": cls.line,
            "afterschool.leave": cls.leave,
            "afterschool.school.absence": cls.absence,
            "afterschool.incident": cls.incident,
            "afterschool.duty.rotation": cls.rotation,
            "afterschool.duty": cls.duty,
            "afterschool.enrolment.report": cls.report_row,
            "afterschool.invoice.due": cls.env["afterschool.invoice.due"].search(
                [], limit=1
            ),
            "afterschool.invoice.run": cls.invoice_run,
            "afterschool.billing.entry": entries,
            "afterschool.billing.adjustment": cls.adjustment,
            "account.move": cls.invoice,
            "account.move.line": entries.move_line_id,
            "res.partner": cls.ming,
            "res.company": cls.company,
            "afterschool.leadership.member": cls.leadership_member,
            "afterschool.inspection": cls.inspection,
            "afterschool.needs.survey": cls.needs_survey,
            "afterschool.satisfaction": cls.rating,
            "afterschool.dashboard": env["afterschool.dashboard"],
            "afterschool.notice": cls.notice,
            "res.users": cls.employee,
            # a refused code as the throttle counts it (tools/code_throttle.py): nobody's to write
            "afterschool.code.attempt": cls.env["afterschool.code.attempt"].create(
                {"scope": "survey", "key": "address:192.0.2.1"}
            ),
            "ir.actions.report": cls.env.ref(
                "afterschool_service.afterschool_agreement_report"
            ),
        }
        # What an attacker fills a wizard with: this school's records.
        cls.wizard_values = {
            "afterschool.placement.wizard": {
                "term_id": cls.term.id,
                "application_ids": [Command.set(cls.published_application.ids)],
            },
            "afterschool.application.reason.wizard": {
                "application_ids": [Command.set(cls.application.ids)],
                "step": "withdraw",
                "reason": "Moving away",
            },
            "afterschool.agreement.sign.wizard": {
                "agreement_id": cls.published_application.agreement_id.id,
                "signer_name": "Mallory",
            },
            "afterschool.ledger.export": {
                "company_id": cls.company.id,
                "term_id": cls.term.id,
                "date_from": cls.term.date_start,
                "date_to": cls.term.date_end,
            },
            "afterschool.attendance.sheet": {"group_id": cls.chess.id, "month": TODAY},
            "afterschool.invoice.wizard": {
                "company_id": cls.company.id,
                "date_from": date(2026, 12, 1),
                "date_to": date(2026, 12, 31),
            },
            "afterschool.attendance.correct.wizard": {
                "attendance_ids": [Command.set(cls.line.ids)],
                "state": "absent",
                "reason": "Went home early",
            },
            "res.config.settings": {},
            "afterschool.district.report": {
                "date_from": cls.term.date_start,
                "date_to": cls.term.date_end,
            },
            "afterschool.inspection.rotation": {
                "term_id": cls.term.id,
                "date_from": cls.term.date_start,
                "date_to": cls.term.date_end,
                "per_week": 2,
            },
            "afterschool.needs.survey.wizard": {
                "term_id": cls.term.id,
                "class_ids": [Command.set(cls.class_3a.ids)],
            },
        }
        for model_name, values in cls.wizard_values.items():
            cls.targets[model_name] = (
                env[model_name]
                .with_context(allowed_company_ids=cls.company.ids)
                .create(values)
            )
        cls.models = {
            name: env[name] for name in env.registry if addon_classes(env[name])
        }
        cls.snapshot_sql = cls._build_snapshot_sql()
        cls.env.flush_all()
        cls.env.invalidate_all()

    # ------------------------------------------------------------------ the database fingerprint
    @classmethod
    def _build_snapshot_sql(cls):
        """One query: per table, the newest id (creations anywhere) and a hash of this school's rows
        (changes and deletions), leaving out who wrote last and when."""
        env = cls.env
        company_tables, other_tables = set(), set()
        for model in cls.models.values():
            if model._transient or model._abstract or not model._auto:
                continue
            (
                company_tables
                if "company_id" in model._fields and model._fields["company_id"].store
                else other_tables
            ).add(model._table)
            for field in model._fields.values():
                if (
                    field.type == "many2many"
                    and field.store
                    and not env[field.comodel_name]._transient
                ):
                    other_tables.add(field.relation)
        company_tables -= {"res_company", "res_partner"}
        other_tables -= {"res_company", "res_partner"}
        partners = (
            cls.ming
            | cls.hong
            | cls.guardian.partner_id
            | cls.other_guardian.partner_id
            | cls.targets["afterschool.application"].student_id
        )
        parts = [
            SQL(
                "(SELECT md5(to_jsonb(t)::text) FROM res_company t WHERE id = %s)",
                cls.company.id,
            ),
            SQL(
                "(SELECT md5(string_agg((to_jsonb(t) - 'write_date' - 'write_uid')::text, '|' ORDER BY id)) "
                "FROM res_partner t WHERE id IN %s)",
                tuple(partners.ids),
            ),
            SQL("(SELECT max(id)::text FROM res_partner)"),
        ]
        for table in sorted(company_tables):
            parts.append(
                SQL(
                    "(SELECT md5(coalesce(string_agg((to_jsonb(t) - 'write_date' - 'write_uid')::text, "
                    "'|' ORDER BY id), ''))"
                    " || ':' || (SELECT coalesce(max(id), 0) FROM %s) FROM %s t WHERE company_id = %s)",
                    SQL.identifier(table),
                    SQL.identifier(table),
                    cls.company.id,
                )
            )
        for table in sorted(other_tables):
            parts.append(
                SQL(
                    "(SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM %s t)",
                    SQL.identifier(table),
                )
            )
        for table in ("account_move", "account_move_line"):
            parts.append(
                SQL(
                    "(SELECT md5(coalesce(string_agg((to_jsonb(t) - 'write_date' - 'write_uid')::text, "
                    "'|' ORDER BY id), ''))"
                    " || ':' || (SELECT coalesce(max(id), 0) FROM %s) FROM %s t WHERE company_id = %s)",
                    SQL.identifier(table),
                    SQL.identifier(table),
                    cls.company.id,
                )
            )
        for table in (
            "mail_message",
            "mail_activity",
            "mail_followers",
            "calendar_event",
            "ir_attachment",
        ):
            parts.append(
                SQL(
                    "(SELECT count(*) || ':' || coalesce(max(id), 0) FROM %s)",
                    SQL.identifier(table),
                )
            )
        return SQL("SELECT ARRAY[%s]", SQL(", ").join(parts))

    def snapshot(self):
        self.env.flush_all()
        self.env.cr.execute(self.snapshot_sql)
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------ RPC
    def rpc(self, user, model_name, method, args=(), kwargs=None):
        """Like /web/dataset/call_kw: the user's environment and context, a public method only, and the
        database's own refusals (unique constraints…) answered as the RPC layer does."""
        context = {
            "lang": user.lang or "en_US",
            "tz": user.tz,
            "uid": user.id,
            "allowed_company_ids": user.company_ids.ids,
        }
        env = self.env(user=user, context=context, su=False)
        get_public_method(env[model_name], method)
        try:
            result = call_kw(env[model_name], method, list(args), dict(kwargs or {}))
            env.flush_all()
        except psycopg2.IntegrityError as error:
            raise ValidationError(str(error)) from error
        return result

    def attempt(
        self,
        failures,
        label,
        user,
        model_name,
        method,
        args=(),
        kwargs=None,
        before=None,
        unchanged_is_fine=False,
    ):
        """Call, then roll back. A refusal passes; so does a call that changed nothing, when that is fine
        (a harmless helper, a write of a field)."""
        self.env.flush_all()
        self.env.cr.clear()
        with closing(self.env.cr.savepoint(flush=False)):
            try:
                self.rpc(user, model_name, method, args, kwargs)
                after = self.snapshot()
            except REFUSALS as error:
                if not str(error).strip():
                    failures.append(f"{label}: refused without a message")
                after = None
            except Exception as error:  # noqa: BLE001 - a crash is not a refusal: report it with the others
                failures.append(
                    f"{label}: crashed with {type(error).__name__}: {error}"
                )
                after = None
            self.env.cr.clear()
            if after is not None:
                if not unchanged_is_fine:
                    failures.append(f"{label}: accepted")
                elif after != before:
                    failures.append(f"{label}: changed the database")
        self.env.cr.clear()
        self.env.cr.postcommit.clear()

    def wizard_for(self, user, model_name):
        """The wizard the attacker fills with this school's records, else the school's own one."""
        try:
            with self.env.cr.savepoint(flush=False):
                wizard_id = self.rpc(
                    user, model_name, "create", [self.wizard_values[model_name]]
                )
        except REFUSALS:
            self.env.cr.clear()
            return self.targets[model_name]
        return self.targets[model_name].browse(wizard_id)

    # ------------------------------------------------------------------ the surface
    def public_methods(self, model):
        """{name: function} of the public methods the addon's classes define on the model (not CRUD)."""
        methods = {}
        for cls in addon_classes(model):
            for name, function in vars(cls).items():
                if (
                    name.startswith("_")
                    or name in CRUD
                    or not callable(function)
                    or name in methods
                ):
                    continue
                try:
                    get_public_method(model, name)
                except AccessError:
                    continue  # @api.private: not reachable by RPC
                methods[name] = function
        return methods

    def arguments(self, model_name, name, function):
        args = []
        for parameter in list(inspect.signature(function).parameters.values())[1:]:
            if parameter.name in ARGUMENTS:
                value = ARGUMENTS[parameter.name]
                args.append(value(self) if callable(value) else value)
            elif parameter.default is inspect.Parameter.empty:
                self.fail(
                    f"{model_name}.{name}: add a value for its parameter {parameter.name!r} to ARGUMENTS"
                )
            else:
                break
        return args

    def test_every_public_method_refuses_other_roles(self):
        failures = []
        before = self.snapshot()
        covered = set()
        for model_name, model in sorted(self.models.items()):
            methods = self.public_methods(model)
            if not methods:
                continue
            self.assertIn(
                model_name,
                self.targets,
                f"{model_name} has public methods: give it a target record",
            )
            for name, function in sorted(methods.items()):
                covered.add((model_name, name))
                args = self.arguments(model_name, name, function)
                is_model_method = getattr(function, "_api", None) == "model"
                harmless = name in HARMLESS.get(model_name, ())
                for role, user in self.attackers.items():
                    if role in MAY_CALL.get((model_name, name), ()):
                        continue
                    if model._transient:
                        records = self.wizard_for(user, model_name)
                    else:
                        records = self.targets[model_name]
                    for record in records.browse() if is_model_method else records:
                        label = f"{role} {model_name}.{name}({record.id})"
                        self.attempt(
                            failures,
                            label,
                            user,
                            model_name,
                            name,
                            [record.ids, *args],
                            before=before,
                            unchanged_is_fine=harmless,
                        )
                    if is_model_method:
                        self.attempt(
                            failures,
                            f"{role} {model_name}.{name}()",
                            user,
                            model_name,
                            name,
                            args,
                            before=before,
                            unchanged_is_fine=harmless,
                        )
        self.assertIn(("afterschool.attendance", "action_correct"), covered)
        self.assertIn(("afterschool.term", "action_generate_sessions"), covered)
        self.assertFalse(failures, "\n".join(failures))

    # ------------------------------------------------------------------ create, write, unlink
    def field_values(self, record, field):
        """A different value for ``field`` of ``record``, in write() format (None: not written here)."""
        value = record[field.name]
        other = None
        if field.comodel_name == "res.company":
            other = self.env.ref(
                "base.main_company"
            )  # neither this school nor the attacker's
        elif field.relational:
            other = (
                record.env[field.comodel_name]
                .sudo()
                .search([("id", "not in", value.ids)], limit=1)
            )
        match field.type:
            case "boolean":
                return not value
            case "integer":
                return (value or 0) + 40
            case "float" | "monetary":
                return (value or 0.0) + 40.5
            case "char" | "text" | "html":
                return "Changed by somebody else"
            case "selection":
                options = [
                    key for key, _label in field._description_selection(record.env)
                ]
                return next((key for key in options if key != value), None)
            case "date":
                return fields.Date.to_string((value or TODAY) + timedelta(days=1))
            case "datetime":
                return fields.Datetime.to_string(
                    (value or fields.Datetime.now()) + timedelta(hours=1)
                )
            case "many2one":
                return other.id if other else None
            case "many2many":
                return [Command.set(other.ids)]
            case "one2many":
                return [Command.link(other.id)] if other else None
            case "binary" | "image":
                return "QQ=="
        return None

    def writable_fields(self, model):
        own = model._original_module == "afterschool_service"
        for name, field in sorted(model._fields.items()):
            if (
                name in models.MAGIC_COLUMNS
                or name in ("id", "display_name")
                or name.startswith(SKIPPED_FIELD_PREFIXES)
            ):
                continue
            if not (field.store or field.inverse):
                continue
            if own or field._module == "afterschool_service":
                yield field

    def test_every_field_refuses_other_roles(self):
        failures = []
        before = self.snapshot()
        for model_name, model in sorted(self.models.items()):
            if model._transient or model._abstract or not model._auto:
                continue  # wizards are the caller's scratch (their actions are attacked above); reports are views
            own = model._original_module == "afterschool_service"
            target = self.targets.get(model_name)
            self.assertTrue(target, f"{model_name}: give it a target record")
            target = target[:1].sudo()
            changes = {}
            for field in self.writable_fields(model):
                value = self.field_values(target, field)
                if value is not None:
                    changes[field.name] = value
            base = target.copy_data()[0] if own and model._auto else None
            for role, user in self.attackers.items():
                for name, value in changes.items():
                    self.attempt(
                        failures,
                        f"{role} {model_name}.write({name})",
                        user,
                        model_name,
                        "write",
                        [target.ids, {name: value}],
                        before=before,
                        unchanged_is_fine=True,
                    )
                    if base is not None:
                        self.attempt(
                            failures,
                            f"{role} {model_name}.create({name})",
                            user,
                            model_name,
                            "create",
                            [{**base, name: value}],
                            before=before,
                            unchanged_is_fine=True,
                        )
                if own:
                    self.attempt(
                        failures,
                        f"{role} {model_name}.unlink()",
                        user,
                        model_name,
                        "unlink",
                        [target.ids],
                        before=before,
                        unchanged_is_fine=True,
                    )
        self.assertFalse(failures, "\n".join(failures))

    # ------------------------------------------------------------------ the attacks of issue 9, one by one
    def assertRefused(
        self, exception, text, user, model_name, method, args=(), kwargs=None
    ):
        """The RPC call is refused with ``text``, and the database is as before."""
        before = self.snapshot()
        with self.assertRaisesMessage(exception, text):
            self.rpc(user, model_name, method, args, kwargs)
        self.env.invalidate_all()
        self.assertEqual(
            self.snapshot(),
            before,
            f"{user.login} {model_name}.{method} changed the database",
        )

    def test_coordinator_of_another_school_cannot_move_its_applications(self):
        """Item 1: reading another school's applications was refused, acting was not."""
        refusal = "belong to another school or class than yours"
        Application = "afterschool.application"
        for method, application, args in (
            ("action_submit", self.draft_application, []),
            ("action_class_approve", self.submitted_application, []),
            ("action_reject", self.submitted_application, ["Not our school"]),
            ("action_withdraw", self.application, ["Not our school"]),
            ("action_terminate", self.application, ["Not our school"]),
            ("action_school_approve", self.class_approved_application, []),
            ("action_publish", self.school_approved_application, []),
        ):
            self.assertRefused(
                AccessError,
                refusal,
                self.coordinator_b,
                Application,
                method,
                [application.ids, *args],
            )
        agreement = self.published_application.agreement_id
        for method, args in (
            ("action_sign", ["Mallory"]),
            ("action_send", []),
            ("action_preview", []),
        ):
            self.assertRefused(
                AccessError,
                refusal,
                self.coordinator_b,
                "afterschool.agreement",
                method,
                [agreement.ids, *args],
            )
        self.assertEqual(agreement.state, "draft")
        # their own school's coordinator still takes the step
        self.rpc(
            self.manager, Application, "action_submit", [self.draft_application.ids]
        )
        self.assertEqual(self.draft_application.state, "submitted")

    def test_billing_fields_are_written_by_billing_only(self):
        """Item 2: a teacher wrote the billing fields of their own roster lines by RPC."""
        line = self.line
        self.assertEqual(line.session_id.teacher_id, self.teacher)
        for vals in (
            {"billed_periods": 40},
            {"invoice_line_id": False},
            {"correction_reason": "mine"},
        ):
            for user in (self.teacher, self.manager):
                self.assertRefused(
                    UserError,
                    "recorded by the invoicing run only",
                    user,
                    "afterschool.attendance",
                    "write",
                    [line.ids, vals],
                )
        for vals in (
            {"student_id": self.hong.id},
            {"session_id": self.other_session.id},
        ):
            for user in (self.teacher, self.manager):
                self.assertRefused(
                    UserError,
                    "student and session cannot change",
                    user,
                    "afterschool.attendance",
                    "write",
                    [line.ids, vals],
                )
        self.assertRefused(
            UserError,
            "recorded by the invoicing run only",
            self.manager,
            "afterschool.attendance",
            "create",
            [
                {
                    "session_id": self.session.id,
                    "student_id": self.hong.id,
                    "billed_periods": 40,
                }
            ],
        )
        self.assertRefused(
            UserError,
            "recorded by the system only",
            self.teacher,
            "afterschool.attendance",
            "write",
            [line.ids, {"leave_id": self.leave.id}],
        )
        for vals in (
            {"billing_state": "none"},
            {"periods_to_invoice": 0},
            {"company_id": self.school_b.id},
        ):
            self.assertRefused(
                UserError,
                "computed by the system",
                self.teacher,
                "afterschool.attendance",
                "write",
                [line.ids, vals],
            )
        # the same class of hole elsewhere: the invoices' links to billing
        self.assertRefused(
            UserError,
            "recorded by the run only",
            self.accountant,
            "account.move",
            "write",
            [self.invoice.ids, {"afterschool_run_id": False}],
        )
        self.assertRefused(
            UserError,
            "recorded by the run only",
            self.accountant,
            "account.move.line",
            "write",
            [line.invoice_line_id.ids, {"afterschool_student_id": self.hong.id}],
        )
        self.assertRefused(
            AccessError,
            "not allowed",
            self.accountant,
            "afterschool.invoice.run",
            "write",
            [self.invoice_run.ids, {"state": "running"}],
        )
        self.assertRecordValues(
            line,
            [
                {
                    "billed_periods": 2,
                    "student_id": self.ming.id,
                    "session_id": self.session.id,
                    "state": "present",
                }
            ],
        )

    def test_billing_correction_is_a_server_side_path(self):
        """Item 3: the context key any client could send no longer flips a billed line; Correct Attendance does,
        for the coordinator or the accountant, with a reason, and the next run settles it."""
        line = self.line
        self.assertTrue(line.invoice_line_id)
        message = "is already billed: ask a coordinator or an accountant to correct it (Correct Attendance)"
        for context in ({}, {"afterschool_billing_correction": True}):
            self.assertRefused(
                UserError,
                message,
                self.teacher,
                "afterschool.attendance",
                "write",
                [line.ids, {"state": "absent"}],
                {"context": context},
            )
        self.assertRefused(
            UserError,
            message,
            self.teacher,
            "afterschool.attendance",
            "action_absent",
            [line.ids],
        )
        for user in (self.teacher, self.head_teacher, self.employee):
            self.assertRefused(
                AccessError,
                "Only a coordinator or an accountant",
                user,
                "afterschool.attendance",
                "action_correct",
                [line.ids, "absent", "Went home"],
            )
        self.assertRefused(
            UserError,
            "Give the reason",
            self.accountant,
            "afterschool.attendance",
            "action_correct",
            [line.ids, "absent", "  "],
        )
        self.assertRefused(
            UserError,
            "present, absent or excused",
            self.accountant,
            "afterschool.attendance",
            "action_correct",
            [line.ids, "sick", "Went home"],
        )

        self.rpc(
            self.accountant,
            "afterschool.attendance",
            "action_correct",
            [line.ids, "absent", "Went home at 16:00"],
        )
        self.env.invalidate_all()
        self.assertRecordValues(
            line,
            [
                {
                    "state": "absent",
                    "billing_state": "to_correct",
                    "periods_to_invoice": -2,
                    "correction_reason": "Went home at 16:00",
                    "corrected_by_id": self.accountant.id,
                }
            ],
        )
        for thread in (self.session, self.invoice):
            self.assertIn("Went home at 16:00", thread.message_ids[0].body)
        credit_note_run = self.env["afterschool.invoice.run"].create(
            {
                "company_id": self.company.id,
                "date_from": date(2026, 12, 1),
                "date_to": date(2026, 12, 31),
            }
        )
        credit_note_run._execute()
        self.assertEqual(credit_note_run.invoice_ids.move_type, "out_refund")
        self.assertEqual(line.billing_entry_ids.mapped("periods"), [2, -2])
        self.assertEqual(
            line.billing_entry_ids.mapped("correction_reason"),
            [False, "Went home at 16:00"],
        )
        self.assertFalse(line.correction_reason)

    def test_correct_attendance_wizard(self):
        """Item 3's front door: the "Correct Attendance" action asks the state and the reason."""
        action = self.rpc(
            self.manager,
            "afterschool.attendance",
            "action_open_correct_wizard",
            [self.line.ids],
        )
        self.assertEqual(action["res_model"], "afterschool.attendance.correct.wizard")
        Wizard = (
            self.env["afterschool.attendance.correct.wizard"]
            .with_user(self.manager)
            .with_context(action["context"], allowed_company_ids=self.company.ids)
        )
        wizard = Wizard.create({"reason": "Marked present by mistake"})
        self.assertEqual(wizard.state, "absent")
        wizard.action_confirm()
        self.assertEqual(self.line.state, "absent")
        self.assertEqual(self.line.corrected_by_id, self.manager)

    def test_coordinator_actions_refuse_other_roles(self):
        """Item 5: generating sessions, assigning duties, closing or moving incidents, the agreement's link."""
        for user in (self.teacher, self.accountant, self.head_teacher):
            self.assertRefused(
                AccessError,
                "Only the coordinator can generate the sessions",
                user,
                "afterschool.term",
                "action_generate_sessions",
                [self.term.ids],
            )
        for user in (self.teacher_3, self.accountant):
            self.assertRefused(
                AccessError,
                "Only the coordinator can assign the duties",
                user,
                "afterschool.duty.rotation",
                "action_assign_duties",
                [self.rotation.ids],
            )
        self.assertRefused(
            UserError,
            "Only the coordinator closes an incident",
            self.teacher,
            "afterschool.incident",
            "write",
            [self.incident.ids, {"state": "closed"}],
        )
        self.assertRefused(
            UserError,
            "Only the coordinator closes an incident",
            self.teacher,
            "afterschool.incident",
            "create",
            [{"session_id": self.session.id, "state": "closed", "description": "Fell"}],
        )
        self.assertRefused(
            AccessError,
            "Only the coordinator closes an incident",
            self.teacher,
            "afterschool.incident",
            "action_close",
            [self.incident.ids],
        )
        self.other_session.duty_teacher_id = self.teacher_3
        self.assertRefused(
            UserError,
            "Only the coordinator can move an incident",
            self.teacher,
            "afterschool.incident",
            "write",
            [self.incident.ids, {"session_id": self.other_session.id}],
        )
        self.assertRefused(
            UserError,
            "made by the system",
            self.head_teacher,
            "afterschool.agreement",
            "write",
            [self.agreement.ids, {"access_token": "guessable"}],
        )
        self.assertRefused(
            UserError,
            "made when its application is published",
            self.manager,
            "afterschool.agreement",
            "create",
            [{"application_id": self.draft_application.id}],
        )
        # still theirs: the teacher records what happened, the coordinator closes and generates
        self.rpc(
            self.teacher,
            "afterschool.incident",
            "write",
            [self.incident.ids, {"action_taken": "Plaster"}],
        )
        self.rpc(
            self.manager, "afterschool.incident", "action_close", [self.incident.ids]
        )
        self.assertEqual(self.incident.state, "closed")
        self.rpc(
            self.manager,
            "afterschool.term",
            "action_generate_sessions",
            [self.term.ids],
        )


@tagged("post_install", "-at_install", "afterschool")
class TestAttacksOverHttp(HttpCase, AccessCase):
    """The same attacks as a client sends them: JSON-RPC to /web/dataset/call_kw with a login's session."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.session = None  # HttpCase's web session, not the after-school one
        cls.line.state = "present"
        # billed, as the invoicing run records it (any journal item will do for the web layer)
        cls.line._write_billing(
            {
                "invoice_line_id": cls.env["account.move.line"].search([], limit=1).id,
                "billed_periods": 2,
            }
        )

    def call_kw(self, user, model, method, args, kwargs=None):
        """(result, error message) of the call as ``user`` logged in the web client."""
        self.authenticate(user.login, user.login)
        response = self.url_open(
            "/web/dataset/call_kw",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "id": 1,
                    "params": {
                        "model": model,
                        "method": method,
                        "args": args,
                        "kwargs": {
                            "context": {"allowed_company_ids": self.company.ids},
                            **(kwargs or {}),
                        },
                    },
                }
            ),
            headers={"Content-Type": "application/json"},
        )
        payload = response.json()
        return payload.get("result"), payload.get("error", {}).get("data", {}).get(
            "message"
        )

    def test_attacks_through_call_kw(self):
        line = self.line
        __, error = self.call_kw(
            self.teacher,
            "afterschool.attendance",
            "write",
            [line.ids, {"state": "absent"}],
            {
                "context": {
                    "afterschool_billing_correction": True,
                    "allowed_company_ids": self.company.ids,
                }
            },
        )
        self.assertIn(
            "is already billed: ask a coordinator or an accountant to correct it", error
        )
        __, error = self.call_kw(
            self.teacher,
            "afterschool.attendance",
            "write",
            [line.ids, {"billed_periods": 40}],
        )
        self.assertIn("recorded by the invoicing run only", error)
        __, error = self.call_kw(
            self.accountant,
            "afterschool.term",
            "action_generate_sessions",
            [self.term.ids],
        )
        self.assertIn("Only the coordinator can generate the sessions", error)
        self.env.invalidate_all()
        self.assertRecordValues(line, [{"state": "present", "billed_periods": 2}])
        result, error = self.call_kw(
            self.accountant,
            "afterschool.attendance",
            "action_correct",
            [line.ids, "absent", "Went home at 16:00"],
        )
        self.assertEqual((result, error), (True, None))
        self.env.invalidate_all()
        self.assertRecordValues(line, [{"state": "absent", "periods_to_invoice": -2}])
