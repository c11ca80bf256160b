"""A district's month invoiced by the scheduler: one cron worker against several, on real Odoo servers.

Builds N schools × M students (default 4 × 4,000; bench_billing's builder: 4 in 5 guardians with one
child, 16 periods each) with attendance in the schools' previous month, commits them and keeps the
database as a template. Then, for each number of cron workers (``--threads``, default 1 and 2), it
restores a copy of the template, starts ``odoo-bin --workers=W --max-cron-threads=N --no-http`` on it
(prefork: each cron worker is a process of its own; no time limit for the jobs), wakes the monthly
dispatch and waits until every school's run is done. It measures the wall time from the dispatch to
the last school done, each school's time (its first invoice to its run's end), and the CPU of the
server's processes and of their PostgreSQL backends (sampled from /proc each second), with the
machine's load average; prints a table and the speed-up.

    AFTERSCHOOL_BENCH_DB=as_district_month scripts/bench bench/bench_district_month.py \\
        [--schools 4] [--students 4000] [--threads 1,2] [--reuse]

``--reuse`` skips the build when the template of the same size exists. The databases it makes are
named after ``--database`` (``<db>_tpl``, ``<db>_run``) and dropped at the end (the template with
``--drop``).
"""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _common import parse_args  # noqa: E402
from bench_billing import build_school  # noqa: E402

ODOO_BIN = Path(os.environ.get("ODOO_SRC", "/opt/odoo18")) / "odoo-bin"
POLL_SECONDS = 1.0
TIMEOUT_SECONDS = 4 * 3600


# ---------------------------------------------------------------------- the district
def build_district(env, schools, students, commit=False):
    """``schools`` schools of ``students`` students, attendance in each school's previous month."""
    companies = env["res.company"]
    for n in range(schools):
        start = time.perf_counter()
        probe = env["afterschool.invoice.run"]._get_previous_month(env.company)[0]
        company, guardians, rows, __ = build_school(
            env,
            students,
            month=probe,
            name="District School %d (%d)" % (n + 1, students),
        )
        companies |= company
        if commit:
            env.cr.commit()
        print(
            f"built school {n + 1}: {students} students, {guardians} guardians, {rows} attendance "
            f"rows in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
    return companies


def invoice_in_process(env, companies):
    """The month as the scheduler runs it, in this process: the dispatch, then each school's job
    until its run is done (the CI smoke test; one worker, no commit)."""
    Run = env["afterschool.invoice.run"]
    Run._cron_invoice_previous_month()
    results = []
    for company in companies:
        start = time.perf_counter()
        run = Run.search([("company_id", "=", company.id), ("origin", "=", "cron")])
        while run.state == "running":
            Run._cron_invoice_school(company.id)
            run.invalidate_recordset()
        results.append(
            {
                "school": company.name,
                "invoices": run.invoice_count,
                "seconds": time.perf_counter() - start,
            }
        )
        print(
            f"  {company.name}: {run.invoice_count} invoices in {results[-1]['seconds']:.1f} s",
            flush=True,
        )
    return results


def run(env, schools=2, students=10):
    """Build a district in ``env`` and invoice its month in this process (the caller rolls back)."""
    companies = build_district(env, schools, students)
    return invoice_in_process(env, companies)


# ---------------------------------------------------------------------- real servers
def psql(database, sql):
    return subprocess.run(
        ["psql", "-XqAt", "-d", database, "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def copy_database(source, target, data_dir):
    subprocess.run(["dropdb", "--if-exists", target], check=True)
    subprocess.run(["createdb", "-T", source, target], check=True)
    filestore = Path(data_dir) / "filestore"
    if (filestore / target).exists():
        shutil.rmtree(filestore / target)
    if (filestore / source).exists():
        shutil.copytree(filestore / source, filestore / target)


def drop_database(name, data_dir):
    subprocess.run(["dropdb", "--if-exists", name], check=True)
    shutil.rmtree(Path(data_dir) / "filestore" / name, ignore_errors=True)


def prepare_template(args, data_dir):
    """Build the district in the bench database, commit it, and keep it as ``<db>_tpl``."""
    import odoo
    from odoo.api import SUPERUSER_ID, Environment

    template = args.database + "_tpl"
    size = "%s×%s" % (args.schools, args.students)
    if args.reuse:
        exists = psql(
            "postgres", f"SELECT 1 FROM pg_database WHERE datname = '{template}'"
        )
        if (
            exists == "1"
            and psql(
                template,
                "SELECT value FROM ir_config_parameter "
                "WHERE key = 'bench.district.size'",
            )
            == size
        ):
            print(f"reusing {template} ({size})", flush=True)
            return template
    odoo.tools.config.parse_config(["-c", args.config, "-d", args.database])
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = Environment(
            cr, SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True}
        )
        companies = build_district(env, args.schools, args.students, commit=True)
        # Only the invoicing runs in the measured servers: the other scheduled actions are off, the
        # schools' jobs wait for the dispatch (as after their first run), the dispatch is due now.
        dispatch = env.ref("afterschool_service.ir_cron_afterschool_invoice")
        jobs = companies.afterschool_invoice_cron_id
        cr.execute(
            "UPDATE ir_cron SET active = false WHERE id != ALL(%s)",
            [(dispatch | jobs).ids],
        )
        cr.execute(
            "UPDATE ir_cron SET nextcall = '2999-01-01' WHERE id = ANY(%s)", [jobs.ids]
        )
        cr.execute("DELETE FROM ir_cron_trigger")
        env["ir.config_parameter"].set_param("bench.district.size", size)
        cr.commit()
    odoo.sql_db.close_all()
    copy_database(args.database, template, data_dir)
    return template


class Sampler:
    """CPU seconds (user + system) of a process tree and of a database's backends, from /proc."""

    def __init__(self, root_pid, database):
        import psutil

        self.psutil = psutil
        self.root = psutil.Process(root_pid)
        self.database = database
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.odoo, self.pg = {}, {}

    def sample(self):
        try:
            processes = [self.root, *self.root.children(recursive=True)]
        except self.psutil.NoSuchProcess:
            processes = []
        for process in processes:
            try:
                times = process.cpu_times()
            except self.psutil.NoSuchProcess:
                continue
            self.odoo[process.pid] = max(
                self.odoo.get(process.pid, 0), times.user + times.system
            )
        pids = psql(
            "postgres",
            f"SELECT pid FROM pg_stat_activity WHERE datname = '{self.database}' "
            "AND application_name LIKE 'odoo-%'",
        ).split()
        for pid in pids:
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            cpu = (int(fields[11]) + int(fields[12])) / self.ticks
            self.pg[pid] = max(self.pg.get(pid, 0), cpu)

    def figures(self):
        return sum(self.odoo.values()), sum(self.pg.values())


def measure_server(args, template, data_dir, threads):
    """Restore the template, start a prefork server with ``threads`` cron workers, wait until every
    school's month is invoiced; the figures."""
    database = args.database + "_run"
    copy_database(template, database, data_dir)
    psql(
        database,
        "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' WHERE id = (SELECT res_id FROM "
        "ir_model_data WHERE module = 'afterschool_service' AND name = 'ir_cron_afterschool_invoice')",
    )
    schools = int(
        psql(
            database,
            "SELECT count(*) FROM res_company WHERE name LIKE 'District School %'",
        )
    )
    log = Path(data_dir) / f"bench-district-{threads}.log"
    command = [
        sys.executable, str(ODOO_BIN), "-c", args.config, "-d", database,
        f"--db-filter=^{database}$", f"--workers={args.workers}", f"--max-cron-threads={threads}",
        "--no-http", "--limit-time-real-cron=0", "--limit-time-cpu=86400",
        "--limit-time-real=86400", "--limit-memory-soft=0", "--limit-memory-hard=0",
        "--log-level=info", f"--logfile={log}",
    ]  # fmt: skip
    load_before = os.getloadavg()
    started = time.perf_counter()
    server = subprocess.Popen(command, start_new_session=True)
    sampler = Sampler(server.pid, database)
    try:
        while True:
            time.sleep(POLL_SECONDS)
            sampler.sample()
            if server.poll() is not None:
                raise RuntimeError(
                    f"the server stopped (exit {server.returncode}); see {log}"
                )
            done = psql(
                database,
                "SELECT count(*) FROM afterschool_invoice_run r JOIN res_company c ON c.id = r.company_id "
                "WHERE r.origin = 'cron' AND r.state = 'done' AND c.name LIKE 'District School %'",
            )
            if int(done) >= schools:
                break
            if time.perf_counter() - started > TIMEOUT_SECONDS:
                raise RuntimeError("timed out")
        sampler.sample()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    load_after = os.getloadavg()
    rows = psql(
        database,
        """SELECT c.name, count(m.id),
                  extract(epoch FROM min(m.create_date) - dispatch.at),
                  extract(epoch FROM r.date_done - dispatch.at)
             FROM afterschool_invoice_run r
             JOIN res_company c ON c.id = r.company_id
             LEFT JOIN account_move m ON m.afterschool_run_id = r.id
            CROSS JOIN (SELECT min(create_date) AS at FROM afterschool_invoice_run) dispatch
            WHERE r.origin = 'cron' AND c.name LIKE 'District School %'
            GROUP BY c.name, r.date_done, dispatch.at ORDER BY c.name""",
    )
    per_school = []
    for line in rows.splitlines():
        name, invoices, start, end = line.split("|")
        per_school.append(
            {
                "school": name,
                "invoices": int(invoices),
                "start": float(start),
                "end": float(end),
            }
        )
    odoo_cpu, pg_cpu = sampler.figures()
    drop_database(database, data_dir)
    return {
        "threads": threads,
        "wall": max(school["end"] for school in per_school),
        "schools": per_school,
        "odoo_cpu": odoo_cpu,
        "pg_cpu": pg_cpu,
        "load": (load_before[0], load_after[0]),
        "cpus": os.cpu_count(),
    }


def print_table(results, args):
    print(
        f"\n{args.schools} schools × {args.students:,} students; --workers={args.workers}; "
        f"{results[0]['cpus']} CPUs; times in s from the dispatch; cpu in s"
    )
    print("| cron workers | district wall | each school: first invoice → done | odoo cpu | pg cpu "
          "| load avg before → after |")  # fmt: skip
    print("|---|---|---|---|---|---|")
    for result in results:
        schools = ", ".join(
            f"{school['start']:.0f}→{school['end']:.0f} ({school['invoices']:,})"
            for school in result["schools"]
        )
        print(
            f"| {result['threads']} | {result['wall']:.0f} | {schools} | {result['odoo_cpu']:.0f} "
            f"| {result['pg_cpu']:.0f} | {result['load'][0]:.1f} → {result['load'][1]:.1f} |"
        )
    by_threads = {result["threads"]: result["wall"] for result in results}
    if 1 in by_threads:
        for threads, wall in sorted(by_threads.items()):
            if threads != 1:
                print(
                    f"speed-up with {threads} cron workers: {by_threads[1] / wall:.2f}×"
                )


def main():
    args = parse_args(
        __doc__,
        schools={"type": int, "default": 4},
        students={"type": int, "default": 4000},
        threads={"default": "1,2", "help": "numbers of cron workers to compare"},
        workers={
            "type": int,
            "default": 2,
            "help": "--workers of the servers (prefork)",
        },
        reuse={"action": "store_true", "help": "reuse the template of the same size"},
        drop={"action": "store_true", "help": "drop the template at the end"},
    )
    import odoo

    odoo.tools.config.parse_config(["-c", args.config])
    data_dir = odoo.tools.config["data_dir"]
    template = prepare_template(args, data_dir)
    results = []
    for threads in [int(n) for n in args.threads.split(",")]:
        print(f"measuring with {threads} cron worker(s)…", flush=True)
        results.append(measure_server(args, template, data_dir, threads))
        print_table(results, args)
    if args.drop:
        drop_database(template, data_dir)


if __name__ == "__main__":
    main()
