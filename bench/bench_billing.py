"""Invoice a month of after-school service, growing the school, against Odoo's bare account.move.create.

For each size (students; 4 in 5 guardians have one child, 1 in 5 two; 16 periods each) the script
builds one more school in the same database (so the tables grow as in a district), then measures,
``--repeat`` times each:
  - the addon's run (afterschool.invoice.run._execute: candidates, locks, values, create, links);
  - Odoo's bare batched account.move.create of the very same invoice values, same batch size.
Per size it prints wall time, this Odoo process's CPU, the PostgreSQL backend's CPU (from
/proc/<pg_backend_pid()>/stat: the database runs on this machine), queries, and CPU per student.
The schools are committed in the benchmark's own database, vacuumed and analysed, as autovacuum
would have done during the month; every run is rolled back. Repetitions alternate which of the two
runs first.

    AFTERSCHOOL_BENCH_DB=as_billing_bench scripts/bench bench/bench_billing.py [--sizes 1000,4000,16000] [--large]
"""

import os
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import odoo_env, parse_args  # noqa: E402

from odoo import Command  # noqa: E402

MONTH = (date(2027, 3, 1), date(2027, 3, 31))
SESSION_DAYS = [
    date(2027, 3, day) for day in (2, 4, 9, 11, 16, 18, 23, 25)
]  # Tue/Thu: 8 × 2 periods
GROUP_SIZE = 50
BATCH_SIZE = 200
ROSTER_CHUNK = 20000  # attendance rows per create while building (bounds the ORM cache)


class Meter:
    """Wall time, this process's CPU, the PostgreSQL backend's CPU and the queries of a block."""

    def __init__(self, cr):
        self.cr = cr
        cr.execute("SELECT pg_backend_pid()")
        self.stat_path = "/proc/%s/stat" % cr.fetchone()[0]
        self.ticks = os.sysconf("SC_CLK_TCK")

    def backend_cpu(self):
        """utime + stime of the backend in seconds, or None when the database is on another machine."""
        times = self.backend_times()
        return sum(times) if times else None

    def backend_times(self):
        """(utime, stime) of the backend in seconds: stime is mostly the copying of pages that
        were not in PostgreSQL's shared buffers (read from the system's cache)."""
        try:
            with open(self.stat_path) as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return int(fields[11]) / self.ticks, int(fields[12]) / self.ticks

    def __enter__(self):
        self.start = (
            time.perf_counter(),
            time.process_time(),
            self.backend_times(),
            self.cr.sql_log_count,
        )
        return self

    def __exit__(self, *exc):
        wall, cpu, pg_times, queries = self.start
        end_pg = self.backend_times()
        self.wall = time.perf_counter() - wall
        self.cpu = time.process_time() - cpu
        if pg_times is not None:
            self.pg_cpu = sum(end_pg) - sum(pg_times)
            self.pg_sys = end_pg[1] - pg_times[1]
        else:
            self.pg_cpu = self.pg_sys = float("nan")
        self.queries = self.cr.sql_log_count - queries

    def figures(self):
        return {
            "wall": self.wall,
            "cpu": self.cpu,
            "pg": self.pg_cpu,
            "pg_sys": self.pg_sys,
            "queries": self.queries,
        }


def session_days(first_of_month):
    """The month's first eight Tuesdays and Thursdays (8 × 2 periods); March 2027 gives SESSION_DAYS."""
    days = [
        first_of_month + timedelta(days=n)
        for n in range(31)
        if (first_of_month + timedelta(days=n)).month == first_of_month.month
        and (first_of_month + timedelta(days=n)).weekday() in (1, 3)
    ]
    return days[:8]


def build_school(env, students_count, month=None, name=None):
    """A school with its chart of accounts, a term, groups of 50 and a month of attendance
    (``month``: its first day, by default March 2027)."""
    month = month or MONTH[0]
    days = session_days(month)
    company = env["res.company"].create(
        {
            "name": name or "Bench School %s" % students_count,
            "currency_id": env.ref("base.CNY").id,
        }
    )
    env["account.chart.template"].try_loading(
        "generic_coa", company=company, install_demo=False
    )
    company.currency_id = env.ref("base.CNY")
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    term_start, term_end = month - timedelta(days=7), month + timedelta(days=120)
    term = env["afterschool.term"].create(
        {
            "name": "Spring %s" % students_count,
            "company_id": company.id,
            "date_start": term_start,
            "date_end": term_end,
            "window_ids": [
                Command.create(
                    {
                        "date_from": term_start,
                        "date_to": term_end,
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
            for day in days
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
    env.flush_all()
    with Meter(env.cr) as roster:
        for start in range(0, len(rows), ROSTER_CHUNK):
            env["afterschool.attendance"].create(rows[start : start + ROSTER_CHUNK])
            env.flush_all()
            env.invalidate_all()
    return company, len(guardians), len(rows), roster.figures()


def measure(env, function, keep=lambda result: result):
    """Figures of ``function`` (flushed), then ``keep`` what it made, then undo it."""
    env.flush_all()
    savepoint = env.cr.savepoint()
    with Meter(env.cr) as meter:
        result = function()
        env.flush_all()
    kept = keep(result)
    savepoint.close(rollback=True)
    env.invalidate_all()
    return meter.figures(), kept


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


def _line(label, figures, extra=""):
    print(
        "  %-18s %8.2f s wall %8.2f s odoo cpu %8.2f s pg cpu (%5.2f s system) %8d queries%s"
        % (
            label,
            figures["wall"],
            figures["cpu"],
            figures["pg"],
            figures["pg_sys"],
            figures["queries"],
            extra,
        ),
        flush=True,
    )


def vacuum_analyze(env):
    """VACUUM ANALYZE the bench's database, as autovacuum would have done since the roll-calls
    (VACUUM runs outside a transaction: on a cursor of its own, in autocommit)."""
    with env.registry.cursor() as cr:
        cr._cnx.autocommit = True
        try:
            cr.execute("VACUUM ANALYZE")
        finally:
            cr._cnx.autocommit = False


def run(env, sizes=(1000, 4000, 16000), repeat=2, commit=False):
    """The whole benchmark in ``env`` (the caller rolls back); also the CI smoke test's entry point.

    ``commit``: commit each school once built, then vacuum and analyse the database, as a month of
    roll-calls has been committed, vacuumed and analysed by autovacuum long before the run (the
    benchmark's own database only; the runs themselves are always rolled back). Without it, the run
    sees the rows inserted in its own transaction as changed and refreshes the statistics itself.

    Each repetition runs the addon and bare Odoo in turn, the addon first in odd repetitions and
    bare Odoo first in even ones; with ``commit`` the database is vacuumed before each of them, so
    that neither pays for the dead rows the other's rolled-back run left (the addon's own included:
    a month is invoiced once, not rolled back and run again)."""
    results = []
    for size in sizes:
        start = time.perf_counter()
        company, guardian_count, row_count, roster = build_school(env, size)
        print(
            f"built {size} students, {guardian_count} guardians, {row_count} attendance rows "
            f"in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        _line("attendance create", roster)
        addon, bare, invoice_count = [], [], 0
        # the bare create needs the addon's invoices: the first repetition measures the addon first
        moves_values = None
        for repetition in range(repeat):
            for side in ("addon", "bare") if repetition % 2 == 0 else ("bare", "addon"):
                if commit:  # what the last (rolled-back) run left is cleaned up, as between two months
                    env.cr.commit()
                    vacuum_analyze(env)
                if side == "addon":
                    figures, moves_values = measure(
                        env, lambda: addon_run(env, company), invoices_values
                    )
                    invoice_count = len(moves_values)
                    addon.append(figures)
                    _line("addon run", figures, "  %d invoices" % invoice_count)
                else:
                    figures, __ = measure(
                        env, lambda: bare_create(env, company, moves_values)
                    )
                    bare.append(figures)
                    _line("bare move create", figures)
        results.append(
            {
                "students": size,
                "invoices": invoice_count,
                "roster": roster,
                "addon": addon,
                "bare": bare,
            }
        )
    print_table(results, repeat)
    return results


def _ratios(addon, bare, key):
    """The addon's figure over bare Odoo's, run by run (each repetition runs both), and their median."""
    ratios = [a[key] / max(b[key], 0.01) for a, b in zip(addon, bare)]
    return "%s (%.2f)" % (
        ", ".join("%.2f" % ratio for ratio in ratios),
        statistics.median(ratios),
    )


def print_table(results, repeat):
    def span(measures, key, per=1, scale=1.0):
        values = sorted(scale * m[key] / per for m in measures)
        return (
            "%.1f" % values[0]
            if len(values) == 1 or values[0] == values[-1]
            else "%.1f–%.1f" % (values[0], values[-1])
        )

    def best(measures, key):
        return min(m[key] for m in measures)

    print(
        "\n%d repetition(s) per size; a–b = best–worst; cpu in s; per-student figures in ms of odoo + pg cpu."
        % repeat
    )
    print(
        "| students | invoices | wall addon / bare (s) | odoo cpu addon / bare | pg cpu addon / bare "
        "| queries addon / bare | ms/student addon / bare | wall ratio | pg ratio per repetition (median) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for row in results:
        addon, bare, size = row["addon"], row["bare"], row["students"]
        total = [dict(m, total=m["cpu"] + m["pg"]) for m in addon]
        total_bare = [dict(m, total=m["cpu"] + m["pg"]) for m in bare]
        print(
            "| {:,} | {:,} | {} / {} | {} / {} | {} / {} | {:,} / {:,} | {} / {} | {:.2f} | {} |".format(
                size,
                row["invoices"],
                span(addon, "wall"),
                span(bare, "wall"),
                span(addon, "cpu"),
                span(bare, "cpu"),
                span(addon, "pg"),
                span(bare, "pg"),
                addon[0]["queries"],
                bare[0]["queries"],
                span(total, "total", size, 1000),
                span(total_bare, "total", size, 1000),
                best(addon, "wall") / best(bare, "wall"),
                _ratios(addon, bare, "pg"),
            )
        )
    print("\nattendance create (roster of the month, rows inserted by the ORM):")
    for row in results:
        roster = row["roster"]
        print(
            "  {:>6,} students: {:.1f} s wall, {:.1f} s odoo cpu, {:.1f} s pg cpu, {:,} queries".format(
                row["students"],
                roster["wall"],
                roster["cpu"],
                roster["pg"],
                roster["queries"],
            )
        )


def main():
    args = parse_args(
        __doc__,
        sizes={"default": "1000,4000,16000"},
        repeat={"type": int, "default": 2},
        large={"action": "store_true", "help": "also 40,000 students"},
    )
    sizes = [int(size) for size in args.sizes.split(",")] + (
        [40000] if args.large else []
    )
    with odoo_env(args) as env:
        run(env, sizes, args.repeat, commit=True)


if __name__ == "__main__":
    main()
