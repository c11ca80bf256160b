"""EXPLAIN (ANALYZE, BUFFERS) every SELECT of a month's invoicing run, batch after batch.

Builds a school as bench_billing.py does, then runs the addon's invoicing batch by batch; before
each SELECT of the run executes, the same statement is explained with ANALYZE and BUFFERS (a SELECT
has no side effects: its locks are taken by this same transaction). Per batch it prints the pages
the run's SELECTs touched and their time: flat from the first batch to the last means no query
reads what grows with the month. ``--plans`` also prints the plans of the heaviest queries of the
first and last batch. Everything is rolled back.

    AFTERSCHOOL_BENCH_DB=as_scale_bench scripts/bench bench/explain_billing.py [--students 4000] [--plans]
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import odoo_env, parse_args  # noqa: E402
from bench_billing import BATCH_SIZE, MONTH, build_school  # noqa: E402

from odoo.tools import SQL  # noqa: E402

SKIPPED = (
    "nextval",
    "pg_try_advisory",
    "pg_class",
    "pg_backend_pid",
    "FOR UPDATE SKIP LOCKED",
)


class Explainer:
    """Wraps the cursor's execute: explains each SELECT before running it, and keeps its figures."""

    def __init__(self, cr):
        self.cr, self.records, self.enabled = cr, [], False
        self.execute = cr.execute
        cr.execute = self._execute

    def close(self):
        self.cr.execute = self.execute

    def _execute(self, query, params=None, log_exceptions=True):
        if self.enabled:
            code, args = (
                (query.code, query.params)
                if isinstance(query, SQL)
                else (query, params)
            )
            if code.lstrip().upper().startswith("SELECT") and not any(
                word in code for word in SKIPPED
            ):
                self.enabled = False
                try:
                    self.execute(
                        "EXPLAIN (ANALYZE, BUFFERS, FORMAT TEXT) " + code, args
                    )
                    plan = "\n".join(row[0] for row in self.cr.fetchall())
                finally:
                    self.enabled = True
                buffers = re.search(
                    r"Buffers: shared(?: hit=(\d+))?(?: read=(\d+))?", plan
                )
                pages = sum(int(n) for n in buffers.groups() if n) if buffers else 0
                ms = float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1))
                self.records.append(
                    {
                        "sql": " ".join(code.split()),
                        "plan": plan,
                        "pages": pages,
                        "ms": ms,
                    }
                )
        return self.execute(query, params, log_exceptions)


def run(env, students=4000, plans=False):
    """The whole diagnosis in ``env`` (the caller rolls back); also the CI smoke test's entry point."""
    company, guardian_count, row_count, __ = build_school(env, students)
    print(
        f"{students} students, {guardian_count} guardians, {row_count} attendance rows",
        flush=True,
    )
    invoice_run = (
        env["afterschool.invoice.run"]
        .with_company(company)
        .create({"company_id": company.id, "date_from": MONTH[0], "date_to": MONTH[1]})
    )
    explainer = Explainer(env.cr)
    batches = []
    try:
        more, after_partner = True, 0
        while more:
            explainer.records, explainer.enabled = [], True
            done, more, after_partner = invoice_run._invoice_next_batch(
                BATCH_SIZE, after_partner
            )
            explainer.enabled = False
            batches.append((done, explainer.records))
    finally:
        explainer.close()
    print(
        "\nbatch  guardians  selects  pages touched  ms (explained)  of which attendance: pages, ms"
        "  heaviest select: pages, ms, start"
    )
    for number, (done, records) in enumerate(batches, start=1):
        heaviest = max(records, key=lambda record: record["pages"])
        own = [r for r in records if "afterschool_attendance" in r["sql"]]
        print(
            "%5d  %9d  %7d  %13d  %14.1f  %8d %7.1f  %6d %7.1f  %s"
            % (
                number,
                done,
                len(records),
                sum(r["pages"] for r in records),
                sum(r["ms"] for r in records),
                sum(r["pages"] for r in own),
                sum(r["ms"] for r in own),
                heaviest["pages"],
                heaviest["ms"],
                heaviest["sql"][:60],
            )
        )
    if plans:
        for number in sorted({1, len(batches)}):
            print(
                f"\n=== batch {number}: the run's own queries and the heaviest others ==="
            )
            records = batches[number - 1][1]
            own = [r for r in records if "afterschool_attendance a" in r["sql"]]
            others = sorted(
                (r for r in records if r not in own), key=lambda r: -r["pages"]
            )[:3]
            for record in own + others:
                print("--", record["sql"][:300])
                print(record["plan"])
    return batches


def main():
    args = parse_args(
        __doc__, students={"type": int, "default": 4000}, plans={"action": "store_true"}
    )
    with odoo_env(args) as env:
        run(env, args.students, args.plans)


if __name__ == "__main__":
    main()
