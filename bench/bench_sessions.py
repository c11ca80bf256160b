"""Service days at scale: 2,000 students in 60 groups over an 18-week term.

Times, next to Odoo's bare batched create/write of the same records (the addon's overhead as a ratio):
  1. session generation with calendar events   vs  calendar.event.create(list) + session create(list)
  2. roster creation                           vs  attendance create(list)
  3. marking a month of attendance             vs  attendance write()
and the whole-term generation (1 + 2) against the bare create of the same sessions, events and rows.
Every step runs inside a savepoint that is rolled back, so both sides start from the same school.
"""

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import QueryCounter, odoo_env, parse_args  # noqa: E402

from odoo import Command  # noqa: E402

QUIET = {
    "no_mail_to_attendees": True,
    "dont_notify": True,
    "mail_create_nolog": True,
    "mail_create_nosubscribe": True,
    "mail_notrack": True,
    "tracking_disable": True,
}


def addon_class(model, module_fragment):
    """The addon's own class of a model in the registry's MRO, to call the ORM's create below it."""
    return next(
        cls
        for cls in type(model).__mro__
        if module_fragment in cls.__module__ and "afterschool_service" in cls.__module__
    )


class Step:
    """Run a block inside a rolled-back savepoint; record seconds and queries."""

    def __init__(self, env):
        self.env = env

    def run(self, label, func):
        env, cr = self.env, self.env.cr
        env.flush_all()
        cr.execute("SAVEPOINT bench_step")
        with QueryCounter(cr) as queries:
            start = time.perf_counter()
            result = func()
            env.flush_all()
            seconds = time.perf_counter() - start
        cr.execute("ROLLBACK TO SAVEPOINT bench_step")
        env.invalidate_all()
        print(f"  {label:<58} {seconds:8.2f} s {queries.count:>8} queries", flush=True)
        return seconds, queries.count, result


def build_school(env, args):
    company = env["res.company"].create(
        {"name": "Bench Primary School", "currency_id": env.ref("base.CNY").id}
    )
    company.resource_calendar_id.tz = "Asia/Shanghai"
    env.user.company_ids |= company
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    teacher_group = env.ref("afterschool_service.group_afterschool_teacher")
    teachers = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Teacher {i:02d}",
                    "login": f"bench_teacher_{i}",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.set(teacher_group.ids)],
                }
                for i in range(args.groups)
            ]
        )
    )
    venues = env["afterschool.venue"].create(
        [
            {"name": f"Room {i:02d}", "capacity": 60, "company_id": company.id}
            for i in range(args.groups)
        ]
    )
    classes = env["afterschool.class"].create(
        [
            {"name": f"Grade {g} Class {c}", "grade": g, "company_id": company.id}
            for g in range(1, 7)
            for c in range(1, 7)
        ]
    )
    start = getattr(args, "start", None) or date(2027, 3, 1)  # a Monday
    end = start + timedelta(weeks=args.weeks) - timedelta(days=3)
    term = env["afterschool.term"].create(
        {
            "name": "Bench Spring Term",
            "company_id": company.id,
            "date_start": start,
            "date_end": end,
            "window_ids": [
                Command.create(
                    {
                        "date_from": start,
                        "date_to": end,
                        "hour_from": 16 + 20 / 60,
                        "hour_to": 17 + 50 / 60,
                    }
                )
            ],
        }
    )
    term.action_open()
    groups = env["afterschool.activity.group"].create(
        [
            {
                "name": f"Group {i:02d}",
                "term_id": term.id,
                "kind": ("reading", "club", "homework")[i % 3],
                "teacher_id": teachers[i].id,
                "venue_id": venues[i].id,
                "capacity": 60,
            }
            for i in range(args.groups)
        ]
    )
    guardians = env["res.partner"].create(
        [{"name": f"Guardian {i:04d}"} for i in range(args.students)]
    )
    students = env["res.partner"].create(
        [
            {
                "name": f"Student {i:04d}",
                "is_student": True,
                "class_id": classes[i % len(classes)].id,
                "guardian_ids": [Command.set([guardians[i].id])],
            }
            for i in range(args.students)
        ]
    )
    applications = env["afterschool.application"].create(
        [
            {
                "student_id": student.id,
                "guardian_id": guardians[i].id,
                "term_id": term.id,
                # placed groups must be among those the family asked for
                "requested_group_ids": [Command.set([groups[i % len(groups)].id])],
                "group_ids": [Command.set([groups[i % len(groups)].id])],
                "state": "draft",
            }
            for i, student in enumerate(students)
        ]
    )
    env.flush_all()
    return env, term, groups, applications


def main():
    args = parse_args(
        __doc__,
        students={"type": int, "default": 2000},
        groups={"type": int, "default": 60},
        weeks={"type": int, "default": 18},
    )
    with odoo_env(args) as env:
        run(env, students=args.students, groups=args.groups, weeks=args.weeks)


def run(env, students=2000, groups=60, weeks=18):
    """The whole benchmark in ``env`` (the caller rolls back); also the CI smoke test's entry point."""
    args = argparse.Namespace(students=students, groups=groups, weeks=weeks)
    started = time.perf_counter()
    env, term, groups, applications = build_school(env, args)
    print(
        f"school built in {time.perf_counter() - started:.1f} s: {args.students} students, "
        f"{args.groups} groups, {len(term.get_service_dates())} service days",
        flush=True,
    )
    Session = env["afterschool.session"].with_context(**QUIET)
    Event = env["calendar.event"].with_context(**QUIET)
    Attendance = env["afterschool.attendance"]
    session_orm = addon_class(Session, "afterschool_session")
    attendance_orm = addon_class(Attendance, "afterschool_attendance")
    step = Step(env)
    results = {}

    # Everything planned but not yet stored: the values both sides create.
    term_tz = term._get_tz()
    plan = []
    for day in term._get_service_schedule():
        window = term._get_window(day)
        start, stop = Session._localize_span(
            day, window.hour_from, window.hour_to, term_tz
        )
        for group in groups:
            plan.append((group, day, start, stop))

    def session_vals(event_ids=None):
        return [
            {
                "group_id": group.id,
                "date": day,
                "start": start,
                "stop": stop,
                "periods": 2,
                "teacher_id": group.teacher_id.id,
                "venue_id": group.venue_id.id,
                **({"calendar_event_id": event_ids[index]} if event_ids else {}),
            }
            for index, (group, day, start, stop) in enumerate(plan)
        ]

    def bare_sessions_and_events():
        events = Event.create(
            [
                {
                    "name": group.name,
                    "start": start,
                    "stop": stop,
                    "duration": 1.5,
                    "allday": False,
                    "user_id": group.teacher_id.id,
                    "partner_ids": [Command.set(group.teacher_id.partner_id.ids)],
                    "location": group.venue_id.name,
                    "show_as": "busy",
                    "privacy": "public",
                    "alarm_ids": [Command.clear()],
                }
                for group, day, start, stop in plan
            ]
        )
        return super(session_orm, Session).create(session_vals(events.ids))

    print("1. session generation with calendar events")
    results["gen"] = step.run(
        "addon: term.action_generate_sessions() (no enrolment)",
        lambda: term.action_generate_sessions(),
    )
    results["gen_bare"] = step.run(
        "bare: calendar.event.create + session create", bare_sessions_and_events
    )

    # From here on the sessions exist (in the outer transaction, rolled back at the end), rosters empty.
    term.action_generate_sessions()
    applications.write({"state": "enrolled", "date_enrolled": term.date_start})
    env.flush_all()
    sessions = Session.search([("term_id", "=", term.id)])
    attending = env["afterschool.application"]._get_students_by_group_and_date(
        groups, sorted(set(sessions.mapped("date")))
    )
    roster_vals = [
        {"session_id": s.id, "student_id": student.id}
        for s in sessions
        for student in attending.get((s.group_id.id, s.date), [])
    ]
    print(
        f"2. roster creation ({len(roster_vals)} attendance rows for {len(sessions)} sessions)"
    )
    results["roster"] = step.run(
        "addon: sessions._sync_rosters()", lambda: sessions._sync_rosters()
    )
    results["roster_bare"] = step.run(
        "bare: attendance create(list)",
        lambda: super(attendance_orm, Attendance).create(roster_vals),
    )

    # Rosters stored; a month of service to mark.
    sessions._sync_rosters()
    env.flush_all()
    first = term.date_start
    month = sessions.filtered(lambda s: s.date < first + timedelta(weeks=4))
    lines = month.attendance_ids
    absent = lines[::20]
    print(
        f"3. marking a month of attendance ({len(month)} sessions, {len(lines)} rows, {len(absent)} absences)"
    )

    def mark_addon():
        month.action_mark_all_present()
        absent.action_absent()

    def mark_bare():
        # Read the rows in one search, as a caller would (a recordset kept from before the savepoint's
        # rollback would lose its prefetch and fetch row by row).
        month_lines = Attendance.search([("session_id", "in", month.ids)])
        super(attendance_orm, month_lines).write({"state": "present"})
        super(attendance_orm, month_lines.browse(absent.ids)).write(
            {"state": "absent", "picked_up_by_id": False, "check_out": False}
        )

    results["mark"] = step.run(
        "addon: action_mark_all_present + action_absent", mark_addon
    )
    results["mark_bare"] = step.run("bare: attendance write()", mark_bare)

    print("\nsummary (addon / bare)")
    rows = [
        ("session generation with calendar events", "gen", "gen_bare", len(plan)),
        ("roster creation", "roster", "roster_bare", len(roster_vals)),
        ("marking a month of attendance", "mark", "mark_bare", len(lines)),
    ]
    for label, mine, bare, count in rows:
        (s1, q1, _r1), (s2, q2, _r2) = results[mine], results[bare]
        print(
            f"  {label:<42} {s1:7.2f} s vs {s2:7.2f} s  ratio {s1 / s2:4.2f}   "
            f"queries {q1} vs {q2} ({q1 / max(count, 1):.3f} vs {q2 / max(count, 1):.3f} per record)"
        )
    total = results["gen"][0] + results["roster"][0]
    total_bare = results["gen_bare"][0] + results["roster_bare"][0]
    print(
        f"  {'whole-term generation (1 + 2)':<42} {total:7.2f} s vs {total_bare:7.2f} s"
        f"  ratio {total / total_bare:4.2f}"
        f"   (target < 2)"
    )
    return results


if __name__ == "__main__":
    main()
