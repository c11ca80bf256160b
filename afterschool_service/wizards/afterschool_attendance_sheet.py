import base64
import calendar
import io

from odoo import fields, models
from odoo.exceptions import UserError

from ..tools.dates import format_month
from ..tools.xlsx import (
    XLSX_MIMETYPE,
    add_formats,
    new_workbook,
    setup_sheet,
    write_text,
)


class AfterschoolAttendanceSheet(models.TransientModel):
    """A group's monthly attendance sheet: students down, service dates across, totals both ways."""

    _name = "afterschool.attendance.sheet"
    _description = "Monthly Attendance Sheet"

    group_id = fields.Many2one(
        "afterschool.activity.group", string="Group", required=True
    )
    month = fields.Date(
        required=True,
        default=lambda self: self.env.company._afterschool_today(),
        help="Any day of the month.",
    )
    file = fields.Binary(readonly=True, attachment=False)
    filename = fields.Char(readonly=True)

    def action_export(self):
        self.ensure_one()
        first = self.month.replace(day=1)
        last = self.month.replace(
            day=calendar.monthrange(self.month.year, self.month.month)[1]
        )
        sessions = self.env["afterschool.session"].search(
            [
                ("group_id", "=", self.group_id.id),
                ("state", "!=", "cancelled"),
                ("date", ">=", first),
                ("date", "<=", last),
            ],
            order="date",
        )
        if not sessions:
            raise UserError(
                self.env._(
                    "%(group)s has no session in %(month)s.",
                    group=self.group_id.name,
                    month=format_month(self.env, first),
                )
            )
        self.write(
            {
                "file": base64.b64encode(self._build_workbook(sessions, first)),
                "filename": "%s_%s_%s.xlsx"
                % (
                    self.env._("Attendance"),
                    self.group_id.name,
                    first.strftime("%Y-%m"),
                ),
            }
        )
        return {
            "type": "ir.actions.act_url",
            # With its type, so that Odoo does not sniff the workbook (BadZipFile warnings).
            "url": "/web/content/%s/%s/file/%s?download=true&mimetype=%s"
            % (self._name, self.id, self.filename, XLSX_MIMETYPE),
            "target": "self",
        }

    def _build_workbook(self, sessions, first):
        marks = {"present": "√", "absent": "×", "excused": self.env._("Leave")}
        lines = self.env["afterschool.attendance"].search(
            [("session_id", "in", sessions.ids)]
        )
        grid = {(line.student_id.id, line.session_id.id): line.state for line in lines}
        students = lines.student_id.sorted(lambda s: (s.class_id.name or "", s.name))

        output = io.BytesIO()
        workbook = new_workbook(output)
        formats = add_formats(workbook)
        sheet = workbook.add_worksheet(format_month(self.env, first))
        date_count = len(sessions)
        setup_sheet(sheet, [16, 10] + [5] * date_count + [8, 8, 8], header_row=2)
        sheet.write(
            0,
            0,
            self.env._(
                "%(group)s – attendance %(month)s",
                group=self.group_id.name,
                month=format_month(self.env, first),
            ),
            formats["title"],
        )
        sheet.write(1, 0, self.env._("√ present   × absent   Leave: excused"))
        sheet.write_row(
            2,
            0,
            [self.env._("Student"), self.env._("Class")]
            + [s.date.strftime("%d") for s in sessions]
            + [self.env._("Present"), self.env._("Absent"), self.env._("Excused")],
            formats["header"],
        )
        row = 3
        for student in students:
            write_text(sheet, row, 0, student.name, formats["text"])
            write_text(sheet, row, 1, student.class_id.name, formats["text"])
            counts = {"present": 0, "absent": 0, "excused": 0}
            for column, session in enumerate(sessions, start=2):
                state = grid.get((student.id, session.id))
                if state:
                    counts[state] += 1
                sheet.write(row, column, marks.get(state, ""), formats["center"])
            for offset, state in enumerate(("present", "absent", "excused")):
                sheet.write_number(
                    row, 2 + date_count + offset, counts[state], formats["number"]
                )
            row += 1
        sheet.write(row, 0, self.env._("Present"), formats["total"])
        sheet.write_blank(row, 1, None, formats["total"])
        for column, session in enumerate(sessions, start=2):
            present = sum(
                1
                for student in students
                if grid.get((student.id, session.id)) == "present"
            )
            sheet.write_number(row, column, present, formats["total_number"])
        total_present = sum(1 for state in grid.values() if state == "present")
        sheet.write_number(row, 2 + date_count, total_present, formats["total_number"])
        workbook.close()
        return output.getvalue()
