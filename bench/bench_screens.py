"""Screens at district scale: the server time of every screen a user opens, as the web client calls it.

Builds a school (bench_sessions.py's: 2,000 students, 50 groups of 40, an 18-week term around today,
sessions with rosters, the weeks before today marked and closed), commits it, starts an Odoo HTTP
server on it and calls each screen over HTTP as the web client does (JSON-RPC with the view's field
specification, or the page/file URL), 20 times after one warm-up; prints p50 and p95 in ms.
Target: p95 under 200 ms.

    AFTERSCHOOL_BENCH_DB=as_scale_screens scripts/bench bench/bench_screens.py [--students 2000] [--port 8308]

Screens are listed in SCREENS (one function per screen taking a Caller): add new ones there.
`--reuse` measures again the school a previous call built (All Present marks sessions that still have
children to mark, so each run marks new ones); `--only` measures the screens whose label contains
one of its comma-separated words.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from lxml import etree

sys.path.insert(0, str(Path(__file__).parent))

from _common import odoo_env, parse_args  # noqa: E402
from bench_sessions import build_school  # noqa: E402

import odoo  # noqa: E402
from odoo import Command, fields  # noqa: E402

CALLS = 20
PASSWORD = "bench-screens-1"
TZ = "Asia/Shanghai"


# ---------------------------------------------------------------------- building the school
def build(env, students=2000, groups=50, weeks=18):
    """The school, its users and a term around today; returns what the screens need (ids)."""
    today = fields.Date.context_today(env["res.users"].with_context(tz=TZ))
    monday = today - timedelta(days=today.weekday())
    start = monday - timedelta(weeks=max(weeks // 2, 1))
    args = argparse.Namespace(
        students=students, groups=groups, weeks=weeks, start=start
    )
    env, term, groups_, applications = build_school(env, args)
    company = term.company_id
    term.action_generate_sessions()
    applications.write({"state": "enrolled", "date_enrolled": term.date_start})
    sessions = env["afterschool.session"].search([("term_id", "=", term.id)])
    sessions._sync_rosters()
    past = sessions.filtered(lambda s: s.date < today and s.state == "planned")
    past.action_mark_all_present()
    past[::7].attendance_ids[::15].action_absent()
    past.write({"content": "Homework, then reading"})
    past.action_done()
    users = env["res.users"].with_context(no_reset_password=True)
    users.create(
        {
            "name": "Bench Coordinator",
            "login": "bench_screens_manager",
            "password": PASSWORD,
            "tz": TZ,
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [
                Command.set(
                    [env.ref("afterschool_service.group_afterschool_manager").id]
                )
            ],
        }
    )
    teacher = groups_[0].teacher_id
    teacher.write({"password": PASSWORD, "tz": TZ})
    guardian = applications[0].guardian_id
    users.create(
        {
            "name": guardian.name,
            "login": "bench_screens_parent",
            "password": PASSWORD,
            "partner_id": guardian.id,
            "company_id": company.id,
            "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        }
    )
    env.flush_all()
    return describe(env)


def describe(env):
    """What the screens need (ids, logins) from the school built by ``build`` (committed or not)."""
    today = fields.Date.context_today(env["res.users"].with_context(tz=TZ))
    manager = env["res.users"].search(
        [("login", "=", "bench_screens_manager")], order="id desc", limit=1
    )
    parent = env["res.users"].search(
        [("login", "=", "bench_screens_parent")], order="id desc", limit=1
    )
    company = manager.company_id
    env = env(context=dict(env.context, allowed_company_ids=company.ids))
    term = env["afterschool.term"].search([("company_id", "=", company.id)], limit=1)
    sessions = env["afterschool.session"].search(
        [("term_id", "=", term.id)], order="date, id"
    )
    teacher = env["res.users"].search(
        [("login", "=", "bench_teacher_0")], order="id desc", limit=1
    )
    # All Present marks sessions that still have children to mark (a run measured again marks others)
    unmarked = (
        sessions.filtered(
            lambda s: s.date >= today and s.state == "planned" and s.unmarked_count
        )
        or sessions.filtered(lambda s: s.date >= today)
        or sessions
    )
    biggest_today = max(
        sessions.filtered(lambda s: s.date == today and s.teacher_id == teacher)
        or sessions[:1],
        key=lambda s: len(s.attendance_ids),
    )
    biggest = max(
        sessions.filtered(lambda s: s.date < today)[:200],
        key=lambda s: len(s.attendance_ids),
    )
    first = today.replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    month = (
        (previous, first - timedelta(days=1))
        if previous >= term.date_start
        else (first, today)
    )
    return {
        "company": company.id,
        "term": term.id,
        "today": str(today),
        "manager": (manager.login, manager.id),
        "teacher": (teacher.login, teacher.id),
        "parent": (parent.login, parent.id),
        "form_session": biggest.id,
        "roster_size": len(biggest.attendance_ids),
        "mark_sessions": unmarked[: CALLS + 1].ids,
        "rollcall_mark_sessions": unmarked[CALLS + 1 : 2 * (CALLS + 1)].ids
        or unmarked[: CALLS + 1].ids,
        "rollcall_session": biggest_today.id,
        "month": (str(month[0]), str(month[1])),
        "term_start": str(term.date_start),
    }


# ---------------------------------------------------------------------- how the web client calls
SPECIFICATIONS = {}


def view_specification(model, view_type, view_id=False):
    """The field specification the web client sends for a view (relational fields: display_name;
    inline x2many lists: their columns). Built once per view, as the client loads a view once: the
    screens' times are the server's."""
    key = (model._name, view_type, view_id)
    if key not in SPECIFICATIONS:
        SPECIFICATIONS[key] = _view_specification(model, view_type, view_id)
    return SPECIFICATIONS[key]


def _view_specification(model, view_type, view_id):
    root = etree.fromstring(
        model.get_views([(view_id, view_type)])["views"][view_type]["arch"]
    )
    fields_ = model.fields_get()
    result = {}
    for field in root.iter("field"):
        ancestor = field.getparent()
        while ancestor is not None and ancestor.tag not in ("list", "kanban", "form"):
            ancestor = ancestor.getparent()
        desc = fields_.get(field.get("name"))
        if ancestor is not root or not desc:
            continue  # a column of an inline list: described with its x2many below
        if desc["type"] == "many2one":
            result[field.get("name")] = {"fields": {"display_name": {}}}
        elif desc["type"] in ("one2many", "many2many"):
            sub = field.find("list")
            if sub is None:
                result[field.get("name")] = {"fields": {"display_name": {}}}
                continue
            sub_fields = model.env[desc["relation"]].fields_get()
            result[field.get("name")] = {
                "limit": 40,
                "fields": {
                    column.get("name"): {"fields": {"display_name": {}}}
                    if sub_fields[column.get("name")]["type"] == "many2one"
                    else {}
                    for column in sub.iter("field")
                    if column.get("name") in sub_fields
                },
            }
        else:
            result[field.get("name")] = {}
    return result


class Caller:
    """Calls a model method as the web client's RPC does, in this process (the CI smoke test) or over HTTP."""

    def __init__(self, env=None, url=None, db=None):
        self.env, self.url, self.db, self.session, self.uid = env, url, db, None, None

    def login(self, login, uid):
        self.uid = uid
        if self.url:
            import requests

            self.session = requests.Session()
            response = self.session.post(
                self.url + "/web/session/authenticate",
                json={
                    "jsonrpc": "2.0",
                    "params": {"db": self.db, "login": login, "password": PASSWORD},
                },
            )
            response.raise_for_status()
            assert response.json().get("result"), response.text[:500]
        return self

    def context(self, company_id):
        return {
            "lang": "en_US",
            "tz": TZ,
            "uid": self.uid,
            "allowed_company_ids": [company_id],
        }

    def call(self, model, method, args, kwargs):
        if not self.url:
            env = self.env(user=self.uid, context=kwargs.get("context", {}))
            return odoo.api.call_kw(env[model], method, args, dict(kwargs))
        response = self.session.post(
            f"{self.url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "method": "call",
                "params": {
                    "model": model,
                    "method": method,
                    "args": args,
                    "kwargs": kwargs,
                },
            },
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise RuntimeError(json.dumps(body["error"])[:2000])
        return body["result"]

    def get(self, path):
        if not self.url:
            return None
        response = self.session.get(self.url + path)
        response.raise_for_status()
        return response.content


# ---------------------------------------------------------------------- the screens
def screen_group_kanban(caller, env, data):
    """Activity groups, kanban grouped by kind (the default): the groups, then each column's cards."""
    Group = env["afterschool.activity.group"]
    spec = view_specification(Group, "kanban")
    context = caller.context(data["company"])
    domain = [("term_id", "=", data["term"])]
    groups = caller.call(
        Group._name,
        "web_read_group",
        [],
        {
            "domain": domain,
            "fields": [],
            "groupby": ["kind"],
            "lazy": True,
            "context": context,
        },
    )
    for column in groups["groups"]:
        caller.call(
            Group._name,
            "web_search_read",
            [],
            {
                "domain": column["__domain"],
                "specification": spec,
                "limit": 40,
                "context": context,
            },
        )


def screen_today(caller, env, data):
    """The teacher's Today: their sessions of the day (kanban)."""
    Session = env["afterschool.session"]
    caller.call(
        Session._name,
        "web_search_read",
        [],
        {
            "domain": [
                ("date", "=", data["today"]),
                "|",
                ("teacher_id", "=", caller.uid),
                ("duty_teacher_id", "=", caller.uid),
                ("state", "!=", "cancelled"),
            ],
            "specification": view_specification(Session, "kanban"),
            "limit": 40,
            "context": caller.context(data["company"]),
        },
    )


def screen_session_form(caller, env, data):
    """A session's form with its roster of about 40 children."""
    Session = env["afterschool.session"]
    caller.call(
        Session._name,
        "web_read",
        [[data["form_session"]]],
        {
            "specification": view_specification(Session, "form"),
            "context": caller.context(data["company"]),
        },
    )


def next_session(data, key):
    """The next session of ``data[key]`` not marked by this run yet (the last one once all are)."""
    queue = data.setdefault("_queues", {}).setdefault(key, list(data[key]))
    return queue.pop(0) if len(queue) > 1 else queue[0]


def screen_all_present(caller, env, data):
    """The All Present button on a session's form, then the form read again (as the client does)."""
    session_id = next_session(data, "mark_sessions")
    context = caller.context(data["company"])
    caller.call(
        "afterschool.session",
        "action_mark_all_present",
        [[session_id]],
        {"context": context},
    )
    caller.call(
        "afterschool.session",
        "web_read",
        [[session_id]],
        {
            "specification": view_specification(env["afterschool.session"], "form"),
            "context": context,
        },
    )


def screen_ledger_pivot(caller, env, data):
    """The supervision ledger's pivot: groups × months of the closed sessions."""
    caller.call(
        "afterschool.session",
        "read_group",
        [],
        {
            "domain": [("state", "=", "done"), ("term_id", "=", data["term"])],
            "fields": ["planned_count:sum", "present_count:sum"],
            "groupby": ["group_id", "date:month"],
            "lazy": False,
            "context": caller.context(data["company"]),
        },
    )


def screen_ledger_xlsx(caller, env, data):
    """The supervision ledger of a month as XLSX: the export wizard, then the file's download."""
    context = caller.context(data["company"])
    wizard_id = caller.call(
        "afterschool.ledger.export",
        "create",
        [
            {
                "term_id": data["term"],
                "company_id": data["company"],
                "date_from": data["month"][0],
                "date_to": data["month"][1],
            }
        ],
        {"context": context},
    )
    wizard_id = wizard_id[0] if isinstance(wizard_id, list) else wizard_id
    action = caller.call(
        "afterschool.ledger.export",
        "action_export",
        [[wizard_id]],
        {"context": context},
    )
    caller.get(action["url"])


def screen_dashboard(caller, env, data):
    """The coordinator's dashboard (client action): one call for every figure."""
    caller.call(
        "afterschool.dashboard",
        "get_dashboard_data",
        [],
        {"context": caller.context(data["company"])},
    )


def screen_rollcall_today(caller, env, data):
    """Today (the roll-call client action opened from the menu): the teacher's sessions and the
    current one's roster."""
    caller.call(
        "afterschool.session",
        "rollcall_today",
        [],
        {"context": caller.context(data["company"])},
    )


def screen_rollcall_read(caller, env, data):
    """The roll-call of a session opened from its form: the roster of about 40 children."""
    caller.call(
        "afterschool.session",
        "rollcall_read",
        [[data["rollcall_session"]]],
        {"context": caller.context(data["company"])},
    )


def screen_rollcall_all_present(caller, env, data):
    """All Present in the roll-call screen: one call, which answers with the whole roster (the
    coordinator, on sessions still to mark: a teacher marks only today's, once)."""
    caller.call(
        "afterschool.session",
        "rollcall_mark_all_present",
        [[next_session(data, "rollcall_mark_sessions")]],
        {"context": caller.context(data["company"])},
    )


def screen_district_figures(caller, env, data):
    """District Figures for the school's term so far, as a coordinator: the wizard, its button,
    then the result form read."""
    Report = env["afterschool.district.report"]
    context = caller.context(data["company"])
    report_id = caller.call(
        Report._name,
        "create",
        [{"date_from": data["term_start"], "date_to": data["today"]}],
        {"context": context},
    )
    report_id = report_id[0] if isinstance(report_id, list) else report_id
    action = caller.call(
        Report._name, "action_compute", [[report_id]], {"context": context}
    )
    caller.call(
        Report._name,
        "web_read",
        [[report_id]],
        {
            "specification": view_specification(Report, "form", action["views"][0][0]),
            "context": context,
        },
    )


def screen_portal(caller, env, data):
    """The parents' portal page of their children."""
    caller.get("/my/afterschool")


# name, role, screen
SCREENS = [
    ("activity-group kanban", "manager", screen_group_kanban),
    ("Today (teacher)", "teacher", screen_today),
    ("session form, {roster} children", "manager", screen_session_form),
    ("All Present + form", "manager", screen_all_present),
    ("ledger pivot", "manager", screen_ledger_pivot),
    ("ledger XLSX of a month", "manager", screen_ledger_xlsx),
    ("parents' portal", "parent", screen_portal),
    ("coordinator's dashboard", "manager", screen_dashboard),
    ("roll-call: Today (teacher)", "teacher", screen_rollcall_today),
    ("roll-call: a session's roster", "teacher", screen_rollcall_read),
    ("roll-call: All Present", "manager", screen_rollcall_all_present),
    ("district figures of the term", "manager", screen_district_figures),
]


def measure(env, data, caller_for, calls=CALLS, only=None, server_cpu=None):
    """p50/p95 in ms of each screen (those whose label contains a word of ``only``), after one
    warm-up call; with ``server_cpu`` (ServerCpu), also the server's mean CPU ms per call, which
    the other processes of a shared machine disturb much less than the wall time."""
    results = []
    for label, role, screen in SCREENS:
        if only and not any(word.lower() in label.lower() for word in only):
            continue
        caller = caller_for(role)
        times = []
        screen(caller, env, data)  # warm-up
        cpu_before = server_cpu() if server_cpu else (0, 0)
        for _index in range(calls):
            start = time.perf_counter()
            screen(caller, env, data)
            times.append(1000 * (time.perf_counter() - start))
        cpu_after = server_cpu() if server_cpu else (0, 0)
        cpu = tuple(1000 * (a - b) / calls for a, b in zip(cpu_after, cpu_before))
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
        results.append((label.format(roster=data["roster_size"]), p50, p95, cpu))
        print(
            f"  {results[-1][0]:<34} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms"
            + (
                f"   server CPU per call: Odoo {cpu[0]:5.1f} ms, PostgreSQL {cpu[1]:5.1f} ms"
                if server_cpu
                else ""
            ),
            flush=True,
        )
    return results


class ServerCpu:
    """CPU seconds used so far by the Odoo server process and by its PostgreSQL backends (read in
    /proc: the bench runs on the database's machine)."""

    def __init__(self, env, pid):
        self.env, self.pid = env, pid
        self.tick = os.sysconf("SC_CLK_TCK")

    def _cpu(self, pid):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields_ = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields_[11]) + int(fields_[12])) / self.tick  # utime + stime

    def __call__(self):
        self.env.cr.execute("SELECT pg_stat_clear_snapshot()")  # not the transaction's
        self.env.cr.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s",
            [f"odoo-{self.pid}"],
        )
        backends = [pid for (pid,) in self.env.cr.fetchall()]
        return self._cpu(self.pid), sum(self._cpu(pid) for pid in backends)


def run(env, students=2000, groups=50, weeks=18, calls=CALLS):
    """In this process (no HTTP): the CI smoke test's entry point; the caller rolls back."""
    data = build(env, students, groups, weeks)
    callers = {
        role: Caller(env=env).login(*data[role])
        for role in ("manager", "teacher", "parent")
    }
    return measure(env, data, callers.__getitem__, calls)


def main():
    args = parse_args(
        __doc__,
        students={"type": int, "default": 2000},
        groups={"type": int, "default": 50},
        weeks={"type": int, "default": 18},
        port={"type": int, "default": 8308},
        reuse={
            "action": "store_true",
            "help": "measure the school a previous call built",
        },
        only={
            "default": "",
            "help": "comma-separated words: measure only the screens whose label contains one",
        },
    )
    started = time.perf_counter()
    with odoo_env(args) as env:
        if args.reuse:
            data = describe(env)
        else:
            data = build(env, args.students, args.groups, args.weeks)
            env.cr.commit()
            print(
                f"school built and committed in {time.perf_counter() - started:.0f} s: {args.students} students",
                flush=True,
            )
        print(f"session form of {data['roster_size']} children", flush=True)
        results = _measure_over_http(args, env, data)
    print(
        "\n| screen | p50 ms | p95 ms | server CPU ms per call (Odoo + PostgreSQL) |"
        "\n|---|---|---|---|"
    )
    for label, p50, p95, (odoo_cpu, pg_cpu) in results:
        print(f"| {label} | {p50:.0f} | {p95:.0f} | {odoo_cpu:.0f} + {pg_cpu:.0f} |")


def _measure_over_http(args, env, data):
    server = subprocess.Popen(
        [
            sys.executable,
            str(Path(odoo.__file__).parent.parent / "odoo-bin"),
            "-c",
            args.config,
            "-d",
            args.database,
            "--http-port",
            str(args.port),
            "--max-cron-threads",
            "0",
            "--workers",
            "0",
            "--log-level",
            "warn",
        ],
        env=dict(os.environ),
    )
    try:
        url = f"http://127.0.0.1:{args.port}"
        _wait_for(url)
        callers = {
            role: Caller(url=url, db=args.database).login(*data[role])
            for role in ("manager", "teacher", "parent")
        }
        print(
            f"p50/p95 of {CALLS} calls over HTTP (after one warm-up), load average "
            f"{os.getloadavg()[0]:.1f}:",
            flush=True,
        )
        only = [word.strip() for word in args.only.split(",") if word.strip()]
        results = measure(
            env,
            data,
            callers.__getitem__,
            only=only,
            server_cpu=ServerCpu(env, server.pid),
        )
        print(f"load average at the end {os.getloadavg()[0]:.1f}", flush=True)
        return results
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_for(url, timeout=120):
    import requests

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(url + "/web/health", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    raise RuntimeError("the Odoo server did not start")


if __name__ == "__main__":
    main()
