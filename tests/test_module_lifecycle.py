"""The addon as a good citizen of a database: an upgrade keeps what the school edited, and the
uninstall hook leaves no upcoming session in the calendars and no child's record in sight.

The real `-u`, uninstall and reinstall run on copies of a database in scripts/upgrade-test
(CI); here the same data files and hook functions run inside a test transaction."""

import importlib.util
from datetime import date

from freezegun import freeze_time

from odoo.tools import convert_file, file_path

from odoo.addons.afterschool_service.hooks import (
    FORMER_STUDENT_TAG_XMLID,
    _drop_invoice_line_trigger,
    _hide_students,
    _remove_upcoming_session_events,
)

from .common import AfterschoolCase
from .service_common import ServiceCase

DATA_FILES = [
    "data/afterschool_application_data.xml",
    "data/afterschool_agreement_data.xml",
    "data/afterschool_service_cron.xml",
    "data/ir_cron_data.xml",
    "data/product_data.xml",
]
# Kinds of records a school edits in the user interface.
USER_EDITED_MODELS = [
    "mail.template",
    "mail.activity.type",
    "ir.cron",
    "ir.config_parameter",
    "ir.sequence",
    "product.product",
    "product.template",
    "res.partner.category",
    "mail.alias",
]


class TestUpgradeKeepsEdits(AfterschoolCase):
    def reload_data_files(self):
        """What `-u afterschool_service` does with the addon's data files."""
        for path in DATA_FILES:
            convert_file(
                self.env, "afterschool_service", path, {}, mode="update", noupdate=False
            )

    def test_upgrade_keeps_the_school_edits(self):
        template = self.env.ref(
            "afterschool_service.afterschool_agreement_mail_template"
        )
        class_review = self.env.ref(
            "afterschool_service.mail_activity_type_class_review"
        )
        school_review = self.env.ref(
            "afterschool_service.mail_activity_type_school_review"
        )
        cron = self.env.ref("afterschool_service.ir_cron_afterschool_invoice")
        product = self.env.ref("afterschool_service.product_service_period")
        template.write(
            {"subject": "请签署课后服务协议", "body_html": "<p>我们的邮件</p>"}
        )
        class_review.delay_count = 7
        school_review.write({"delay_count": 2, "summary": "复核"})
        cron.interval_number = 2
        product.list_price = 4.0

        self.reload_data_files()
        self.env.invalidate_all()

        self.assertEqual(template.subject, "请签署课后服务协议")
        self.assertIn("我们的邮件", str(template.body_html))
        self.assertEqual(class_review.delay_count, 7)
        self.assertEqual(
            (school_review.delay_count, school_review.summary), (2, "复核")
        )
        self.assertEqual(cron.interval_number, 2)
        self.assertEqual(product.list_price, 4.0)

    def test_records_schools_edit_are_noupdate(self):
        """Audits every data file, also those added later: a record of a kind the school edits
        must be loaded once and then left alone by upgrades."""
        updatable = self.env["ir.model.data"].search(
            [
                ("module", "=", "afterschool_service"),
                ("model", "in", USER_EDITED_MODELS),
                ("noupdate", "=", False),
            ]
        )
        self.assertFalse(
            [f"{data.model}: {data.name}" for data in updatable],
            "records users edit must be in noupdate data",
        )


class TestUninstallHook(ServiceCase):
    def test_the_invoice_lines_trigger_goes(self):
        """Deleting an invoice line must not call the attendance's trigger once the addon is gone."""
        query = "SELECT count(*) FROM pg_trigger WHERE tgname = 'afterschool_attendance_invoice_line_set_null'"
        self.env.cr.execute(query)
        self.assertEqual(self.env.cr.fetchone()[0], 1)
        _drop_invoice_line_trigger(self.env)
        self.env.cr.execute(query)
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        self.env.cr.execute(
            "SELECT count(*) FROM pg_proc WHERE proname = 'afterschool_attendance_unlink_invoice_lines'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_upcoming_events_go_and_past_ones_stay(self):
        self.term.action_generate_sessions()
        sessions = self.chess.session_ids
        events = sessions.calendar_event_id
        past = sessions.filtered(
            lambda session: session.date < date(2026, 11, 15)
        ).calendar_event_id
        self.assertTrue(past)
        self.assertTrue(events - past)
        with freeze_time("2026-11-15 00:00:00"):
            _remove_upcoming_session_events(self.env)
        self.assertEqual(events.exists(), past)

    def test_students_are_archived_and_kept_from_everyone_but_administrators(self):
        student = self.create_student("Li Ming")
        self.env["res.lang"]._activate_lang("zh_CN")
        _hide_students(self.env)
        self.assertFalse(student.active)
        tag = self.env.ref(FORMER_STUDENT_TAG_XMLID)
        self.assertIn(tag, student.category_id)
        self.assertEqual(tag.with_context(lang="zh_CN").name, "原课后服务学生（隐私）")
        for user in (self.manager, self.teacher):
            Partner = (
                self.env["res.partner"].with_user(user).with_context(active_test=False)
            )
            self.assertFalse(Partner.search([("id", "=", student.id)]), user.login)
            self.assertTrue(
                Partner.search([("id", "=", self.mother.id)]), "guardians stay visible"
            )
        admin = self.env.ref("base.user_admin")
        admin.company_ids |= self.company
        Partner = (
            self.env["res.partner"].with_user(admin).with_context(active_test=False)
        )
        self.assertEqual(Partner.search([("id", "=", student.id)]), student)
        self.assertTrue(self.mother.active)


class TestMigrations(AfterschoolCase):
    def _migrate(self, version):
        """Run a migration script of the addon, as Odoo's upgrade would, inside the test transaction."""
        path = file_path(f"afterschool_service/migrations/{version}/post-migrate.py")
        spec = importlib.util.spec_from_file_location("afterschool_migration", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.migrate(self.env.cr, version)
        self.env.invalidate_all()

    def test_not_collected_alert_leaves_the_leftover_method(self):
        """A database whose scheduled action still calls the attendance's leftover is pointed at
        the session's alert; an action a school edited otherwise is left alone."""
        cron = self.env.ref(
            "afterschool_service.afterschool_attendance_cron_late_pickup"
        )
        cron.write(
            {
                "model_id": self.env.ref(
                    "afterschool_service.model_afterschool_attendance"
                ).id,
                "code": "model._cron_flag_late_pickups()",
                "interval_number": 5,
            }
        )
        self._migrate("18.0.2.1.0")
        self.assertEqual(cron.model_id.model, "afterschool.session")
        self.assertEqual(cron.code, "model._cron_alert_not_collected()")
        self.assertEqual(cron.interval_number, 5, "the school's interval is kept")
        self.assertFalse(
            hasattr(self.env["afterschool.attendance"], "_cron_flag_late_pickups")
        )
        cron.code = "model._cron_alert_not_collected()  # checked twice a day"
        self._migrate("18.0.2.1.0")
        self.assertEqual(
            cron.code, "model._cron_alert_not_collected()  # checked twice a day"
        )
