"""The demo school tells the truth: walked as it is installed, it holds only states that make sense, and
each role's first screen has something to act on (only with Odoo's demo data)."""

from collections import defaultdict

from .common import DemoCase

ODOOBOT = 1  # base.user_root


class TestDemoInvariants(DemoCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term = cls.env.ref("afterschool_service.afterschool_term_demo")
        cls.today = cls.school._afterschool_today()
        cls.applications = cls.env["afterschool.application"].search(
            [("term_id", "=", cls.term.id)]
        )

    def demo_user(self, login):
        return self.env["res.users"].search([("login", "=", login)])

    def test_every_posted_or_enrolled_child_has_a_place_and_a_roster(self):
        posted = self.applications.filtered(
            lambda a: a.state in ("published", "enrolled")
        )
        self.assertTrue(posted)
        self.assertFalse(
            posted.filtered(lambda a: not a.group_ids).student_id.mapped("name")
        )
        enrolled = self.applications.filtered(lambda a: a.state == "enrolled")
        lines = self.env["afterschool.attendance"].search_read(
            [
                ("term_id", "=", self.term.id),
                ("student_id", "in", enrolled.student_id.ids),
            ],
            ["student_id", "group_id"],
            load=None,
        )
        rostered = defaultdict(set)
        for line in lines:
            rostered[line["student_id"]].add(line["group_id"])
        for application in enrolled:
            self.assertEqual(
                rostered[application.student_id.id],
                set(application.group_ids.ids),
                application.student_id.name,
            )

    def test_no_past_session_left_open(self):
        Session = self.env["afterschool.session"]
        past = Session.search(
            [
                ("term_id", "=", self.term.id),
                ("date", "<", self.today),
                ("state", "!=", "cancelled"),
            ]
        )
        self.assertTrue(past)
        self.assertEqual(set(past.mapped("state")), {"done"})
        self.assertFalse(
            past.filtered(lambda session: not (session.content or "").strip())
        )
        self.assertFalse(past.filtered("unmarked_count"))
        present = past.attendance_ids.filtered(lambda line: line.state == "present")
        self.assertTrue(present)
        self.assertFalse(
            present.filtered(
                lambda line: not line.picked_up_by_id or not line.check_out
            ),
            "every child present was collected by someone on record",
        )

    def test_clubs_have_members(self):
        clubs = self.term.group_ids.filtered(lambda group: group.kind == "club")
        self.assertFalse(
            clubs.filtered(lambda club: not club.student_count).mapped("name")
        )

    def test_each_roles_first_screen_has_something_to_act_on(self):
        Application = self.env["afterschool.application"]
        # Teachers: Today has their sessions, whatever the install date.
        for login in ("teacher1", "teacher2"):
            today = (
                self.env["afterschool.session"]
                .with_user(self.demo_user(login))
                .search([("date", "=", self.today), ("teacher_id.login", "=", login)])
            )
            self.assertTrue(today, login)
            self.assertTrue(today.attendance_ids, login)
        # Head teachers: their class's applications to review.
        for number in range(1, 13):
            head = self.env.ref("afterschool_service.user_head%s_demo" % number)
            self.assertTrue(
                Application.with_user(head).search_count([("is_to_review", "=", True)]),
                head.login,
            )
        # The coordinator: the school review and the waiting list.
        coordinator = self.demo_user("coordinator")
        self.assertTrue(
            Application.with_user(coordinator).search_count(
                [("is_to_review", "=", True)]
            )
        )
        self.assertTrue(
            Application.with_user(coordinator).search_count([("is_waiting", "=", True)])
        )
        # The accountant: attendance to invoice.
        self.assertTrue(
            self.env["afterschool.attendance"]
            .with_user(self.demo_user("accountant"))
            .search_count([("billing_state", "=", "to_invoice")])
        )
        # The parents: an agreement to sign; a child attending.
        zihan = self.env.ref("afterschool_service.res_partner_student_zhang_zihan_demo")
        self.assertIn(
            self.applications.filtered(
                lambda a: a.student_id == zihan
            ).agreement_id.state,
            ("draft", "sent"),
        )
        zixuan = self.env.ref(
            "afterschool_service.res_partner_student_wang_zixuan_demo"
        )
        self.assertEqual(
            self.applications.filtered(lambda a: a.student_id == zixuan).state,
            "enrolled",
        )

    def test_reviews_by_real_people(self):
        reviewed = self.applications.filtered("class_approver_id")
        self.assertTrue(reviewed)
        self.assertNotIn(ODOOBOT, reviewed.class_approver_id.ids)
        self.assertNotIn(ODOOBOT, reviewed.school_approver_id.ids)
        for application in reviewed:
            self.assertEqual(
                application.class_approver_id,
                application.class_id.head_teacher_id,
                application.name,
            )
        self.assertEqual(reviewed.school_approver_id.mapped("login"), ["coordinator"])

    def test_the_term_was_lived(self):
        term_domain = [("company_id", "=", self.school.id)]
        self.assertTrue(self.env["afterschool.leave"].search_count(term_domain))
        self.assertTrue(
            self.env["afterschool.school.absence"].search_count(term_domain)
        )
        self.assertTrue(
            self.env["afterschool.duty"].search_count([("term_id", "=", self.term.id)])
        )
        incidents = self.env["afterschool.incident"].search(term_domain)
        self.assertEqual(set(incidents.mapped("state")), {"open", "closed"})
        students = self.env["res.partner"].search(
            [("is_student", "=", True), ("company_id", "=", self.school.id)]
        )
        self.assertFalse(
            students.filtered(lambda student: not student.emergency_contact)
        )
        self.assertTrue(students.filtered("health_notes"))
