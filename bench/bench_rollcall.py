"""The roll-call screen on the server: loading a session of 40 children, and each tap.

Each call is what one tap sends (one RPC), run as the session's teacher on a cold ORM cache (as a new
request would be), inside a savepoint that is rolled back so that every repetition starts from the same
roster. Prints the median time and the queries per call; HTTP and JSON encoding are not included.
"""

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import QueryCounter, odoo_env, parse_args  # noqa: E402

from odoo import Command, fields  # noqa: E402


def build_session(env, children):
    """A school with one group of `children`, each with two guardians and a grandparent; today's session,
    started an hour ago."""
    company = env["res.company"].create(
        {"name": "Bench Roll-call School", "currency_id": env.ref("base.CNY").id}
    )
    company.resource_calendar_id.tz = "Asia/Shanghai"
    env.user.company_ids |= company
    env = env(
        context=dict(env.context, allowed_company_ids=[company.id], tz="Asia/Shanghai")
    )
    teacher = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "Roll-call Teacher",
                "login": "bench_rollcall_teacher",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "tz": "Asia/Shanghai",
                "groups_id": [
                    Command.set(
                        env.ref("afterschool_service.group_afterschool_teacher").ids
                    )
                ],
            }
        )
    )
    venue = env["afterschool.venue"].create(
        {"name": "Room 1", "capacity": 60, "company_id": company.id}
    )
    school_class = env["afterschool.class"].create(
        {"name": "Grade 3 Class 1", "grade": 3, "company_id": company.id}
    )
    today = fields.Date.context_today(env.user.with_context(tz="Asia/Shanghai"))
    term = env["afterschool.term"].create(
        {
            "name": "Bench Term",
            "company_id": company.id,
            "date_start": today - timedelta(days=7),
            "date_end": today + timedelta(days=7),
            "mon": True,
            "tue": True,
            "wed": True,
            "thu": True,
            "fri": True,
            "sat": True,
            "sun": True,
            "window_ids": [
                Command.create(
                    {
                        "date_from": today - timedelta(days=7),
                        "date_to": today + timedelta(days=7),
                        "hour_from": 16 + 20 / 60,
                        "hour_to": 17 + 50 / 60,
                    }
                )
            ],
        }
    )
    term.action_open()
    group = env["afterschool.activity.group"].create(
        {
            "name": "Reading Room",
            "term_id": term.id,
            "kind": "reading",
            "teacher_id": teacher.id,
            "venue_id": venue.id,
            "capacity": 60,
        }
    )
    people = env["res.partner"].create(
        [
            {"name": f"{role} {i:02d}", "phone": f"138{i:04d}{n:04d}"}
            for i in range(children)
            for n, role in enumerate(("Mother", "Father", "Grandpa"))
        ]
    )
    students = env["res.partner"].create(
        [
            {
                "name": f"Child {i:02d}",
                "is_student": True,
                "class_id": school_class.id,
                "guardian_ids": [Command.set(people[3 * i : 3 * i + 2].ids)],
                "authorized_pickup_ids": [Command.set(people[3 * i + 2].ids)],
            }
            for i in range(children)
        ]
    )
    env["afterschool.application"].create(
        [
            {
                "student_id": student.id,
                "guardian_id": student.guardian_ids[:1].id,
                "term_id": term.id,
                "group_ids": [Command.set(group.ids)],
                "requested_group_ids": [Command.set(group.ids)],
                "state": "enrolled",
                "date_enrolled": term.date_start,
            }
            for student in students
        ]
    )
    term.action_generate_sessions()
    session = env["afterschool.session"].search(
        [("group_id", "=", group.id), ("date", "=", today)]
    )
    now = fields.Datetime.now()
    session.write(
        {"start": now - timedelta(hours=1), "stop": now + timedelta(minutes=30)}
    )
    for index, person in enumerate(people[2::3]):
        person.afterschool_pickup_code = "%06d" % (100000 + index)
    env.flush_all()
    return env, teacher, session


def measure(env, label, call, repeat):
    """Median seconds and queries of `call` over `repeat` rolled-back runs on a cold cache."""
    seconds, queries = [], None
    for _run in range(repeat):
        env.flush_all()
        env.invalidate_all()
        env.cr.execute("SAVEPOINT bench_tap")
        with QueryCounter(env.cr) as counter:
            start = time.perf_counter()
            call()
            env.flush_all()
            seconds.append(time.perf_counter() - start)
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_tap")
        env.invalidate_all()
        queries = counter.count
    median = statistics.median(seconds)
    print(f"  {label:<52} {median * 1000:8.1f} ms {queries:>6} queries", flush=True)
    return median, queries


def main():
    args = parse_args(
        __doc__,
        children={"type": int, "default": 40},
        repeat={"type": int, "default": 7},
    )
    with odoo_env(args) as env:
        env, teacher, session = build_session(env, args.children)
        as_teacher = session.with_user(teacher)
        Session = env["afterschool.session"].with_user(teacher)
        lines = session.attendance_ids.sorted("id")
        print(
            f"roll-call of {len(lines)} children, as the teacher (median of {args.repeat}, cold cache)"
        )
        measure(
            env,
            "first paint: rollcall_today() (session + roster)",
            Session.rollcall_today,
            args.repeat,
        )
        measure(env, "rollcall_read()", as_teacher.rollcall_read, args.repeat)
        measure(
            env, "tap: All present", as_teacher.rollcall_mark_all_present, args.repeat
        )
        session.action_mark_all_present()
        env.flush_all()
        measure(
            env,
            "tap: one child absent",
            lambda: as_teacher.rollcall_mark(lines[1].id, "absent"),
            args.repeat,
        )
        measure(
            env,
            "tap: pickup by a guardian (sheet)",
            lambda: as_teacher.rollcall_pickup(
                lines[2].id, lines[2].student_id.guardian_ids[:1].id
            ),
            args.repeat,
        )
        measure(
            env,
            "typed/scanned pickup code",
            lambda: as_teacher.rollcall_pickup_by_code("100003"),
            args.repeat,
        )
        measure(
            env,
            "tap: close the session",
            lambda: as_teacher.rollcall_close("Reading"),
            args.repeat,
        )


if __name__ == "__main__":
    main()
