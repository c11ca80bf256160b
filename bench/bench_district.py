"""Time the district figures over 10 schools × 2,000 students × a term (goal: under 5 s).

    AFTERSCHOOL_BENCH_DB=district_bench scripts/bench bench/bench_district.py [--schools 10 --students 2000]

The district's data is written straight in SQL (the figures read it in SQL; what is timed is the
reading): per school 12 classes, 2,000 students each enrolled in one of 30 groups that meet Tuesday
to Friday for a term (~80 days: 2,400 sessions, ~160,000 roll-call lines), a duty a day, incidents,
inspections, needs-survey answers, ratings and 5 months × 1,600 posted invoices. Then computes every
figure for the whole district three times and prints each figure's time and the total.
"""

import statistics
import time
from datetime import date

from _common import odoo_env, parse_args, timed

from odoo import Command

args = parse_args(
    __doc__,
    schools={"type": int, "default": 10},
    students={"type": int, "default": 2000},
    groups={"type": int, "default": 30},
    explain={
        "action": "store_true",
        "help": "print EXPLAIN (ANALYZE, BUFFERS) of each figure's query",
    },
)

TERM_START, TERM_END, TODAY = date(2026, 9, 1), date(2027, 1, 15), date(2026, 12, 20)


def build_district(env):
    cr = env.cr
    companies = env["res.company"].create(
        [
            {"name": f"Bench School {index}", "currency_id": env.ref("base.CNY").id}
            for index in range(args.schools)
        ]
    )
    teachers = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Teacher {school}-{index}",
                    "login": f"bench_district_{school}_{index}",
                    "company_id": company.id,
                    "company_ids": [Command.set(company.ids)],
                    "groups_id": [
                        Command.link(
                            env.ref("afterschool_service.group_afterschool_teacher").id
                        )
                    ],
                }
                for school, company in enumerate(companies)
                for index in range(10)
            ]
        )
    )
    journal = env["account.journal"].search([], limit=1)
    currency = env.ref("base.CNY")
    for school, company in enumerate(companies):
        teacher_ids = teachers[school * 10 : (school + 1) * 10].ids
        params = {
            "company": company.id,
            "students": args.students,
            "groups": args.groups,
            "teachers": teacher_ids,
            "start": TERM_START,
            "end": TERM_END,
            "today": TODAY,
            "journal": journal.id,
            "currency": currency.id,
        }
        cr.execute(
            """
            INSERT INTO afterschool_class (name, grade, company_id, active)
            SELECT g || '-' || s, g, %(company)s, true FROM generate_series(1, 6) g, generate_series(1, 2) s
            ORDER BY g, s RETURNING id""",
            params,
        )
        params["classes"] = [row[0] for row in cr.fetchall()]
        cr.execute(
            """
            INSERT INTO afterschool_term (name, company_id, date_start, date_end, periods_per_day, state,
                                          tue, wed, thu, fri, active, period_rate)
            VALUES ('{"en_US": "Bench Term"}', %(company)s, %(start)s, %(end)s, 2, 'open',
                    true, true, true, true, true, 3.5)
            RETURNING id""",
            params,
        )
        params["term"] = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO afterschool_activity_group (name, term_id, company_id, kind, capacity, grade_min, grade_max,
                                                    teacher_id, active, tue, wed, thu, fri)
            SELECT jsonb_build_object('en_US', 'Group ' || i), %(term)s, %(company)s,
                   CASE WHEN i %% 3 = 0 THEN 'reading' ELSE 'club' END, 80, 1, 6,
                   (%(teachers)s::int[])[1 + i %% 10], true, true, true, true, true
              FROM generate_series(0, %(groups)s - 1) i ORDER BY i RETURNING id""",
            params,
        )
        params["group_ids"] = [row[0] for row in cr.fetchall()]
        cr.execute(
            """
            INSERT INTO res_partner (name, is_student, class_id, grade, company_id, active, autopost_bills, type,
                                     left_behind, financial_hardship)
            SELECT 'Student ' || %(company)s || '-' || i, true, (%(classes)s::int[])[1 + i %% 12], 1 + (i %% 12) / 2,
                   %(company)s, true, 'ask', 'contact', i %% 13 = 0, i %% 17 = 0
              FROM generate_series(0, %(students)s - 1) i ORDER BY i RETURNING id""",
            params,
        )
        params["student_ids"] = [row[0] for row in cr.fetchall()]
        cr.execute(
            """
            INSERT INTO afterschool_application (student_id, guardian_id, term_id, company_id, class_id, grade, state,
                                                 date_enrolled, active)
            SELECT p.id, p.id, %(term)s, %(company)s, p.class_id, p.grade,
                   CASE WHEN p.id %% 20 = 0 THEN 'school_approved' ELSE 'enrolled' END,
                   CASE WHEN p.id %% 20 = 0 THEN NULL ELSE %(start)s::date END, true
              FROM res_partner p WHERE p.id = ANY(%(student_ids)s)""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_application_group_rel (application_id, group_id)
            SELECT a.id, (%(group_ids)s::int[])[1 + a.student_id %% %(groups)s]
              FROM afterschool_application a WHERE a.term_id = %(term)s AND a.state = 'enrolled'""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_session (group_id, term_id, company_id, kind, date, start, stop, periods, state,
                                             teacher_id, content)
            SELECT g.id, g.term_id, g.company_id, g.kind, d::date, d + interval '8 hours 30 minutes',
                   d + interval '10 hours', 2, CASE WHEN d::date < %(today)s THEN 'done' ELSE 'planned' END,
                   g.teacher_id, CASE WHEN d::date < %(today)s AND g.id %% 7 != 0 THEN 'Reading and homework' END
              FROM afterschool_activity_group g
             CROSS JOIN generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
             WHERE g.term_id = %(term)s AND extract(isodow FROM d) BETWEEN 2 AND 5""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_attendance (session_id, student_id, company_id, term_id, group_id, date, state,
                                                late_pickup, active)
            SELECT s.id, a.student_id, s.company_id, s.term_id, s.group_id, s.date,
                   CASE WHEN s.date >= %(today)s THEN NULL
                        WHEN (s.id + a.student_id) %% 11 = 0 THEN 'absent'
                        WHEN (s.id + a.student_id) %% 23 = 0 THEN 'excused' ELSE 'present' END,
                   s.date < %(today)s AND (s.id + a.student_id) %% 97 = 0, true
              FROM afterschool_session s
              JOIN afterschool_application_group_rel r ON r.group_id = s.group_id
              JOIN afterschool_application a ON a.id = r.application_id
             WHERE s.term_id = %(term)s""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_duty_rotation (term_id, company_id, grade, frequency)
            VALUES (%(term)s, %(company)s, 1, 'weekly') RETURNING id""",
            params,
        )
        params["rotation"] = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO afterschool_duty (rotation_id, term_id, company_id, grade, date, start, stop, teacher_id)
            SELECT %(rotation)s, %(term)s, %(company)s, 1, d::date, d, d,
                   (%(teachers)s::int[])[1 + extract(doy FROM d)::int %% 10]
              FROM generate_series(%(start)s::date, %(end)s::date, interval '1 day') d
             WHERE extract(isodow FROM d) BETWEEN 2 AND 5""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_incident (session_id, company_id, group_id, teacher_id, occurred_at,
                                              description, state)
            SELECT s.id, s.company_id, s.group_id, s.teacher_id, s.start, 'Bench incident',
                   CASE WHEN s.id %% 2 = 0 THEN 'open' ELSE 'closed' END
              FROM afterschool_session s WHERE s.term_id = %(term)s AND s.id %% 50 = 0""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_inspection (session_id, company_id, group_id, teacher_id, date, inspector_id,
                                                headcount_seen, headcount_roster, state)
            SELECT s.id, s.company_id, s.group_id, s.teacher_id, s.date, (%(teachers)s::int[])[1], 60, 60,
                   CASE WHEN s.id %% 9 = 0 THEN 'issue' ELSE 'compliant' END
              FROM afterschool_session s WHERE s.term_id = %(term)s AND s.id %% 25 = 0""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_needs_survey (term_id, company_id, student_id, class_id, grade, state, code)
            SELECT %(term)s, %(company)s, p.id, p.class_id, p.grade,
                   CASE WHEN p.id %% 10 = 0 THEN 'pending' WHEN p.id %% 7 = 0 THEN 'declined' ELSE 'apply' END,
                   'B' || p.id
              FROM res_partner p WHERE p.id = ANY(%(student_ids)s)""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_satisfaction (group_id, company_id, term_id, teacher_id, student_id,
                                                  guardian_id, score)
            SELECT r.group_id, %(company)s, %(term)s, g.teacher_id, a.student_id, a.student_id, 1 + a.student_id %% 5
              FROM afterschool_application a
              JOIN afterschool_application_group_rel r ON r.application_id = a.id
              JOIN afterschool_activity_group g ON g.id = r.group_id
             WHERE a.term_id = %(term)s AND a.student_id %% 4 = 0""",
            params,
        )
        cr.execute(
            """
            INSERT INTO afterschool_invoice_run (company_id, origin, state, date_from, date_to)
            VALUES (%(company)s, 'manual', 'done', %(start)s, %(end)s) RETURNING id""",
            params,
        )
        params["run"] = cr.fetchone()[0]
        cr.execute(
            """
            INSERT INTO account_move (journal_id, currency_id, company_id, state, move_type, auto_post, date,
                                      invoice_date, amount_total_signed, amount_residual_signed, afterschool_run_id)
            SELECT %(journal)s, %(currency)s, %(company)s, 'posted', 'out_invoice', 'no', m, m,
                   56.0, CASE WHEN i %% 3 = 0 THEN 56.0 ELSE 0 END, %(run)s
              FROM generate_series(%(start)s::date, %(end)s::date - interval '1 month', interval '1 month') m,
                   generate_series(1, %(students)s * 4 / 5) i""",
            params,
        )
    cr.execute("ANALYZE")
    return companies


with odoo_env(args) as env:
    results = {}
    with timed(
        f"build the district ({args.schools} schools × {args.students} students, SQL)",
        results,
        env,
    ):
        companies = build_district(env)
    env.cr.execute(
        "SELECT count(*) FROM afterschool_attendance WHERE company_id = ANY(%s)",
        [companies.ids],
    )
    print(
        f"roll-call lines: {env.cr.fetchone()[0]:,}; sessions: "
        f"{env['afterschool.session'].search_count([('company_id', 'in', companies.ids)]):,}",
        flush=True,
    )
    env = env(context=dict(env.context, allowed_company_ids=companies.ids))
    report = env["afterschool.district.report"].create(
        {"date_from": TERM_START, "date_to": TERM_END}
    )
    from odoo.addons.afterschool_service.wizards.afterschool_district_report import (
        FIGURE_QUERIES,
    )

    per_figure = {figure: [] for figure in FIGURE_QUERIES}
    totals, rows = [], 0
    for _repeat in range(3):
        start = time.perf_counter()
        rows = len(report._compute_figures())
        totals.append(time.perf_counter() - start)
        params = report._get_figure_params()
        for figure, query in FIGURE_QUERIES.items():
            start = time.perf_counter()
            env.cr.execute(query, params)
            env.cr.fetchall()
            per_figure[figure].append(time.perf_counter() - start)
    if args.explain:
        for figure, query in FIGURE_QUERIES.items():
            env.cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + query, params)
            print(f"--- {figure}\n" + "\n".join(row[0] for row in env.cr.fetchall()))
    for figure, times in per_figure.items():
        print(f"  {figure:<20} {statistics.median(times) * 1000:8.1f} ms (median of 3)")
    print(
        f"all figures, {args.schools} schools: {min(totals):.2f} s best, {statistics.median(totals):.2f} s median "
        f"of 3 ({rows} rows; goal < 5 s)"
    )
    start = time.perf_counter()
    report.action_export_xlsx()
    print(f"XLSX workbook of every figure: {time.perf_counter() - start:.2f} s")
