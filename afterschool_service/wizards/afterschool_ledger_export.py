import base64
import contextlib
import gc
import io
from collections import defaultdict, namedtuple

import pytz

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools.dates import (
    format_full_date,
    format_month,
    format_service_date,
)
from ..tools.xlsx import (
    XLSX_MIMETYPE,
    add_formats,
    new_workbook,
    setup_sheet,
    write_text,
)

# A session as the ledger prints it: its stored columns, read in one query, and its group, venue,
# teacher and term as records (their names read once per record, not once per cell).
LEDGER_FIELDS = (
    "date",
    "group_id",
    "kind",
    "venue_id",
    "teacher_id",
    "term_id",
    "start",
    "stop",
    "periods",
    "planned_count",
    "present_count",
    "content",
    "state",
)
LedgerRow = namedtuple("LedgerRow", ("id",) + LEDGER_FIELDS)


class AfterschoolLedgerExport(models.TransientModel):
    """The supervision ledger (台账) as a spreadsheet: one sheet per month and a summary."""

    _name = "afterschool.ledger.export"
    _description = "Supervision Ledger Export"

    term_id = fields.Many2one("afterschool.term", string="Term")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_date_from()
    )
    date_to = fields.Date(
        string="To",
        required=True,
        default=lambda self: self.env.company._afterschool_today(),
    )
    group_ids = fields.Many2many("afterschool.activity.group", string="Groups")
    teacher_ids = fields.Many2many("res.users", string="Teachers")
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    @api.model
    def _default_date_from(self):
        return self.env.company._afterschool_today().replace(day=1)

    @api.onchange("term_id")
    def _onchange_term_id(self):
        if self.term_id:
            self.date_from, self.date_to = (
                self.term_id.date_start,
                self.term_id.date_end,
            )

    # ------------------------------------------------------------------ actions
    def action_export(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The export period ends before it starts."))
        sessions = self.env["afterschool.session"].search(
            self._get_domain(), order="date, start, group_id"
        )
        if not sessions:
            raise UserError(self.env._("No session took place in that period."))
        self.write(
            {
                "file": base64.b64encode(self._build_workbook_quickly(sessions)),
                "filename": "%s_%s_%s.xlsx"
                % (self.env._("Supervision Ledger"), self.date_from, self.date_to),
            }
        )
        return {
            "type": "ir.actions.act_url",
            # With its type, so that Odoo does not sniff the workbook (BadZipFile warnings).
            "url": "/web/content/%s/%s/file/%s?download=true&mimetype=%s"
            % (self._name, self.id, self.filename, XLSX_MIMETYPE),
            "target": "self",
        }

    # ------------------------------------------------------------------ business
    def _get_domain(self):
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "!=", "cancelled"),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        if self.term_id:
            domain.append(("term_id", "=", self.term_id.id))
        if self.group_ids:
            domain.append(("group_id", "in", self.group_ids.ids))
        if self.teacher_ids:
            domain.append(("teacher_id", "in", self.teacher_ids.ids))
        return domain

    def _build_workbook_quickly(self, sessions):
        """The workbook without Python's cyclic garbage collector: xlsxwriter allocates an object
        per cell that lives until the file is written and forms no cycle, and a collection of the
        whole server's heap in the middle (one export in a few) doubled the export's time."""
        with _without_cyclic_gc():
            return self._build_workbook(sessions)

    def _build_workbook(self, sessions):
        """The xlsx bytes: a sheet per month (sessions with headcounts and content) and a summary."""
        output = io.BytesIO()
        workbook = new_workbook(output)
        formats = add_formats(workbook)

        summary_sheet = workbook.add_worksheet(self.env._("Summary"))
        rows = self._read_ledger_rows(sessions)
        texts = _LedgerTexts(self.env, sessions, rows, self._get_inspections(sessions))
        headers = self._get_ledger_headers()
        for month, month_sessions in self._group_ledger_rows_by_month(rows).items():
            self._write_month_sheet(
                workbook.add_worksheet(month),
                month,
                month_sessions,
                headers,
                texts,
                formats,
            )
        self._write_summary(summary_sheet, rows, formats)
        workbook.close()
        return output.getvalue()

    def _group_ledger_rows_by_month(self, rows):
        """{month's name: rows}, in the rows' order; months in the reader's language
        (2026年11月 / Nov 2026), as the sheets are named and titled."""
        month_names = {}
        by_month = defaultdict(list)
        for session in rows:
            month = session.date.replace(day=1)
            if month not in month_names:
                month_names[month] = format_month(self.env, month)
            by_month[month_names[month]].append(session)
        return by_month

    def _get_ledger_headers(self):
        """The header of a month's sheet, in the reader's language: one label per column."""
        return [
            self.env._("Date"),
            self.env._("Group"),
            self.env._("Kind"),
            self.env._("Venue"),
            self.env._("Teacher"),
            self.env._("Start"),
            self.env._("Stop"),
            self.env._("Periods"),
            self.env._("Planned Headcount"),
            self.env._("Actual Headcount"),
            self.env._("Content"),
            self.env._("Status"),
            self.env._("Inspections"),
        ]

    def _write_month_sheet(self, sheet, month, month_sessions, headers, texts, formats):
        """A month's sheet: title, header, a line per session, and the month's totals."""
        setup_sheet(
            sheet, [11, 18, 10, 14, 12, 7, 7, 7, 10, 10, 45, 8, 30], header_row=1
        )
        sheet.write(
            0,
            0,
            self.env._("Supervision Ledger %(month)s", month=month),
            formats["title"],
        )
        sheet.write_row(1, 0, headers, formats["header"])
        row = 2
        center, text, number = formats["center"], formats["text"], formats["number"]
        # Typed writes of values computed once per distinct group, day or time (a month of a
        # large school is a thousand rows of thirteen cells).
        write_number = sheet.write_number
        for session in month_sessions:
            write_text(sheet, row, 0, texts.day(session.date), center)
            write_text(sheet, row, 1, texts.name(session.group_id), text)
            write_text(sheet, row, 2, texts.kinds.get(session.kind, ""), text)
            write_text(sheet, row, 3, texts.name(session.venue_id), text)
            write_text(sheet, row, 4, texts.name(session.teacher_id), text)
            write_text(
                sheet, row, 5, texts.time(session.term_id, session.start), center
            )
            write_text(sheet, row, 6, texts.time(session.term_id, session.stop), center)
            write_number(row, 7, session.periods, number)
            write_number(row, 8, session.planned_count, number)
            write_number(row, 9, session.present_count, number)
            write_text(sheet, row, 10, session.content or "", text)
            write_text(sheet, row, 11, texts.states.get(session.state, ""), center)
            write_text(sheet, row, 12, texts.inspections.get(session.id, ""), text)
            row += 1
        self._write_month_totals(sheet, row, month_sessions, formats)

    def _write_month_totals(self, sheet, row, month_sessions, formats):
        """The month's total line: periods and headcounts summed, the other cells blank."""
        sheet.write(row, 0, self.env._("Total"), formats["total"])
        for column in range(1, 13):
            sheet.write_blank(row, column, None, formats["total"])
        for column, field in (
            (7, "periods"),
            (8, "planned_count"),
            (9, "present_count"),
        ):
            sheet.write_number(
                row,
                column,
                sum(getattr(s, field) for s in month_sessions),
                formats["total_number"],
            )

    def _read_ledger_rows(self, sessions):
        """``sessions`` (found by a search: the user may read them) as LedgerRow, in their order.

        A month of a district-size school is a thousand sessions: one query for their columns and
        one per related model, instead of the ORM's field access for each cell.
        """
        Session = self.env["afterschool.session"]
        Session.flush_model(LEDGER_FIELDS)
        values = {
            row["id"]: row
            for row in self.env.execute_query_dict(
                SQL(
                    "SELECT id, %s FROM afterschool_session WHERE id = ANY(%s)",
                    SQL(", ").join(SQL.identifier(name) for name in LEDGER_FIELDS),
                    sessions.ids,
                )
            )
        }
        records = {}
        for name in ("group_id", "venue_id", "teacher_id", "term_id"):
            model = self.env[Session._fields[name].comodel_name]
            found = model.browse({row[name] for row in values.values() if row[name]})
            records[name] = {record.id: record for record in found}
            records[name][None] = model
        rows = []
        for session_id in sessions.ids:
            row = dict(values[session_id])
            for name in records:
                row[name] = records[name][row[name]]
            for name in ("periods", "planned_count", "present_count"):
                row[name] = row[name] or 0
            rows.append(LedgerRow(**row))
        return rows

    def _get_inspections(self, sessions):
        """Per session, the spot checks recorded (监管检查): inspector, headcount seen, result, finding."""
        results = dict(
            self.env["afterschool.inspection"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        summaries = {}
        inspections = (
            self.env["afterschool.inspection"]
            .sudo()
            .search(
                [("session_id", "in", sessions.ids), ("state", "!=", "planned")],
                order="inspected_at",
            )
        )
        for inspection in inspections:
            text = self.env._(
                "%(inspector)s: %(seen)s/%(roster)s seen, %(result)s",
                inspector=inspection.inspector_id.name,
                seen=inspection.headcount_seen,
                roster=inspection.headcount_roster,
                result=results.get(inspection.state, ""),
            )
            if inspection.finding:
                text += " – " + inspection.finding
            summaries[inspection.session_id.id] = "\n".join(
                filter(None, [summaries.get(inspection.session_id.id), text])
            )
        return summaries

    def _write_summary(self, sheet, sessions, formats):
        """Sessions and headcounts by group and teacher, with the attendance rate."""
        setup_sheet(sheet, [20, 14, 10, 12, 12, 12], header_row=1)
        sheet.write(
            0,
            0,
            self.env._(
                "Supervision Ledger %(from)s – %(to)s",
                **{
                    "from": format_full_date(self.env, self.date_from),
                    "to": format_full_date(self.env, self.date_to),
                },
            ),
            formats["title"],
        )
        sheet.write_row(
            1,
            0,
            [
                self.env._("Group"),
                self.env._("Teacher"),
                self.env._("Sessions"),
                self.env._("Planned Headcount"),
                self.env._("Actual Headcount"),
                self.env._("Attendance Rate"),
            ],
            formats["header"],
        )
        totals = defaultdict(lambda: [0, 0, 0])
        for session in sessions:
            line = totals[session.group_id, session.teacher_id]
            line[0] += 1
            line[1] += session.planned_count
            line[2] += session.present_count
        row = 2
        for (group, teacher), (count, planned, present) in sorted(
            totals.items(), key=lambda item: (item[0][0].name, item[0][1].name or "")
        ):
            write_text(sheet, row, 0, group.name, formats["text"])
            write_text(sheet, row, 1, teacher.name, formats["text"])
            sheet.write_number(row, 2, count, formats["number"])
            sheet.write_number(row, 3, planned, formats["number"])
            sheet.write_number(row, 4, present, formats["number"])
            sheet.write_number(
                row, 5, present / planned if planned else 0, formats["percent"]
            )
            row += 1
        count, planned, present = (
            sum(line[i] for line in totals.values()) for i in range(3)
        )
        sheet.write(row, 0, self.env._("Total"), formats["total"])
        sheet.write_blank(row, 1, None, formats["total"])
        sheet.write_number(row, 2, count, formats["total_number"])
        sheet.write_number(row, 3, planned, formats["total_number"])
        sheet.write_number(row, 4, present, formats["total_number"])
        sheet.write_number(
            row, 5, present / planned if planned else 0, formats["total_percent"]
        )


class _LedgerTexts:
    """The texts of the ledger's cells, each computed once per distinct value rather than once per
    cell: babel once per day, a name once per record, a local time once per term and instant (a
    month of a large school is a thousand sessions)."""

    def __init__(self, env, sessions, rows, inspections):
        self.env = env
        self.kinds = dict(sessions._fields["kind"]._description_selection(env))
        self.states = dict(sessions._fields["state"]._description_selection(env))
        self.inspections = inspections
        self.tzs = {
            term: term._get_tz() for term in {session.term_id for session in rows}
        }
        self.day_names, self.names, self.times = {}, {}, {}

    def day(self, day):
        """The service day as the ledger prints it, in the reader's language."""
        if day not in self.day_names:
            self.day_names[day] = format_service_date(self.env, day)
        return self.day_names[day]

    def name(self, record):
        """The record's name, or an empty cell."""
        if record not in self.names:
            self.names[record] = record.name or ""
        return self.names[record]

    def time(self, term, moment):
        """17:45 in the term's time zone (sessions start at a few times a term)."""
        if (term, moment) not in self.times:
            self.times[term, moment] = (
                pytz.utc.localize(moment).astimezone(self.tzs[term]).strftime("%H:%M")
            )
        return self.times[term, moment]


@contextlib.contextmanager
def _without_cyclic_gc():
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
