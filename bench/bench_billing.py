"""Invoice a month of after-school service and compare with Odoo's bare account.move.create.

For each size (students; 4 in 5 guardians have one child, 1 in 5 two; 16 periods each) the
script builds a school, then times, twice each, taking the best wall and CPU time:
  - the addon's run (afterschool.invoice.run._execute: candidates, locks, values, create, links);
  - Odoo's bare batched account.move.create of the very same invoice values, same batch size.
Everything is rolled back at the end. The CPU time (of this process) is the steadier figure on a
shared machine; PostgreSQL's own time shows only in the wall time.

    AFTERSCHOOL_BENCH_DB=billing_bench scripts/bench bench/bench_billing.py [--sizes 500,1000,2000]
"""

import time
from datetime import date, datetime, timedelta

from _common import QueryCounter, odoo_env, parse_args

from odoo import Command

MONTH = (date(2027, 3, 1), date(2027, 3, 31))
SESSION_DAYS = [
    date(2027, 3, day) for day in (2, 4, 9, 11, 16, 18, 23, 25)
]  # Tue/Thu: 8 × 2 periods
GROUP_SIZE = 50
BATCH_SIZE = 200
REPEAT = 2


def build_school(env, students_count):
    """A school with its chart of accounts, a term, groups of 50 and a month of attendance."""
    company = env["res.company"].create(
        {
            "name": "Bench School %s" % students_count,
            "currency_id": env.ref("base.CNY").id,
        }
    )
    env["account.chart.template"].try_loading(
        "generic_coa", company=company, install_demo=False
    )
    company.currency_id = env.ref("base.CNY")
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    term = env["afterschool.term"].create(
        {
            "name": "Spring %s" % students_count,
            "company_id": company.id,
            "date_start": date(2027, 2, 22),
            "date_end": date(2027, 6, 30),
            "window_ids": [
                Command.create(
                    {
                        "date_from": date(2027, 2, 22),
                        "date_to": date(2027, 6, 30),
                        "hour_from": 16.5,
                        "hour_to": 18.0,
                    }
                )
            ],
        }
    )
    twins = students_count // 5  # guardians with two children
    guardians = env["res.partner"].create(
        [
            {"name": "Guardian %05d" % n, "email": "guardian%05d@example.com" % n}
            for n in range(students_count - twins)
        ]
    )
    students = env["res.partner"].create(
        [
            {
                "name": "Student %05d" % n,
                "is_student": True,
                "guardian_ids": [Command.set(guardians[n % len(guardians)].ids)],
                "fee_waiver_percent": 50.0 if n % 20 == 0 else 0.0,
            }
            for n in range(students_count)
        ]
    )
    groups = env["afterschool.activity.group"].create(
        [
            {"name": "Group %03d" % n, "term_id": term.id, "capacity": GROUP_SIZE}
            for n in range((students_count + GROUP_SIZE - 1) // GROUP_SIZE)
        ]
    )
    sessions = env["afterschool.session"].create(
        [
            {
                "group_id": group.id,
                "date": day,
                "start": datetime.combine(day, datetime.min.time())
                + timedelta(hours=8, minutes=30),
                "stop": datetime.combine(day, datetime.min.time())
                + timedelta(hours=10),
                "periods": 2,
            }
            for group in groups
            for day in SESSION_DAYS
        ]
    )
    sessions_by_group = sessions.grouped("group_id")
    rows, n = [], 0
    for index, student in enumerate(students):
        for session in sessions_by_group[groups[index // GROUP_SIZE]]:
            n += 1
            rows.append(
                {
                    "session_id": session.id,
                    "student_id": student.id,
                    "state": "absent" if n % 33 == 0 else "present",
                }
            )
    env["afterschool.attendance"].create(rows)
    env.flush_all()
    return company, len(guardians), len(rows)


def time_block(env, function, keep=lambda result: result):
    """Seconds and queries of ``function`` (flushed), then ``keep`` what it made, then undo it."""
    savepoint = env.cr.savepoint()
    counter = QueryCounter(env.cr)
    start, start_cpu = time.perf_counter(), time.process_time()
    with counter:
        result = function()
        env.flush_all()
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    kept = keep(result)
    savepoint.close(rollback=True)
    env.invalidate_all()
    return (seconds, cpu, counter.count), kept


def addon_run(env, company):
    run = (
        env["afterschool.invoice.run"]
        .with_company(company)
        .create({"company_id": company.id, "date_from": MONTH[0], "date_to": MONTH[1]})
    )
    run._execute(batch_size=BATCH_SIZE)
    return run


def invoices_values(run):
    return [_move_values(move) for move in run.invoice_ids.sorted("id")]


def _move_values(move):
    """The standard fields the addon gave an invoice, for the bare create."""
    return {
        "move_type": move.move_type,
        "partner_id": move.partner_id.id,
        "company_id": move.company_id.id,
        "journal_id": move.journal_id.id,
        "currency_id": move.currency_id.id,
        "invoice_date": move.invoice_date,
        "invoice_origin": move.invoice_origin,
        "narration": move.narration,
        "payment_reference": move.payment_reference,
        "invoice_line_ids": [
            Command.create(
                {
                    "sequence": line.sequence,
                    "product_id": line.product_id.id,
                    "name": line.name,
                    "quantity": line.quantity,
                    "price_unit": line.price_unit,
                    "discount": line.discount,
                }
            )
            for line in move.invoice_line_ids
        ],
    }


def bare_create(env, company, moves_values):
    Move = env["account.move"].with_company(company)
    for start in range(0, len(moves_values), BATCH_SIZE):
        Move.create(moves_values[start : start + BATCH_SIZE])


def main():
    args = parse_args(__doc__, sizes={"default": "500,1000,2000"})
    sizes = [int(size) for size in args.sizes.split(",")]
    results = []
    with odoo_env(args) as env:
        for size in sizes:
            start = time.perf_counter()
            company, guardian_count, row_count = build_school(env, size)
            print(
                f"built {size} students, {guardian_count} guardians, {row_count} attendance rows "
                f"in {time.perf_counter() - start:.1f} s",
                flush=True,
            )
            addon, bare = [], []
            for __ in range(REPEAT):
                measure, moves_values = time_block(
                    env, lambda: addon_run(env, company), invoices_values
                )
                addon.append(measure)
                print(
                    "  addon run        %7.2f s wall %7.2f s cpu %7d queries  %d invoices"
                    % (*measure, len(moves_values)),
                    flush=True,
                )
                measure, __ = time_block(
                    env, lambda: bare_create(env, company, moves_values)
                )
                bare.append(measure)
                print(
                    "  bare move create %7.2f s wall %7.2f s cpu %7d queries" % measure,
                    flush=True,
                )
            results.append((size, guardian_count, row_count, addon, bare))

    print(
        "\nBest of %d; cpu = this process's CPU time (the machine is shared, wall time is noisy)."
        % REPEAT
    )
    print(
        "students  guardians  attendance  addon wall  bare wall  ratio  addon cpu  bare cpu  ratio"
        "  addon q  bare q  addon cpu ms/student"
    )
    for size, guardian_count, row_count, addon, bare in results:
        addon_wall, bare_wall = min(m[0] for m in addon), min(m[0] for m in bare)
        addon_cpu, bare_cpu = min(m[1] for m in addon), min(m[1] for m in bare)
        print(
            "%8d  %9d  %10d  %10.2f  %9.2f  %5.2f  %9.2f  %8.2f  %5.2f  %7d  %6d  %20.2f"
            % (
                size,
                guardian_count,
                row_count,
                addon_wall,
                bare_wall,
                addon_wall / bare_wall,
                addon_cpu,
                bare_cpu,
                addon_cpu / bare_cpu,
                addon[0][2],
                bare[0][2],
                1000 * addon_cpu / size,
            )
        )


if __name__ == "__main__":
    main()
