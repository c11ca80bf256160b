"""The coordinator's screens render in a real browser, on the demo school."""

from odoo.tests import HttpCase, tagged

from .common import AfterschoolCase


@tagged("post_install", "-at_install", "afterschool")
class TestScreensInBrowser(AfterschoolCase, HttpCase):
    def setUp(self):
        super().setUp()
        if not self.env.ref("afterschool_service.res_company_demo", raise_if_not_found=False):
            self.skipTest("the database was installed without demo data")

    def open(self, path, ready, check):
        """Load the page as the demo coordinator, wait until ``ready`` (JS) holds, then assert ``check``."""
        self.browser_js(
            path,
            "if (!(%s)) { throw new Error('unexpected screen'); } console.log('test successful');" % check,
            ready="!!(%s)" % ready, login="coordinator", timeout=180)

    def test_activity_group_kanban(self):
        """The groups of the open term, by kind, each with its fill rate."""
        self.open("/odoo/action-afterschool_service.afterschool_activity_group_action",
                  "document.querySelector('.o_kanban_record .o_field_progressbar')",
                  "document.querySelectorAll('.o_kanban_group').length === 3"
                  " && document.querySelectorAll('.o_kanban_record .o_field_progressbar').length === 21")

    def test_student_form(self):
        student = self.env.ref("afterschool_service.res_partner_student_zhang_zihan_demo")
        self.open("/odoo/action-afterschool_service.res_partner_student_action/%s" % student.id,
                  "document.querySelector('.o_form_view .o_field_widget[name=guardian_ids] .o_data_row')",
                  "document.querySelectorAll('.o_field_widget[name=guardian_ids] .o_data_row').length === 2"
                  " && document.querySelector('.o_field_widget[name=fee_waiver_percent]')")
