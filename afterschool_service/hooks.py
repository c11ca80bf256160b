"""What uninstalling the addon leaves behind: nothing in the teachers' calendars ahead of
today, and the children's contact records hidden from everyone but the administrators."""

from odoo import Command, fields
from odoo.tools import SQL

from .models.afterschool_session import QUIET_EVENT_CONTEXT

# Records the hook creates belong to no module, so that they outlive the addon.
FORMER_STUDENT_TAG_XMLID = (
    "__afterschool_service_uninstalled__.res_partner_category_former_student"
)
FORMER_STUDENT_RULE_XMLID = (
    "__afterschool_service_uninstalled__.res_partner_rule_former_student"
)


def uninstall_hook(env):
    _remove_upcoming_session_events(env)
    _hide_students(env)
    _drop_invoice_line_trigger(env)


def _drop_invoice_line_trigger(env):
    """The trigger the attendance put on the invoice lines (afterschool.attendance._auto_init)
    goes with the attendance's table: deleting an invoice line must not look for it afterwards."""
    env.cr.execute(
        SQL(
            "DROP TRIGGER IF EXISTS afterschool_attendance_invoice_line_set_null ON account_move_line"
        )
    )
    env.cr.execute(
        SQL("DROP FUNCTION IF EXISTS afterschool_attendance_unlink_invoice_lines()")
    )


def _remove_upcoming_session_events(env):
    """Delete the sessions' calendar events from now on; the past ones stay as the teachers'
    record of the service they gave (see README, "Uninstalling")."""
    sessions = (
        env["afterschool.session"]
        .with_context(active_test=False)
        .search([("calendar_event_id", "!=", False)])
    )
    events = sessions.calendar_event_id.with_context(
        active_test=False, **QUIET_EVENT_CONTEXT
    )
    events.filtered(lambda event: event.stop >= fields.Datetime.now()).unlink()


def _hide_students(env):
    """Archive the students and tag them; a record rule that outlives the addon keeps them from
    every user but the administrators (the addon's own rules go with it)."""
    students = (
        env["res.partner"]
        .with_context(active_test=False)
        .search([("is_student", "=", True)])
    )
    if not students:
        return
    tag = env.ref(FORMER_STUDENT_TAG_XMLID, raise_if_not_found=False)
    if not tag:
        tag = env["res.partner.category"].create(
            {"name": "Former after-school student (private)"}
        )
        _name_outside_the_addon(env, FORMER_STUDENT_TAG_XMLID, tag)
    # The addon's translations go with it: the tag carries its Chinese name itself.
    if "zh_CN" in dict(env["res.lang"].get_installed()):
        tag.update_field_translations("name", {"zh_CN": "原课后服务学生（隐私）"})
    students.write({"active": False, "category_id": [Command.link(tag.id)]})
    if not env.ref(FORMER_STUDENT_RULE_XMLID, raise_if_not_found=False):
        # Global (it narrows every user's access and widens nobody's, also if the addon comes
        # back); the administrators are let through by the domain itself.
        rule = env["ir.rule"].create(
            {
                "name": "Contacts: former after-school students are for administrators only",
                "model_id": env["ir.model"]._get("res.partner").id,
                "domain_force": "[('category_id', 'not in', [] if user.has_group('base.group_system') else [%d])]"
                % tag.id,
            }
        )
        _name_outside_the_addon(env, FORMER_STUDENT_RULE_XMLID, rule)


def _name_outside_the_addon(env, xmlid, record):
    module, name = xmlid.split(".")
    env["ir.model.data"].create(
        {
            "module": module,
            "name": name,
            "model": record._name,
            "res_id": record.id,
            "noupdate": True,
        }
    )
