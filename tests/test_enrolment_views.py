from odoo.tests import Form

from .enrolment_common import EnrolmentCase

ACTIONS = {
    "afterschool_service.afterschool_application_action": ("manager",),
    "afterschool_service.afterschool_application_my_class_action": (
        "manager",
        "head_teacher",
    ),
    "afterschool_service.afterschool_application_waiting_action": ("manager",),
    "afterschool_service.afterschool_agreement_action": ("manager", "head_teacher"),
    "afterschool_service.afterschool_enrolment_report_action": (
        "manager",
        "head_teacher",
    ),
}


class TestEnrolmentViews(EnrolmentCase):
    def test_actions_open_for_their_users(self):
        self.enrol(self.create_application())
        for xmlid, roles in ACTIONS.items():
            action = self.env.ref(xmlid)
            for role in roles:
                user = getattr(self, role)
                model = self.school_env[action.res_model].with_user(user)
                views = model.get_views(
                    [(False, mode) for mode in action.view_mode.split(",")]
                    + [(False, "search")]
                )
                fields = [
                    name
                    for name in views["models"][action.res_model]["fields"]
                    if name in model._fields
                ]
                records = model.search([])
                self.assertTrue(records, f"{role} sees records of {xmlid}")
                records.read(
                    [
                        name
                        for name in fields
                        if not model._fields[name].groups
                        or user.has_groups(model._fields[name].groups)
                    ]
                )

    def test_dashboard_counts_per_class(self):
        self.enrol(self.create_application())
        second = self.create_application(
            self.create_student("Wang Fang", self.class_3a)
        )
        second.action_submit()
        self.create_application(self.create_student("Zhou Min", self.class_3b))
        self.env.flush_all()  # the dashboard is an SQL view
        rows = self.env["afterschool.enrolment.report"].search(
            [("term_id", "=", self.term.id)]
        )
        row_3a = rows.filtered(lambda row: row.class_id == self.class_3a)
        self.assertEqual(
            (
                row_3a.applied_count,
                row_3a.class_approved_count,
                row_3a.approved_count,
                row_3a.published_count,
                row_3a.signed_count,
                row_3a.enrolled_count,
                row_3a.waiting_count,
            ),
            (2, 1, 1, 1, 1, 1, 0),
        )
        row_3b = rows.filtered(lambda row: row.class_id == self.class_3b)
        self.assertEqual((row_3b.draft_count, row_3b.applied_count), (1, 0))
        as_head = (
            self.env["afterschool.enrolment.report"]
            .with_user(self.head_teacher)
            .search([("term_id", "=", self.term.id)])
        )
        self.assertEqual(
            as_head.class_id, self.class_3a, "a head teacher sees their own classes"
        )

    def test_placement_wizard_form(self):
        self.approve(self.create_application())
        with Form(
            self.env["afterschool.placement.wizard"]
            .with_user(self.manager)
            .with_context(active_model="afterschool.term", active_id=self.term.id)
        ) as form:
            self.assertEqual(form.term_id, self.term)
            self.assertEqual(form.waiting_count, 1)
        wizard = form.record
        wizard.action_allocate()
        self.assertEqual(wizard.placed_count, 1)

    def test_withdraw_through_the_form(self):
        application = self.enrol(self.create_application())
        action = application.with_user(self.head_teacher).action_withdraw()
        with Form(
            self.env[action["res_model"]]
            .with_user(self.head_teacher)
            .with_context(**action["context"])
        ) as form:
            form.reason = "The family moved."
            form.date_left = self.term_start
        form.record.action_confirm()
        self.assertEqual(application.state, "withdrawn")
        self.assertEqual(application.date_left, self.term_start)
