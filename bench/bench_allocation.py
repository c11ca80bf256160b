"""Time the placement of 2,000 approved applications into 60 groups (places are short).

    AFTERSCHOOL_BENCH_DB=enrol_bench scripts/bench bench/bench_allocation.py [--applications 2000 --groups 60]

Builds a school (36 classes with their head teachers, 2,000 students with a guardian each, one open
term with 20 reading rooms and 40 clubs), submits and approves every application in batch as the
steps of the list view do, then times the allocation and a waiting-list promotion.
"""

import argparse
import random
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import QueryCounter, odoo_env, parse_args, timed  # noqa: E402

from odoo import Command  # noqa: E402


def build_school(env, args):
    company = env["res.company"].create(
        {"name": "Bench Primary School", "currency_id": env.ref("base.CNY").id}
    )
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Head Teacher {index}",
                    "login": f"bench_head_{index}",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [
                        Command.link(
                            env.ref(
                                "afterschool_service.group_afterschool_head_teacher"
                            ).id
                        )
                    ],
                }
                for index in range(36)
            ]
        )
    )
    classes = env["afterschool.class"].create(
        [
            {
                "name": f"{grade}-{section}",
                "grade": grade,
                "head_teacher_id": users[(grade - 1) * 6 + section - 1].id,
                "company_id": company.id,
            }
            for grade in range(1, 7)
            for section in range(1, 7)
        ]
    )
    term = env["afterschool.term"].create(
        {
            "name": "Bench Term",
            "company_id": company.id,
            "date_start": date(2030, 9, 2),
            "date_end": date(2031, 1, 17),
            "window_ids": [
                Command.create(
                    {
                        "date_from": date(2030, 9, 2),
                        "date_to": date(2031, 1, 17),
                        "hour_from": 16.5,
                        "hour_to": 18.0,
                    }
                )
            ],
        }
    )
    term.action_open()
    reading_count = args.groups // 3
    venues = env["afterschool.venue"].create(
        [
            {"name": f"Room {index}", "capacity": 40, "company_id": company.id}
            for index in range(args.groups)
        ]
    )
    groups = env["afterschool.activity.group"].create(
        [
            {
                "name": f"Reading Room {index}",
                "term_id": term.id,
                "kind": "reading",
                "capacity": 35,
                "venue_id": venues[index].id,
                "grade_min": 1 + 2 * (index % 3),
                "grade_max": 2 + 2 * (index % 3),
                "wed": False,
                "fri": False,
            }  # Tuesdays and Thursdays
            for index in range(reading_count)
        ]
        + [
            {
                "name": f"Club {index}",
                "term_id": term.id,
                "kind": "club",
                "capacity": 25,
                "venue_id": venues[reading_count + index].id,
                "grade_min": 1 + 2 * (index % 3),
                "grade_max": 2 + 2 * (index % 3),
                "tue": False,
                "thu": False,
                "wed": bool(index % 2),
                "fri": not index % 2,
            }  # Wednesdays or Fridays
            for index in range(args.groups - reading_count)
        ]
    )
    guardians = env["res.partner"].create(
        [{"name": f"Guardian {index}"} for index in range(args.applications)]
    )
    rng = random.Random(42)
    students = env["res.partner"].create(
        [
            {
                "name": f"Student {index}",
                "is_student": True,
                "class_id": classes[index % len(classes)].id,
                "guardian_ids": [Command.set(guardians[index].ids)],
                "left_behind": rng.random() < 0.08,
                "financial_hardship": rng.random() < 0.05,
            }
            for index in range(args.applications)
        ]
    )
    vals_list = []
    for student in students:
        admitting = groups.filtered(
            lambda group: group.grade_min <= student.grade <= group.grade_max
        )
        reading = admitting.filtered(lambda group: group.kind == "reading")
        wednesday = admitting.filtered(lambda group: group.kind == "club" and group.wed)
        friday = admitting.filtered(lambda group: group.kind == "club" and group.fri)
        requested = rng.choice(reading) | rng.choice(wednesday)
        if rng.random() < 0.5:
            requested |= rng.choice(friday)
        vals_list.append(
            {
                "student_id": student.id,
                "guardian_id": student.guardian_ids.id,
                "term_id": term.id,
                "requested_group_ids": [Command.set(requested.ids)],
            }
        )
    return env, term, groups, vals_list


def run(env, applications=2000, groups=60):
    """The whole benchmark in ``env`` (the caller rolls back); also the CI smoke test's entry point."""
    args = argparse.Namespace(applications=applications, groups=groups)
    results = {}
    env, term, groups, vals_list = build_school(env, args)
    Application = env["afterschool.application"]
    with timed(f"create {len(vals_list)} applications", results, env):
        applications = Application.create(vals_list)
    # A live database has planner statistics; rows inserted in this one transaction have none, and
    # PostgreSQL would then pick nested loops over thousands of rows (seconds per query).
    env.cr.execute(
        "ANALYZE res_partner, afterschool_application, afterschool_application_requested_group_rel"
    )
    with timed("submit all (one batch)", results, env):
        applications.action_submit()
    with timed("class review of all (one batch)", results, env):
        applications.action_class_approve()
    with timed("school review of all (one batch)", results, env):
        applications.action_school_approve()
    env.cr.execute(
        "ANALYZE afterschool_application, afterschool_application_group_rel, mail_activity"
    )
    env.invalidate_all()
    with (
        timed(
            f"allocate {len(applications)} applications into {len(groups)} groups",
            results,
            env,
        ),
        QueryCounter(env.cr) as allocation,
    ):
        placed = applications._allocate()
    waiting = applications.filtered("is_waiting")
    print(
        f"  {placed} places given, {len(waiting)} applications on the waiting list, "
        f"{allocation.count} queries for the allocation"
    )
    env.invalidate_all()
    with timed(
        "withdraw 50 placed students (promotion from the waiting list)", results, env
    ):
        applications.filtered("group_ids")[:50].action_withdraw(
            "Bench withdrawal", date(2030, 10, 8)
        )
    print(f"  {len(applications.filtered('is_waiting'))} applications still waiting")
    return results


def main():
    args = parse_args(
        __doc__,
        applications={"type": int, "default": 2000},
        groups={"type": int, "default": 60},
    )
    with odoo_env(args) as env:
        run(env, applications=args.applications, groups=args.groups)


if __name__ == "__main__":
    main()
