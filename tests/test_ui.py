"""The coordinator's screens render in a real browser, on the demo school."""

from odoo.tests import HttpCase, tagged

from .common import DemoCase

# Runs in the web client once the kanban shows: checks it, then opens a student's form.
SCRIPT = """
(async () => {
    const waitFor = async (selector) => {
        for (let i = 0; i < 300; i++) {
            if (document.querySelector(selector)) { return; }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        throw new Error('never shown: ' + selector);
    };
    const count = (selector) => document.querySelectorAll(selector).length;
    if (count('.o_kanban_group') !== 3 || count('.o_kanban_record .o_field_progressbar') !== 21) {
        throw new Error('the kanban should show the 21 groups of the open term in 3 kinds');
    }
    await odoo.__WOWL_DEBUG__.root.env.services.action.doAction({
        type: 'ir.actions.act_window', res_model: 'res.partner', res_id: %(student)s,
        views: [[%(view)s, 'form']], target: 'current',
    });
    await waitFor('.o_form_view .o_field_widget[name=guardian_ids] .o_data_row');
    if (count('.o_field_widget[name=guardian_ids] .o_data_row') !== 2
            || !document.querySelector('.o_field_widget[name=fee_waiver_percent]')) {
        throw new Error('the student form should show two guardians and the fee waiver');
    }
    console.log('test successful');
})();
"""


@tagged("post_install", "-at_install", "afterschool", "afterschool_demo")
class TestScreensInBrowser(DemoCase, HttpCase):
    def test_group_kanban_and_student_form(self):
        student = self.env.ref(
            "afterschool_service.res_partner_student_zhang_zihan_demo"
        )
        view = self.env.ref("afterschool_service.res_partner_student_view_form")
        self.browser_js(
            "/odoo/action-afterschool_service.afterschool_activity_group_action",
            SCRIPT % {"student": student.id, "view": view.id},
            ready="!!document.querySelector('.o_kanban_record .o_field_progressbar')",
            login="coordinator",
            timeout=180,
        )
