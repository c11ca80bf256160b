from datetime import timedelta

from odoo import api, models


class AfterschoolDemoDistrict(models.AbstractModel):
    """The district part of the demo (demo/afterschool_district_demo.xml): a second school with a
    term like the first one's, and the oversight records of the first school."""

    _inherit = "afterschool.demo"

    @api.model
    def _create_district_demo(self):
        school_a = self.env.ref(
            "afterschool_service.res_company_demo", raise_if_not_found=False
        )
        school_b = self.env.ref(
            "afterschool_service.res_company_district_demo", raise_if_not_found=False
        )
        term_a = self.env.ref(
            "afterschool_service.afterschool_term_demo", raise_if_not_found=False
        )
        if not (school_a and school_b and term_a) or self.env[
            "afterschool.term"
        ].search_count([("company_id", "=", school_b.id)]):
            return False
        self._create_second_school(school_b, term_a)
        self._create_oversight_demo(term_a)
        return True

    def _create_second_school(self, school, term_a):
        """明德小学: a class per grade with its families, three venues, a term like 阳光小学's with four
        groups, applications in every state, and its sessions with the last weeks' attendance."""
        env = self.env(
            context=dict(
                self.env.context,
                allowed_company_ids=school.ids,
                tracking_disable=True,
                mail_create_nolog=True,
            )
        )
        coordinator = env.ref("afterschool_service.user_coordinator_b_demo")
        teacher = env.ref("afterschool_service.user_teacher_b_demo")
        self._create_second_school_pupils(env, school, teacher)
        venues = self._create_second_school_venues(env, school)
        term = term_a.with_env(env).copy({"name": term_a.name, "company_id": school.id})
        self._create_second_school_groups(env, term, venues, teacher, coordinator)
        term.action_open()
        env["afterschool.demo"]._create_demo_applications(school)
        self._hold_second_school_sessions(env, term)
        return term

    def _create_second_school_pupils(self, env, school, teacher):
        """A class per grade (the teacher heads the first grade's), filled with 20 children and families."""
        grade_names = ("一", "二", "三", "四", "五", "六")
        env["afterschool.class"].create(
            [
                {
                    "name": f"{name}年级(1)班",
                    "grade": grade,
                    "company_id": school.id,
                    "head_teacher_id": teacher.id if grade == 1 else False,
                }
                for grade, name in enumerate(grade_names, start=1)
            ]
        )
        env["afterschool.demo"]._create_students(
            school.id, per_class=20, seed=2027, xmlid_prefix="res_partner_mingde"
        )

    def _create_second_school_venues(self, env, school):
        """The school's three venues: library, gym and multi-purpose room."""
        Venue = env["afterschool.venue"]
        library = Venue.create(
            {"name": "图书室", "capacity": 40, "company_id": school.id}
        )
        gym = Venue.create({"name": "体育馆", "capacity": 60, "company_id": school.id})
        room = Venue.create(
            {"name": "多功能教室", "capacity": 45, "company_id": school.id}
        )
        return {"library": library, "gym": gym, "room": room}

    def _create_second_school_groups(self, env, term, venues, teacher, coordinator):
        """The term's groups: a reading room for the young ones, a football club, a homework room."""
        Group = env["afterschool.activity.group"]
        Group.create(
            [
                {
                    "name": "阅读室（一至三年级）",
                    "term_id": term.id,
                    "kind": "reading",
                    "venue_id": venues["library"].id,
                    "teacher_id": teacher.id,
                    "capacity": 40,
                    "grade_min": 1,
                    "grade_max": 3,
                },
                {
                    "name": "足球社团",
                    "term_id": term.id,
                    "kind": "club",
                    "venue_id": venues["gym"].id,
                    "teacher_id": coordinator.id,
                    "capacity": 30,
                    "grade_min": 3,
                    "grade_max": 6,
                    "tue": True,
                    "wed": False,
                    "thu": True,
                    "fri": False,
                },
                {
                    "name": "作业室（四至六年级）",
                    "term_id": term.id,
                    "kind": "homework",
                    "venue_id": venues["room"].id,
                    "teacher_id": coordinator.id,
                    "capacity": 45,
                    "grade_min": 4,
                    "grade_max": 6,
                    "tue": False,
                    "wed": True,
                    "thu": False,
                    "fri": True,
                },
            ]
        )

    def _hold_second_school_sessions(self, env, term):
        """The term's sessions; those of the last three weeks held, everyone present but every
        eleventh mark absent, their content written down."""
        Session = env["afterschool.session"]
        Session._generate_for_terms(term)
        today = self.env.company._afterschool_today()
        past = Session.search(
            [
                ("term_id", "=", term.id),
                ("state", "=", "planned"),
                ("date", "<", today),
                ("date", ">=", today - timedelta(weeks=3)),
            ]
        )
        past.action_mark_all_present()
        past.attendance_ids.filtered(lambda line: line.state == "present").sorted("id")[
            ::11
        ].write({"state": "absent"})
        past.write(
            {
                "content": self.env._(
                    "Homework support, then reading aloud in small groups."
                )
            }
        )
        past.action_done()

    def _create_oversight_demo(self, term):
        """阳光小学: inspections of past sessions (one found a problem), the needs survey of the first
        class, and the satisfaction survey open with a few ratings."""
        env = self.env(
            context=dict(
                self.env.context,
                allowed_company_ids=term.company_id.ids,
                tracking_disable=True,
                mail_create_nolog=True,
            )
        )
        term = term.with_env(env)
        self._create_demo_inspections(env, term)
        self._answer_demo_needs_survey(env, term)
        self._rate_demo_groups(env, term)
        return True

    def _create_demo_inspections(self, env, term):
        """Spot checks of the five latest sessions held, the leadership members in turn; the second
        one found group teaching."""
        today = self.env.company._afterschool_today()
        sessions = env["afterschool.session"].search(
            [("term_id", "=", term.id), ("state", "=", "done"), ("date", "<", today)],
            order="date desc",
            limit=6,
        )
        inspectors = (
            env["afterschool.leadership.member"]
            .search([("company_id", "=", term.company_id.id)])
            .user_id
        )
        if sessions and inspectors:
            inspections = env["afterschool.inspection"].create(
                [
                    {
                        "session_id": session.id,
                        "inspector_id": inspectors[index % len(inspectors)].id,
                        "inspected_at": session.start + timedelta(minutes=30),
                        "headcount_seen": session.present_count,
                    }
                    for index, session in enumerate(sessions[:5])
                ]
            )
            issue = inspections[1]
            issue.write(
                {
                    "no_group_teaching": False,
                    "finding": self.env._(
                        "The teacher was explaining new maths to the whole room: reminded that no group teaching "
                        "or tutoring is allowed."
                    ),
                }
            )
            inspections.action_record()

    def _answer_demo_needs_survey(self, env, term):
        """The needs survey sent to the first class: most families answered (a few declined), every
        fourth has not yet."""
        first_class = env.ref(
            "afterschool_service.afterschool_class_1_1_demo", raise_if_not_found=False
        )
        if first_class:
            surveys = env["afterschool.needs.survey"]._send_for_classes(
                term, first_class
            )
            for index, survey in enumerate(surveys):
                if index % 4 == 3:
                    continue  # has not answered yet
                survey._record_answer(
                    "declined" if index % 5 == 4 else "apply",
                    "portal",
                    survey.student_id.guardian_ids[:1],
                )

    def _rate_demo_groups(self, env, term):
        """The satisfaction survey open, with at most 24 ratings by families without a portal login (one
        per child and group)."""
        term.sudo().satisfaction_open = True
        Rating = env["afterschool.satisfaction"].sudo()
        lines = env["afterschool.attendance"].search(
            [
                ("term_id", "=", term.id),
                ("state", "=", "present"),
                ("student_id.guardian_ids.user_ids", "=", False),
            ],
            order="id",
            limit=400,
        )
        seen, vals_list = set(), []
        comments = (
            self.env._("The reading room is calm; our child reads a lot more."),
            self.env._(
                "Please let the children play outside a little before homework."
            ),
            "",
        )
        for index, line in enumerate(lines):
            if (line.student_id.id, line.group_id.id) in seen or len(vals_list) >= 24:
                continue
            seen.add((line.student_id.id, line.group_id.id))
            vals_list.append(
                {
                    "group_id": line.group_id.id,
                    "student_id": line.student_id.id,
                    "guardian_id": line.student_id.guardian_ids[:1].id,
                    "score": (5, 4, 4, 5, 3)[index % 5],
                    "comment": comments[index % 3],
                }
            )
        Rating.create(vals_list)
