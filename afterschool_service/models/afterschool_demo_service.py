"""The demo school's service lived up to today: sessions planned, duties, leaves, attendance, incidents.

Demo builders belong to the demo model, not to the business models they fill: the sessions, terms
and attendance carry no method that only the demo data calls. Called from
demo/afterschool_session_demo.xml; everything goes through the ordinary model methods, so the demo
obeys the same rules (and checks) as the staff.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, models


class AfterschoolDemo(models.AbstractModel):
    """Plans and lives the demo school's term, as its coordinator and teachers would have."""

    _inherit = "afterschool.demo"

    @api.model
    def _demo_generate_sessions(self):
        """Demo: plan the demo school's term and live it up to today, as the staff would have.

        Today is a service day whatever the install date (a make-up day is added when it is not); every
        session before today is marked, collected and closed with its content; a duty roster, leaves, school
        absences and incidents are recorded. Does nothing when the demo school is not there.
        """
        company = self.env.ref(
            "afterschool_service.res_company_demo", raise_if_not_found=False
        )
        if not company:
            return False
        terms = self.env["afterschool.term"].search(
            [("company_id", "=", company.id), ("state", "!=", "closed")]
        )
        terms = terms.filtered(
            lambda term: term.window_ids and not term._get_uncovered_dates()
        )
        if not terms:
            return False
        for term in terms:
            self._demo_make_today_a_service_day(term)
        Session = self.env["afterschool.session"]
        Session._generate_for_terms(terms)
        today = terms[:1].company_id._afterschool_today()
        self._demo_assign_duties(terms)
        self._demo_record_leaves_and_absences(terms, today)
        past = Session.search(
            [
                ("term_id", "in", terms.ids),
                ("state", "=", "planned"),
                ("date", "<", today),
            ]
        )
        self._demo_take_attendance(past)
        self._demo_record_incidents(past)
        return True

    @api.model
    def _demo_make_today_a_service_day(self, term):
        """Demo: when today (in the term) is not a service day, make it a make-up day following the first
        service weekday's timetable, so that the demo teachers have sessions today whatever the install date."""
        term.ensure_one()
        today = term.company_id._afterschool_today()
        if (
            not term.date_start <= today <= term.date_end
            or today in term._get_service_schedule()
        ):
            return False
        if term.closure_ids.filtered(
            lambda closure: closure.date_from <= today <= closure.date_to
        ):
            return False
        return (
            self.env["afterschool.term.makeup"]
            .sudo()
            .create(
                {
                    "term_id": term.id,
                    "date": today,
                    "weekday": str(min(term._get_weekdays())),
                    "name": self.env._("Demo day (today)"),
                }
            )
        )

    @api.model
    def _demo_assign_duties(self, terms):
        """Duty rotations for grades 1 and 4, among club teachers who teach on Tuesdays and Thursdays or on
        Wednesdays and Fridays only, so that one of them is free every day."""
        Rotation = self.env["afterschool.duty.rotation"].sudo()

        def teachers(*numbers):
            users = [
                self.env.ref(
                    "afterschool_service.user_teacher%s_demo" % number,
                    raise_if_not_found=False,
                )
                for number in numbers
            ]
            return self.env["res.users"].union(*(user for user in users if user))

        plan = [(1, teachers(3, 4, 11)), (4, teachers(5, 6))]
        for term in terms.filtered(
            lambda term: not Rotation.search_count([("term_id", "=", term.id)])
        ):
            rotations = Rotation.create(
                [
                    {
                        "term_id": term.id,
                        "grade": grade,
                        "teacher_ids": [Command.set(chunk.ids)],
                    }
                    for grade, chunk in plan
                    if len(chunk) > 1
                ]
            )
            for rotation in rotations:
                rotation._assign_from(term.date_start)

    @api.model
    def _demo_record_leaves_and_absences(self, terms, today):
        """A few leaves (past, today and coming) and the school's absence list of a few days."""
        lines = (
            self.env["afterschool.attendance"]
            .sudo()
            .search(
                [("term_id", "in", terms.ids), ("session_id.state", "=", "planned")],
                order="date, id",
            )
        )
        if not lines:
            return
        students = lines.student_id.sorted("id")
        reasons = (
            self.env._("Family trip."),
            self.env._("Doctor's appointment."),
            self.env._("Grandmother's birthday."),
        )
        leaves = []
        for index, student in enumerate(students[:12]):
            first = today + timedelta(days=(index % 6) * 7 - 21)
            leaves.append(
                {
                    "student_id": student.id,
                    "date_from": first,
                    "date_to": first + timedelta(days=index % 3),
                    "reason": reasons[index % len(reasons)],
                }
            )
        recorded = {
            (leave.student_id.id, leave.date_from, leave.date_to)
            for leave in self.env["afterschool.leave"]
            .sudo()
            .search(
                [("student_id", "in", students[:12].ids), ("state", "=", "confirmed")]
            )
        }
        # run again (a later day of the demo), the same leave is not recorded twice
        self.env["afterschool.leave"].sudo().create(
            [
                vals
                for vals in leaves
                if (vals["student_id"], vals["date_from"], vals["date_to"])
                not in recorded
            ]
        )
        days = sorted({line.date for line in lines if line.date <= today})[-4:]
        absences = [
            {"student_id": student.id, "date": day, "reason": self.env._("Fever.")}
            for index, day in enumerate(days)
            for student in students[12 + index * 2 : 14 + index * 2]
        ]
        self.env["afterschool.school.absence"].sudo().create(absences)

    @api.model
    def _demo_take_attendance(self, sessions):
        """Mark these sessions as the teachers would: present, a few absent (the absent from school too),
        each child collected by a guardian or an authorised person, a few late; then close them."""
        if not sessions:
            return
        sessions.action_mark_all_present()
        lines = sessions.attendance_ids.filtered(
            lambda line: line.state == "present"
        ).sorted("id")
        absent = lines[::9] | lines.filtered("absent_from_school")
        absent.write({"state": "absent"})
        by_pickup, by_check_out = defaultdict(list), defaultdict(list)
        for index, line in enumerate(lines - absent):
            pickup = line.student_id._get_pickup_partners()[:1]
            if not pickup:
                continue
            delay = timedelta(minutes=20) if index % 25 == 0 else timedelta(minutes=-5)
            by_pickup[pickup.id].append(line.id)
            by_check_out[line.session_id.stop + delay].append(line.id)
        Attendance = self.env["afterschool.attendance"].sudo()
        for check_out, ids in by_check_out.items():
            Attendance.browse(ids).write({"check_out": check_out})
        for pickup_id, ids in by_pickup.items():
            Attendance.browse(ids).write({"picked_up_by_id": pickup_id})
        contents = (
            self.env._("Homework support, then reading aloud in small groups."),
            self.env._("Homework, then a picture-book reading."),
            self.env._("Free reading and reading notes."),
            self.env._("Club practice: each child presented their work."),
        )
        for index, session in enumerate(sessions.sorted("id")):
            session.content = contents[
                (index + (session.group_id.kind == "club") * 3) % len(contents)
            ]
        sessions.action_done()

    @api.model
    def _demo_record_incidents(self, sessions):
        """Two incidents in recent sessions: one followed up and closed, one still open."""
        sessions = sessions.filtered("attendance_ids").sorted("date")[-2:]
        if len(sessions) < 2:
            return
        Incident = self.env["afterschool.incident"].sudo()
        closed, still_open = Incident.create(
            [
                {
                    "session_id": sessions[0].id,
                    "student_id": sessions[0].attendance_ids[:1].student_id.id,
                    "occurred_at": sessions[0].start + timedelta(minutes=30),
                    "description": self.env._(
                        "Fell on the stairs on the way to the playground; a grazed knee."
                    ),
                    "action_taken": self.env._(
                        "Cleaned and dressed by the school nurse; the mother was called."
                    ),
                    "guardian_informed": True,
                },
                {
                    "session_id": sessions[1].id,
                    "student_id": sessions[1].attendance_ids[:1].student_id.id,
                    "occurred_at": sessions[1].start + timedelta(minutes=45),
                    "description": self.env._(
                        "Two children argued over a book and one pushed the other."
                    ),
                },
            ]
        )
        closed.with_user(closed.responsible_id or self.env.user).action_close()
        return closed | still_open
