from collections import defaultdict

from odoo import Command, api, models


class AfterschoolDemo(models.AbstractModel):
    """The demo school's applications, walked through the real steps (demo/afterschool_application_demo.xml).

    Kept out of afterschool.application: demo builders are no business rule, and they act as the
    people who take each step (head teachers, the coordinator, the families), like a user would.
    """

    _inherit = "afterschool.demo"

    @api.model
    def _create_demo_applications(self, company=None):
        """Applications in every state for the demo school's open term (nothing if there is none).

        Walked through the real steps as the people who take them: each class's head teacher does the class
        review, the coordinator the school review; only placed children are published and sign. Every class
        keeps applications to review. Runs from demo/afterschool_application_demo.xml; does nothing when the
        term already has applications, so updating the module does not duplicate them.
        """
        company = company or self.env.ref(
            "afterschool_service.res_company_demo", raise_if_not_found=False
        )
        if not company:
            return False
        applications_env = (
            self.env["afterschool.application"]
            .sudo()
            .with_context(tracking_disable=True, mail_create_nolog=True)
        )
        term = applications_env.env["afterschool.term"].search(
            [("company_id", "=", company.id), ("state", "=", "open")],
            order="date_start desc",
            limit=1,
        )
        if not term or applications_env.search_count([("term_id", "=", term.id)]):
            return False
        # The families with a portal login have their own story (_create_demo_portal_families).
        students = applications_env.env["res.partner"].search(
            [
                ("is_student", "=", True),
                ("class_id.company_id", "=", company.id),
                ("guardian_ids", "!=", False),
                "!",
                ("guardian_ids.user_ids", "!=", False),
            ],
            order="id",
        )
        vals_list, targets = self._get_demo_application_vals(term, students)
        applications = applications_env.create(vals_list)
        by_state = defaultdict(lambda: applications_env.browse())
        for application, target in zip(applications, targets):
            by_state[target] |= application
        to_submit = applications - by_state["draft"]
        to_submit.action_submit()
        class_approved = to_submit - by_state["submitted"]
        for head_teacher, reviewed in class_approved.grouped(
            lambda a: a.class_id.head_teacher_id
        ).items():
            reviewed.with_user(head_teacher or self.env.user).action_class_approve()
        coordinator = self._get_demo_coordinator(company)
        approved = class_approved - by_state["class_approved"]
        approved.with_user(coordinator).action_school_approve()
        approved._allocate()
        # Only children with a place are posted and sign; the others wait for a place.
        to_publish = (by_state["published"] | by_state["enrolled"]).filtered(
            "group_ids"
        )
        to_publish.with_user(coordinator).action_publish()
        enrolled = by_state["enrolled"] & to_publish
        for agreement in enrolled.agreement_id:
            agreement.action_sign(agreement.guardian_id.name)
        # They signed before the term began, so the service days behind us have rosters.
        enrolled.write({"date_enrolled": term.date_start})
        self._end_demo_applications(by_state["submitted"], enrolled, coordinator)
        return True

    @api.model
    def _get_demo_application_vals(self, term, students):
        """The applications' values and the state each is to reach: the spread of a real term, a few
        weeks into enrolment, by rank within each class; some families do not apply."""
        spread = ["enrolled"] * 5 + [
            "published",
            "school_approved",
            "class_approved",
            "submitted",
            "draft",
        ]
        vals_list, targets, rank_in_class = [], [], defaultdict(int)
        for student in students:
            rank = rank_in_class[student.class_id]
            rank_in_class[student.class_id] += 1
            requested = self._get_demo_request(term, student, rank)
            if (
                not requested or rank % 10 == 9 and rank > 10
            ):  # some families do not apply
                continue
            vals_list.append(
                {
                    "student_id": student.id,
                    "guardian_id": student.guardian_ids[0].id,
                    "term_id": term.id,
                    "requested_group_ids": [Command.set(requested.ids)],
                }
            )
            targets.append(spread[rank % len(spread)])
        return vals_list, targets

    @api.model
    def _end_demo_applications(self, submitted, enrolled, coordinator):
        """A few end elsewhere: rejected at the class review, withdrawn and terminated after enrolment."""
        rejected = submitted.browse(
            [
                applications[0].id
                for applications in submitted.grouped("class_id").values()
                if len(applications) > 1
            ][:2]
        )
        for head_teacher, refused in rejected.grouped(
            lambda a: a.class_id.head_teacher_id
        ).items():
            refused.with_user(head_teacher or self.env.user).action_reject(
                self.env._("The family lives too far to collect the child at 18:00.")
            )
        enrolled[:2].action_withdraw(
            self.env._("The grandparents now collect the child after school.")
        )
        enrolled[2:3].with_user(coordinator).action_terminate(
            self.env._("Repeatedly left the school without being collected.")
        )

    @api.model
    def _get_demo_coordinator(self, company):
        """周静 at the demo school; the school's own coordinator elsewhere (a district's second school)."""
        demo = self.env.ref(
            "afterschool_service.user_coordinator_demo", raise_if_not_found=False
        )
        if demo and company in demo.company_ids:
            return demo
        return company._get_afterschool_coordinator()

    @api.model
    def _get_demo_request(self, term, student, rank):
        """What a demo family asks for: a reading room, the grade's homework room, or two clubs on
        complementary days (Tuesday/Thursday and Wednesday/Friday)."""
        admitting = term.group_ids.filtered(
            lambda group: group._admits_grade(student.grade)
        )
        reading = admitting.filtered(lambda group: group.kind == "reading")
        homework = admitting.filtered(lambda group: group.kind == "homework")
        clubs = admitting.filtered(lambda group: group.kind == "club")
        choice = rank % 5
        if choice in (0, 1) and reading:
            return reading[:1]
        if choice == 2 and homework:
            return homework[:1]
        first = clubs.filtered("tue")
        second = clubs.filtered("wed")
        requested = (
            first[rank % len(first)]
            if first
            else self.env["afterschool.activity.group"]
        )
        if second:
            requested |= second[rank % len(second)]
        return requested or reading[:1] or homework[:1]

    @api.model
    def _create_demo_portal_families(self):
        """The demo families with a portal login, one story per child (see demo/afterschool_student_demo.xml):
        parent1 has 张子涵's agreement to sign; parent2's 王梓萱 attends since the term began, and 王浩然 has
        not applied yet. Runs after _create_demo_applications; does nothing twice."""
        Application = self.env["afterschool.application"]
        term = self.env.ref(
            "afterschool_service.afterschool_term_demo", raise_if_not_found=False
        )
        to_sign = self.env.ref(
            "afterschool_service.res_partner_student_zhang_zihan_demo",
            raise_if_not_found=False,
        )
        attending = self.env.ref(
            "afterschool_service.res_partner_student_wang_zixuan_demo",
            raise_if_not_found=False,
        )
        if (
            not (term and to_sign and attending)
            or term.state != "open"
            or Application.sudo().search_count(
                [
                    ("student_id", "in", (to_sign | attending).ids),
                    ("term_id", "=", term.id),
                ]
            )
        ):
            return False
        applications_env = Application.sudo().with_context(
            tracking_disable=True, mail_create_nolog=True
        )
        placed = Application._get_placed_counts(term.group_ids)
        kinds = ("reading", "homework", "club")

        def group_with_room(student):
            return term.group_ids.filtered(
                lambda group: (
                    group._admits_grade(student.grade)
                    and placed.get(group.id, 0) < group.capacity
                )
            ).sorted(lambda group: kinds.index(group.kind))[:1]

        applications = applications_env.create(
            [
                {
                    "student_id": student.id,
                    "guardian_id": student.guardian_ids[0].id,
                    "term_id": term.id,
                    "requested_group_ids": [Command.set(group_with_room(student).ids)],
                }
                for student in (to_sign, attending)
            ]
        )
        applications.action_submit()
        for head_teacher, reviewed in applications.grouped(
            lambda a: a.class_id.head_teacher_id
        ).items():
            reviewed.with_user(head_teacher or self.env.user).action_class_approve()
        coordinator = self._get_demo_coordinator(term.company_id)
        applications.with_user(coordinator).action_school_approve()
        applications._allocate()
        applications.filtered("group_ids").with_user(coordinator).action_publish()
        signed = applications.filtered(
            lambda application: application.student_id == attending
        )
        signed.agreement_id.action_sign(attending.guardian_ids[0].name)
        signed.write({"date_enrolled": term.date_start})
        return True
