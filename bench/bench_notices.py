"""Family notices: the time from marking a child absent to the notice being queued, for a 40-child session.

A school with one session today (40 children, two guardians each, one reading Chinese), marked by its teacher:
  1. each child marked absent one tap at a time (the phone roll call): per tap, mean and worst, with queries
  2. the same taps marking present (no notice): the roll call's own cost, for comparison
  3. 10 children marked absent in one write (a batch from the list view)
  4. the delivery run once the minute's hold has passed: 80 notices, one mail per guardian in Odoo's queue
Every step runs inside a savepoint that is rolled back, so each starts from the same unmarked roster.
"""

import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytz

sys.path.insert(0, str(Path(__file__).parent))

from _common import QueryCounter, odoo_env, parse_args  # noqa: E402

from odoo import Command, fields  # noqa: E402

CHILDREN = 40


def build_school(env):
    company = env["res.company"].create(
        {
            "name": "Bench Primary School",
            "currency_id": env.ref("base.CNY").id,
            "phone": "010-5555",
        }
    )
    company.resource_calendar_id.tz = "Asia/Shanghai"
    env.user.company_ids |= company
    env = env(context=dict(env.context, allowed_company_ids=[company.id]))
    env["res.lang"]._activate_lang("zh_CN")
    kwargs = {
        "company_id": company.id,
        "company_ids": [Command.set(company.ids)],
        "tz": "Asia/Shanghai",
    }
    Users = env["res.users"].with_context(no_reset_password=True)
    teacher = Users.create(
        {
            "name": "Teacher",
            "login": "bench_notice_teacher",
            **kwargs,
            "groups_id": [
                Command.set(
                    env.ref("afterschool_service.group_afterschool_teacher").ids
                )
            ],
        }
    )
    manager_group = env.ref("afterschool_service.group_afterschool_manager")
    coordinator = Users.create(
        {
            "name": "Coordinator",
            "login": "bench_notice_coordinator",
            **kwargs,
            "groups_id": [Command.set(manager_group.ids)],
        }
    )
    company.afterschool_coordinator_id = coordinator
    head = Users.create(
        {
            "name": "Head Teacher",
            "login": "bench_notice_head",
            **kwargs,
            "groups_id": [
                Command.set(
                    env.ref("afterschool_service.group_afterschool_head_teacher").ids
                )
            ],
        }
    )
    school_class = env["afterschool.class"].create(
        {
            "name": "Grade 3 Class 1",
            "grade": 3,
            "company_id": company.id,
            "head_teacher_id": head.id,
        }
    )
    today = datetime.now(pytz.timezone(company.resource_calendar_id.tz)).date()
    term = env["afterschool.term"].create(
        {
            "name": "Bench Term",
            "company_id": company.id,
            "date_start": today - timedelta(days=30),
            "date_end": today + timedelta(days=30),
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
                        "date_from": today - timedelta(days=30),
                        "date_to": today + timedelta(days=30),
                        "hour_from": 16.5,
                        "hour_to": 18.0,
                    }
                )
            ],
        }
    )
    venue = env["afterschool.venue"].create(
        {"name": "Room", "capacity": 60, "company_id": company.id}
    )
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
    guardians = env["res.partner"].create(
        [
            {
                "name": f"Guardian {i:03d}",
                "email": f"guardian{i}@example.com",
                "mobile": f"1380000{i:04d}",
                "lang": "zh_CN" if i % 2 else "en_US",
            }
            for i in range(2 * CHILDREN)
        ]
    )
    students = env["res.partner"].create(
        [
            {
                "name": f"Child {i:02d}",
                "is_student": True,
                "class_id": school_class.id,
                "guardian_ids": [Command.set(guardians[2 * i : 2 * i + 2].ids)],
            }
            for i in range(CHILDREN)
        ]
    )
    now = fields.Datetime.now().replace(microsecond=0)
    session = env["afterschool.session"].create(
        {
            "group_id": group.id,
            "date": today,
            "start": now - timedelta(minutes=5),
            "stop": now + timedelta(minutes=85),
            "teacher_id": teacher.id,
            "venue_id": venue.id,
        }
    )
    env["afterschool.attendance"].create(
        [{"session_id": session.id, "student_id": s.id} for s in students]
    )
    env.flush_all()
    return teacher, session


def step(env, func):
    env.flush_all()
    env.cr.execute("SAVEPOINT bench_step")
    try:
        return func()
    finally:
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_step")
        env.invalidate_all()


def taps(env, lines, method):
    """One tap per child (one write each, as the phone does); seconds and queries per tap."""
    seconds, queries = [], []
    for line in lines:
        with QueryCounter(env.cr) as counter:
            start = time.perf_counter()
            getattr(line, method)()
            env.flush_all()
            seconds.append(time.perf_counter() - start)
        queries.append(counter.count)
    return seconds, queries


def report(label, seconds, queries):
    print(
        f"  {label:<52} mean {statistics.mean(seconds) * 1000:7.1f} ms  worst {max(seconds) * 1000:7.1f} ms"
        f"  {statistics.mean(queries):6.1f} queries/tap",
        flush=True,
    )


def main():
    args = parse_args(__doc__)
    with odoo_env(args) as env:
        teacher, session = build_school(env)
        lines = session.attendance_ids.with_user(teacher).sorted("id")
        Notice = env["afterschool.notice"]
        print(
            f"A session of {len(lines)} children, 2 guardians each, marked by its teacher:"
        )

        def absent_taps():
            seconds, queries = taps(env, lines, "action_absent")
            queued = Notice.search_count(
                [("session_id", "=", session.id), ("state", "=", "queued")]
            )
            assert queued == 2 * CHILDREN, queued
            return seconds, queries

        report("absent, one tap per child -> notices queued", *step(env, absent_taps))
        report(
            "present, one tap per child (no notice)",
            *step(env, lambda: taps(env, lines, "action_present")),
        )

        def batch():
            with QueryCounter(env.cr) as counter:
                start = time.perf_counter()
                lines[:10].action_absent()
                env.flush_all()
                seconds = time.perf_counter() - start
            return seconds, counter.count

        seconds, queries = step(env, batch)
        print(
            f"  {'10 children absent in one write -> 20 notices queued':<52} {seconds * 1000:12.1f} ms"
            f"  {queries:6d} queries",
            flush=True,
        )

        def deliver():
            lines.action_absent()
            env.flush_all()
            # the minute's hold has passed
            due = fields.Datetime.now() - timedelta(seconds=1)
            Notice.search([("state", "=", "queued")]).write({"scheduled_at": due})
            env.flush_all()
            with QueryCounter(env.cr) as counter:
                start = time.perf_counter()
                Notice._cron_deliver()
                env.flush_all()
                seconds = time.perf_counter() - start
            notices = Notice.search([("session_id", "=", session.id)])
            mails = env["mail.mail"].search(
                [("model", "=", "afterschool.notice"), ("res_id", "in", notices.ids)]
            )
            sent = notices.mapped("state").count("sent")
            mails = f"{sent} sent, {len(mails)} mails to {len(mails.recipient_ids)} guardians"
            return seconds, counter.count, mails

        seconds, queries, mails = step(env, deliver)
        print(
            f"  {'delivery after the hold: 80 notices, to-dos, mails':<52} {seconds * 1000:12.1f} ms"
            f"  {queries:6d} queries  ({mails} in the queue)",
            flush=True,
        )


if __name__ == "__main__":
    main()
