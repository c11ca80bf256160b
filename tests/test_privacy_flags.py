"""The left-behind and hardship flags (and the placement priority derived from them) are the
coordinators'; the fee waiver the coordinators' and accountants'. No client finds them another way:
search domains, counts, groupings, aggregates, orders, exports, tracking values."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user

from odoo.addons.mail.tools.discuss import Store

from .enrolment_common import EnrolmentCase

PRIVATE_FLAGS = ("left_behind", "financial_hardship")


class TestPrivateFlags(EnrolmentCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.accountant = new_test_user(
            cls.env,
            "as_flags_accountant",
            groups="account.group_account_invoice,base.group_allow_export",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        (cls.head_teacher | cls.teacher).groups_id |= cls.env.ref(
            "base.group_allow_export"
        )
        cls.left_behind = cls.create_student(
            "Left Behind", cls.class_3a, left_behind=True
        )
        cls.hardship = cls.create_student(
            "Hard Times", cls.class_3a, financial_hardship=True, fee_waiver_percent=50
        )
        cls.applications = (
            cls.create_application()
            | cls.create_application(cls.left_behind)
            | cls.create_application(cls.hardship)
        )

    def rpc_paths(self, model, flag):
        """What a client can send to learn ``flag`` of ``model`` without reading it."""
        domain = [(flag, "=", True)] if flag != "priority" else [(flag, "!=", "0")]
        yield "search_read", lambda M: M.search_read(domain, ["id"])
        yield "search_count", lambda M: M.search_count(domain)
        yield "negated domain", lambda M: M.search(["!", *domain])
        yield "read_group by it", lambda M: M.read_group([], ["__count"], [flag])
        yield "web_read_group", lambda M: M.web_read_group([], ["__count"], [flag])
        yield "aggregate", lambda M: M.read_group([], [f"{flag}:max"], ["company_id"])
        yield "order", lambda M: M.search([], order=f"{flag} desc")
        yield "export", lambda M: M.search([]).export_data([flag])
        yield "read", lambda M: M.search([]).read([flag])

    def assertRefused(self, user, model, flags):
        Model = (
            self.env[model]
            .with_user(user)
            .with_context(allowed_company_ids=self.company.ids)
        )
        for flag in flags:
            for name, call in self.rpc_paths(model, flag):
                with self.subTest(user=user.login, model=model, flag=flag, path=name):
                    with self.assertRaisesMessage(AccessError, f'"{flag}"'):
                        call(Model)

    def test_head_teacher_finds_no_flag_of_the_class(self):
        self.assertEqual(
            self.applications.with_user(self.head_teacher).search(
                [("id", "in", self.applications.ids)]
            ),
            self.applications,
            "the head teacher reads the class's applications",
        )
        self.assertRefused(
            self.head_teacher, "afterschool.application", PRIVATE_FLAGS + ("priority",)
        )
        self.assertRefused(
            self.head_teacher, "res.partner", PRIVATE_FLAGS + ("fee_waiver_percent",)
        )
        # through the student, too
        with self.assertRaisesMessage(AccessError, '"left_behind"'):
            self.env["afterschool.application"].with_user(self.head_teacher).search(
                [("student_id.left_behind", "=", True)]
            )
        with self.assertRaisesMessage(AccessError, '"left_behind"'):
            self.env["afterschool.application"].with_user(self.head_teacher).search(
                [("student_id", "any", [("left_behind", "=", True)])]
            )

    def test_accountant_lists_no_left_behind_or_hardship_applicant(self):
        self.assertRefused(
            self.accountant, "afterschool.application", PRIVATE_FLAGS + ("priority",)
        )
        self.assertRefused(self.accountant, "res.partner", PRIVATE_FLAGS)

    def test_teacher_finds_no_flag_of_a_student(self):
        self.assertRefused(
            self.teacher, "res.partner", PRIVATE_FLAGS + ("fee_waiver_percent",)
        )

    def test_fee_waiver_is_for_the_accountant(self):
        partners = (
            self.env["res.partner"]
            .with_user(self.accountant)
            .with_context(allowed_company_ids=self.company.ids)
        )
        self.assertEqual(
            partners.search([("fee_waiver_percent", ">", 0)]), self.hardship
        )
        self.assertEqual(
            self.hardship.with_user(self.accountant).export_data(
                ["name", "fee_waiver_percent"]
            )["datas"],
            [["Hard Times", 50.0]],
        )

    def test_coordinator_still_works_with_the_flags(self):
        Application = (
            self.env["afterschool.application"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=self.company.ids)
        )
        self.assertEqual(
            Application.search([("left_behind", "=", True)]), self.applications[1]
        )
        self.assertEqual(
            Application.search([("financial_hardship", "=", True)]),
            self.applications[2],
        )
        self.assertEqual(
            Application.search([("priority", "!=", "0")]), self.applications[1:]
        )
        counts = Application.read_group(
            [("id", "in", self.applications.ids)], ["__count"], ["left_behind"]
        )
        groups = {group["left_behind"]: group["left_behind_count"] for group in counts}
        self.assertEqual(groups, {True: 1, False: 2})
        self.assertEqual(
            Application.search(
                [("id", "in", self.applications.ids)], order="priority desc, id"
            )[-1],
            self.applications[0],
        )
        partners = (
            self.env["res.partner"]
            .with_user(self.manager)
            .with_context(allowed_company_ids=self.company.ids)
        )
        self.assertEqual(
            partners.search([("left_behind", "=", True)]), self.left_behind
        )

    def test_tracking_of_a_flag_shows_only_to_coordinators(self):
        self.student.with_context(tracking_disable=False).with_user(self.manager).write(
            {"left_behind": True}
        )
        self.env.flush_all()
        self.env.cr.flush()  # the tracking values are written at the end of the transaction
        message = self.student.message_ids.filtered("tracking_value_ids")[:1]
        self.assertTrue(message, "the change is tracked")

        def tracked_fields(user):
            store = Store()
            message.with_user(user)._to_store(store, for_current_user=True)
            values = store.get_result()["mail.message"][0]["trackingValues"]
            return [value["fieldName"] for value in values]

        self.assertEqual(tracked_fields(self.manager), ["left_behind"])
        self.assertEqual(tracked_fields(self.head_teacher), [])
