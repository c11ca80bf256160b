import base64
import io
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from ..tools.dates import format_full_date, format_month
from ..tools.groups import MANAGER_GROUP, OFFICER_GROUP
from ..tools.xlsx import add_formats, new_workbook, setup_sheet, write_text
from .afterschool_district_report_line import FIGURES

_lt = LazyTranslate(__name__)

MAX_MONTHS = 24

# Each figure is one SQL query over every school selected at once (never a query per school).
# Parameters: companies (the schools), date_from, date_to, today. Columns: those of the line model.
FIGURE_QUERIES = {
    # Students enrolled in the month / students of the grade (today's classes).
    "participation": """
        WITH months AS (
            SELECT unnest(%(months)s::date[]) AS month_start
        ), pupils AS (
            SELECT c.company_id, c.grade, count(p.id) AS total
              FROM res_partner p JOIN afterschool_class c ON c.id = p.class_id
             WHERE p.is_student AND p.active AND c.company_id = ANY(%(companies)s)
             GROUP BY c.company_id, c.grade
        ), enrolled AS (
            SELECT a.company_id, a.grade, m.month_start, count(DISTINCT a.student_id) AS total
              FROM afterschool_application a
              JOIN months m ON a.date_enrolled < m.month_start + interval '1 month'
                           AND (a.date_left IS NULL OR a.date_left > m.month_start)
             WHERE a.company_id = ANY(%(companies)s) AND a.date_enrolled IS NOT NULL
               AND a.state IN ('enrolled', 'withdrawn', 'terminated')
             GROUP BY a.company_id, a.grade, m.month_start
        )
        SELECT p.company_id, p.grade, to_char(m.month_start, 'YYYY-MM') AS month,
               coalesce(e.total, 0) AS count_a, p.total AS count_b,
               coalesce(e.total, 0)::float / nullif(p.total, 0) AS rate
          FROM pupils p CROSS JOIN months m
          LEFT JOIN enrolled e ON e.company_id = p.company_id AND e.grade = p.grade
                              AND e.month_start = m.month_start
         ORDER BY p.company_id, m.month_start, p.grade
    """,
    # The term's needs survey (前期调查): letters sent, answered, wanting to apply, not needing it.
    "survey": """
        SELECT s.company_id, s.grade,
               count(*) AS count_a,
               count(*) FILTER (WHERE s.state != 'pending') AS count_b,
               count(*) FILTER (WHERE s.state = 'apply') AS count_c,
               count(*) FILTER (WHERE s.state = 'declined') AS count_d,
               count(*) FILTER (WHERE s.state != 'pending')::float / nullif(count(*), 0) AS rate
          FROM afterschool_needs_survey s JOIN afterschool_term t ON t.id = s.term_id
         WHERE s.company_id = ANY(%(companies)s)
           AND t.date_start <= %(date_to)s AND t.date_end >= %(date_from)s
         GROUP BY s.company_id, s.grade
         ORDER BY s.company_id, s.grade
    """,
    # Left-behind and hardship applicants of the terms in the period, and how many got a place:
    # counts only, never names.
    "priority": """
        SELECT a.company_id, a.grade,
               count(DISTINCT a.student_id) FILTER (WHERE p.left_behind) AS count_a,
               count(DISTINCT a.student_id) FILTER (WHERE p.left_behind AND placed.yes) AS count_b,
               count(DISTINCT a.student_id) FILTER (WHERE p.financial_hardship) AS count_c,
               count(DISTINCT a.student_id) FILTER (WHERE p.financial_hardship AND placed.yes) AS count_d,
               count(DISTINCT a.student_id) FILTER (WHERE placed.yes)::float
                   / nullif(count(DISTINCT a.student_id), 0) AS rate
          FROM afterschool_application a
          JOIN afterschool_term t ON t.id = a.term_id
          JOIN res_partner p ON p.id = a.student_id
          CROSS JOIN LATERAL (
              SELECT EXISTS (SELECT 1 FROM afterschool_application_group_rel r WHERE r.application_id = a.id)
                     AND a.state != 'rejected' AS yes
          ) placed
         WHERE a.company_id = ANY(%(companies)s) AND a.state != 'draft'
           AND t.date_start <= %(date_to)s AND t.date_end >= %(date_from)s
           AND (p.left_behind OR p.financial_hardship)
         GROUP BY a.company_id, a.grade
         ORDER BY a.company_id, a.grade
    """,
    # Sessions due so far (closures excluded) against those held (closed); cancelled ones apart.
    "sessions": """
        SELECT s.company_id, to_char(date_trunc('month', s.date), 'YYYY-MM') AS month,
               count(*) FILTER (WHERE NOT (s.state = 'cancelled' AND s.cancelled_by_schedule)) AS count_a,
               count(*) FILTER (WHERE s.state = 'done') AS count_b,
               count(*) FILTER (WHERE s.state = 'cancelled' AND NOT coalesce(s.cancelled_by_schedule, false))
                   AS count_c,
               count(*) FILTER (WHERE s.state = 'done')::float
                   / nullif(count(*) FILTER (WHERE NOT (s.state = 'cancelled' AND s.cancelled_by_schedule)), 0)
                   AS rate
          FROM afterschool_session s
         WHERE s.company_id = ANY(%(companies)s)
           AND s.date BETWEEN %(date_from)s AND least(%(date_to)s::date, %(today)s::date)
         GROUP BY s.company_id, date_trunc('month', s.date)
         ORDER BY s.company_id, month
    """,
    # Sessions held, and those closed with their content written down (有案可查).
    "ledger": """
        SELECT s.company_id, to_char(date_trunc('month', s.date), 'YYYY-MM') AS month,
               count(*) AS count_a,
               count(*) FILTER (WHERE btrim(coalesce(s.content, '')) != '') AS count_b,
               count(*) FILTER (WHERE btrim(coalesce(s.content, '')) != '')::float / nullif(count(*), 0) AS rate
          FROM afterschool_session s
         WHERE s.company_id = ANY(%(companies)s) AND s.state = 'done'
           AND s.date BETWEEN %(date_from)s AND %(date_to)s
         GROUP BY s.company_id, date_trunc('month', s.date)
         ORDER BY s.company_id, month
    """,
    # Roll-call marks of the sessions that took place: present / marked.
    "attendance": """
        SELECT a.company_id, p.grade, to_char(date_trunc('month', a.date), 'YYYY-MM') AS month,
               count(*) FILTER (WHERE a.state = 'present') AS count_a,
               count(*) FILTER (WHERE a.state IS NOT NULL) AS count_b,
               count(*) FILTER (WHERE a.state = 'absent') AS count_c,
               count(*) FILTER (WHERE a.state = 'excused') AS count_d,
               count(*) FILTER (WHERE a.state = 'present')::float
                   / nullif(count(*) FILTER (WHERE a.state IS NOT NULL), 0) AS rate
          FROM afterschool_attendance a
          JOIN afterschool_session s ON s.id = a.session_id
          JOIN res_partner p ON p.id = a.student_id
         WHERE a.company_id = ANY(%(companies)s) AND s.state != 'cancelled'
           AND a.date BETWEEN %(date_from)s AND %(date_to)s
         GROUP BY a.company_id, p.grade, date_trunc('month', a.date)
         ORDER BY a.company_id, month, p.grade
    """,
    # Children not collected by the end of the window, among those present.
    "late_pickup": """
        SELECT a.company_id, to_char(date_trunc('month', a.date), 'YYYY-MM') AS month,
               count(*) FILTER (WHERE a.late_pickup) AS count_a,
               count(*) FILTER (WHERE a.state = 'present') AS count_b,
               count(*) FILTER (WHERE a.late_pickup)::float
                   / nullif(count(*) FILTER (WHERE a.state = 'present'), 0) AS rate
          FROM afterschool_attendance a
         WHERE a.company_id = ANY(%(companies)s) AND a.date BETWEEN %(date_from)s AND %(date_to)s
         GROUP BY a.company_id, date_trunc('month', a.date)
         ORDER BY a.company_id, month
    """,
    "incidents": """
        SELECT i.company_id, to_char(date_trunc('month', s.date), 'YYYY-MM') AS month,
               count(*) AS count_a, count(*) FILTER (WHERE i.state = 'open') AS count_b
          FROM afterschool_incident i JOIN afterschool_session s ON s.id = i.session_id
         WHERE i.company_id = ANY(%(companies)s) AND s.date BETWEEN %(date_from)s AND %(date_to)s
         GROUP BY i.company_id, date_trunc('month', s.date)
         ORDER BY i.company_id, month
    """,
    # Posted after-school invoices and credit notes by invoice month, in the school's currency.
    "fees": """
        SELECT m.company_id, to_char(date_trunc('month', m.invoice_date), 'YYYY-MM') AS month,
               count(*) AS count_a,
               sum(m.amount_total_signed) AS amount_a,
               sum(m.amount_total_signed) - sum(m.amount_residual_signed) AS amount_b,
               sum(m.amount_residual_signed) AS amount_c
          FROM account_move m
         WHERE m.company_id = ANY(%(companies)s) AND m.state = 'posted'
           AND m.move_type IN ('out_invoice', 'out_refund')
           AND m.invoice_date BETWEEN %(date_from)s AND %(date_to)s
           AND (m.afterschool_run_id IS NOT NULL OR EXISTS (
                SELECT 1 FROM account_move_line l WHERE l.move_id = m.id AND l.afterschool_student_id IS NOT NULL))
         GROUP BY m.company_id, date_trunc('month', m.invoice_date)
         ORDER BY m.company_id, month
    """,
    # Periods served per teacher (课时补助): sessions taught and closed, and duty days × the term's periods.
    "teacher_periods": """
        WITH teaching AS (
            SELECT s.company_id, s.teacher_id, to_char(date_trunc('month', s.date), 'YYYY-MM') AS month,
                   sum(s.periods) AS periods
              FROM afterschool_session s
             WHERE s.company_id = ANY(%(companies)s) AND s.state = 'done' AND s.teacher_id IS NOT NULL
               AND s.date BETWEEN %(date_from)s AND %(date_to)s
             GROUP BY s.company_id, s.teacher_id, date_trunc('month', s.date)
        ), duty AS (
            SELECT d.company_id, d.teacher_id, to_char(date_trunc('month', d.date), 'YYYY-MM') AS month,
                   sum(t.periods_per_day) AS periods
              FROM afterschool_duty d JOIN afterschool_term t ON t.id = d.term_id
             WHERE d.company_id = ANY(%(companies)s) AND d.date BETWEEN %(date_from)s AND %(date_to)s
               AND d.date <= %(today)s
             GROUP BY d.company_id, d.teacher_id, date_trunc('month', d.date)
        )
        SELECT coalesce(t.company_id, d.company_id) AS company_id, coalesce(t.teacher_id, d.teacher_id) AS teacher_id,
               coalesce(t.month, d.month) AS month,
               coalesce(t.periods, 0) AS count_a, coalesce(d.periods, 0) AS count_b,
               coalesce(t.periods, 0) + coalesce(d.periods, 0) AS count_c
          FROM teaching t
          FULL OUTER JOIN duty d ON d.company_id = t.company_id AND d.teacher_id = t.teacher_id AND d.month = t.month
         ORDER BY 1, 3, 2
    """,
    "inspections": """
        SELECT i.company_id, to_char(date_trunc('month', i.date), 'YYYY-MM') AS month,
               count(*) FILTER (WHERE i.state != 'planned') AS count_a,
               count(*) FILTER (WHERE i.state IN ('issue', 'resolved')) AS count_b,
               count(*) FILTER (WHERE i.state = 'issue') AS count_c,
               count(*) FILTER (WHERE i.state = 'planned') AS count_d
          FROM afterschool_inspection i
         WHERE i.company_id = ANY(%(companies)s) AND i.date BETWEEN %(date_from)s AND %(date_to)s
         GROUP BY i.company_id, date_trunc('month', i.date)
         ORDER BY i.company_id, month
    """,
    # Ratings of the groups of the terms in the period: how many, and the average score.
    "satisfaction": """
        SELECT r.company_id, r.group_id, g.teacher_id,
               count(*) AS count_a, avg(r.score)::float AS score
          FROM afterschool_satisfaction r
          JOIN afterschool_activity_group g ON g.id = r.group_id
          JOIN afterschool_term t ON t.id = g.term_id
         WHERE r.company_id = ANY(%(companies)s)
           AND t.date_start <= %(date_to)s AND t.date_end >= %(date_from)s
         GROUP BY r.company_id, r.group_id, g.teacher_id
         ORDER BY r.company_id, r.group_id
    """,
}


# The dimension columns the figures share: (field of the line model, label, kind).
_SCHOOL = ("company_id", _lt("School"), "name")
_GRADE = ("grade", _lt("Grade"), "int")
_MONTH = ("month", _lt("Month"), "month")

# Per figure, the columns shown on its page and exported on its sheet, in order:
# (field of the line model, label, kind). The labels are lazy: ``_get_columns`` translates them in
# the reader's language. What each count/amount column holds is ``FIGURE_COLUMNS``.
SHEET_COLUMNS = {
    "participation": [
        _SCHOOL,
        _GRADE,
        _MONTH,
        ("count_a", _lt("Enrolled"), "int"),
        ("count_b", _lt("Students of the Grade"), "int"),
        ("rate", _lt("Participation Rate"), "rate"),
    ],
    "survey": [
        _SCHOOL,
        _GRADE,
        ("count_a", _lt("Families Asked"), "int"),
        ("count_b", _lt("Answered"), "int"),
        ("count_c", _lt("Want to Apply"), "int"),
        ("count_d", _lt("Not Needed"), "int"),
        ("rate", _lt("Answer Rate"), "rate"),
    ],
    "priority": [
        _SCHOOL,
        _GRADE,
        ("count_a", _lt("Left-behind Applied"), "int"),
        ("count_b", _lt("Left-behind Placed"), "int"),
        ("count_c", _lt("Hardship Applied"), "int"),
        ("count_d", _lt("Hardship Placed"), "int"),
        ("rate", _lt("Coverage"), "rate"),
    ],
    "sessions": [
        _SCHOOL,
        _MONTH,
        ("count_a", _lt("Planned"), "int"),
        ("count_b", _lt("Held"), "int"),
        ("count_c", _lt("Cancelled"), "int"),
        ("rate", _lt("Held Rate"), "rate"),
    ],
    "ledger": [
        _SCHOOL,
        _MONTH,
        ("count_a", _lt("Sessions Held"), "int"),
        ("count_b", _lt("Closed with Content"), "int"),
        ("rate", _lt("Completeness"), "rate"),
    ],
    "attendance": [
        _SCHOOL,
        _GRADE,
        _MONTH,
        ("count_a", _lt("Present"), "int"),
        ("count_b", _lt("Marked"), "int"),
        ("count_c", _lt("Absent"), "int"),
        ("count_d", _lt("Excused"), "int"),
        ("rate", _lt("Attendance Rate"), "rate"),
    ],
    "late_pickup": [
        _SCHOOL,
        _MONTH,
        ("count_a", _lt("Late Pickups"), "int"),
        ("count_b", _lt("Present"), "int"),
        ("rate", _lt("Late Pickup Rate"), "rate"),
    ],
    "incidents": [
        _SCHOOL,
        _MONTH,
        ("count_a", _lt("Incidents"), "int"),
        ("count_b", _lt("Still Open"), "int"),
    ],
    "fees": [
        _SCHOOL,
        _MONTH,
        ("count_a", _lt("Invoices"), "int"),
        ("amount_a", _lt("Invoiced"), "amount"),
        ("amount_b", _lt("Paid"), "amount"),
        ("amount_c", _lt("Outstanding"), "amount"),
    ],
    "teacher_periods": [
        _SCHOOL,
        _MONTH,
        ("teacher_id", _lt("Teacher"), "name"),
        ("count_a", _lt("Teaching Periods"), "int"),
        ("count_b", _lt("Duty Periods"), "int"),
        ("count_c", _lt("Total Periods"), "int"),
    ],
    "inspections": [
        _SCHOOL,
        _MONTH,
        ("count_a", _lt("Inspections"), "int"),
        ("count_b", _lt("With an Issue"), "int"),
        ("count_c", _lt("Issues Open"), "int"),
        ("count_d", _lt("Planned"), "int"),
    ],
    "satisfaction": [
        _SCHOOL,
        ("group_id", _lt("Group"), "name"),
        ("teacher_id", _lt("Teacher"), "name"),
        ("count_a", _lt("Ratings"), "int"),
        ("score", _lt("Average Score (1-5)"), "score"),
    ],
}


class AfterschoolDistrictReport(models.TransientModel):
    """The district's figures: participation, compliance, fees, satisfaction and teachers' periods.

    For the education bureau and the inspector, per school, grade and month, over every school the
    user is allowed in and has selected. Each figure is one query over all those schools.
    """

    _name = "afterschool.district.report"
    _description = "District Figures"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: self.env.company._afterschool_today(),
    )
    company_ids = fields.Many2many("res.company", string="Schools", readonly=True)
    line_ids = fields.One2many(
        "afterschool.district.report.line", "report_id", string="Rows", readonly=True
    )
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)
    # one page per figure
    participation_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "participation")],
        readonly=True,
        string="Participation",
    )
    survey_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "survey")],
        readonly=True,
        string="Needs Survey",
    )
    priority_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "priority")],
        readonly=True,
        string="Priority Coverage",
    )
    sessions_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "sessions")],
        readonly=True,
        string="Sessions Held",
    )
    ledger_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "ledger")],
        readonly=True,
        string="Ledger Completeness",
    )
    attendance_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "attendance")],
        readonly=True,
        string="Attendance",
    )
    late_pickup_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "late_pickup")],
        readonly=True,
        string="Late Pickups",
    )
    incidents_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "incidents")],
        readonly=True,
        string="Incidents",
    )
    fees_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "fees")],
        readonly=True,
        string="Fees",
    )
    teacher_periods_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "teacher_periods")],
        readonly=True,
        string="Teachers' Periods",
    )
    inspections_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "inspections")],
        readonly=True,
        string="Inspections",
    )
    satisfaction_line_ids = fields.One2many(
        "afterschool.district.report.line",
        "report_id",
        domain=[("figure", "=", "satisfaction")],
        readonly=True,
        string="Family Satisfaction",
    )

    @api.model
    def _default_date_from(self):
        today = self.env.company._afterschool_today()
        return date(today.year if today.month >= 9 else today.year - 1, 9, 1)

    # ------------------------------------------------------------------ actions
    def action_compute(self):
        """Compute every figure for the selected schools and show them, a page per figure."""
        self.ensure_one()
        rows = self._compute_figures()
        # The rows are the system's (users may only read them): a row whose school, teacher or group a
        # user could set would show that record's name, which Odoo reads as superuser.
        self.sudo().line_ids.unlink()
        self.sudo().write(
            {
                "company_ids": [fields.Command.set(self._get_companies().ids)],
                "line_ids": [fields.Command.create(row) for row in rows],
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [
                (
                    self.env.ref(
                        "afterschool_service.afterschool_district_report_view_form_result"
                    ).id,
                    "form",
                )
            ],
            "target": "current",
        }

    def action_export_xlsx(self):
        """One workbook, a sheet per figure, headers in the user's language."""
        self.ensure_one()
        rows = self._compute_figures()
        self.write(
            {
                "file": base64.b64encode(self._build_workbook(rows)),
                "filename": "%s_%s_%s.xlsx"
                % (self.env._("District Figures"), self.date_from, self.date_to),
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s/%s/file/%s?download=true"
            % (self._name, self.id, self.filename),
            "target": "self",
        }

    # ------------------------------------------------------------------ business
    def _get_companies(self):
        """The schools the user is allowed in and has selected (Odoo checks the selection)."""
        return self.env.companies

    def _check_may_compute(self):
        user = self.env.user
        if not (user.has_group(MANAGER_GROUP) or user.has_group(OFFICER_GROUP)):
            raise AccessError(
                self.env._(
                    "Only coordinators and district officers see the district figures."
                )
            )
        if not self.date_from or not self.date_to or self.date_to < self.date_from:
            raise UserError(self.env._("The period ends before it starts."))
        if self.date_to > self.date_from + relativedelta(months=MAX_MONTHS):
            raise UserError(
                self.env._(
                    "Choose a period of at most %(months)s months.", months=MAX_MONTHS
                )
            )

    def _compute_figures(self, figures=None):
        """The rows of every figure (or of ``figures``): dicts of the line model's columns.

        Runs as the database: the schools are restricted to the user's own (allowed and selected)
        and the queries return counts and sums only, never a child's name.
        """
        self._check_may_compute()
        self.env.flush_all()
        params = self._get_figure_params()
        # Aggregates over a district's term are cheap to run and costly to JIT-compile (measured:
        # compiling took longer than running); this transaction's remaining queries run without JIT.
        self.env.cr.execute("SET LOCAL jit = off")
        rows = []
        for figure in figures or [key for key, _label in FIGURES]:
            self.env.cr.execute(FIGURE_QUERIES[figure], params)
            rows.extend(dict(row, figure=figure) for row in self.env.cr.dictfetchall())
        return rows

    def _get_figure_params(self):
        """The queries' parameters: the schools, the period, today, and the period's months."""
        months, month = [], self.date_from.replace(day=1)
        while month <= self.date_to:
            months.append(month)
            month += relativedelta(months=1)
        return {
            "companies": self._get_companies().ids,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "today": self.env.company._afterschool_today(),
            "months": months,
        }

    def _get_columns(self):
        """Per figure, the columns shown and exported: (field, label, kind), labels in the user's language."""
        return {
            figure: [(field, self.env._(label), kind) for field, label, kind in columns]
            for figure, columns in SHEET_COLUMNS.items()
        }

    def _build_workbook(self, rows):
        """The XLSX file of ``rows``: a sheet per figure, in the order of the figures."""
        labels = dict(
            self.env["afterschool.district.report.line"]
            ._fields["figure"]
            ._description_selection(self.env)
        )
        columns = self._get_columns()
        names = self._get_row_names(rows)
        output = io.BytesIO()
        workbook = new_workbook(output)
        formats = add_formats(workbook)
        formats["score"] = workbook.add_format({"border": 1, "num_format": "0.00"})
        formats["amount"] = workbook.add_format({"border": 1, "num_format": "#,##0.00"})
        for figure, _label in FIGURES:
            self._write_figure_sheet(
                workbook.add_worksheet(labels[figure][:31]),
                labels[figure],
                columns[figure],
                [row for row in rows if row["figure"] == figure],
                names,
                formats,
            )
        workbook.close()
        return output.getvalue()

    def _get_row_names(self, rows):
        """{field: {id: display name}} of the schools, teachers and groups of ``rows``.

        One read per model for the whole workbook, as the database: the rows come from the user's
        own schools, and a teacher or group shows there as a name only.
        """
        names = {}
        for model, field in (
            ("res.company", "company_id"),
            ("res.users", "teacher_id"),
            ("afterschool.activity.group", "group_id"),
        ):
            ids = {row[field] for row in rows if row.get(field)}
            names[field] = dict(
                self.env[model]
                .sudo()
                .browse(ids)
                .mapped(lambda r: (r.id, r.display_name))
            )
        return names

    def _write_figure_sheet(self, sheet, title, figure_columns, rows, names, formats):
        """One figure's sheet: its title and period, the header, then a line per row."""
        setup_sheet(
            sheet,
            [22 if kind == "name" else 12 for _f, _l, kind in figure_columns],
            header_row=1,
        )
        sheet.write(
            0,
            0,
            "%s %s – %s"
            % (
                title,
                format_full_date(self.env, self.date_from),
                format_full_date(self.env, self.date_to),
            ),
            formats["title"],
        )
        sheet.write_row(
            1, 0, [label for _f, label, _k in figure_columns], formats["header"]
        )
        for row_index, row in enumerate(rows, start=2):
            for column, (field, _label, kind) in enumerate(figure_columns):
                self._write_figure_cell(
                    sheet,
                    row_index,
                    column,
                    kind,
                    row.get(field),
                    names.get(field),
                    formats,
                )

    def _write_figure_cell(self, sheet, row_index, column, kind, value, names, formats):
        """One cell, written as its kind of column: a name, a month, a rate, a score, an amount or a count."""
        if kind == "name":
            write_text(sheet, row_index, column, names.get(value, ""), formats["text"])
        elif kind == "month":
            # 'YYYY-MM' from the query, in the reader's language: 2026年11月 / Nov 2026
            sheet.write(
                row_index,
                column,
                format_month(self.env, value and date.fromisoformat(value + "-01")),
                formats["center"],
            )
        elif kind == "rate":
            sheet.write_number(row_index, column, value or 0.0, formats["percent"])
        elif kind in ("score", "amount"):
            sheet.write_number(row_index, column, value or 0.0, formats[kind])
        else:
            sheet.write_number(row_index, column, value or 0, formats["number"])
