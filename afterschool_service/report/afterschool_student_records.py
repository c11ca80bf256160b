import io

from odoo import api, fields, models

from ..tools.dates import (
    format_date_time,
    format_full_date,
    format_service_date,
    format_time,
)
from ..tools.xlsx import add_formats, new_workbook, setup_sheet


class AfterschoolStudentRecords(models.AbstractModel):
    """A student's records as a spreadsheet, for the family on request (privacy): what the programme keeps
    about the child — the student, the applications and agreements, attendance and pickups, leaves."""

    _name = "afterschool.student.records"
    _description = "Student Records Export"

    @api.model
    def _build_workbook(self, student):
        """The xlsx bytes. The records are found as the current user, so a guardian gets their own child's
        (archived ones included: everything kept); their related names are then read as superuser."""
        applications, attendance, leaves = self._find_student_records(student)
        student = student.sudo()

        output = io.BytesIO()
        workbook = new_workbook(output)
        formats = add_formats(workbook)
        self._write_table(workbook, formats, *self._student_table(student))
        self._write_table(workbook, formats, *self._applications_table(applications))
        self._write_table(workbook, formats, *self._attendance_table(attendance))
        self._write_table(workbook, formats, *self._leaves_table(leaves))
        workbook.close()
        return output.getvalue()

    @api.model
    def _find_student_records(self, student):
        """The student's applications, attendance up to today and leaves, archived ones included.

        Searched as the current user (the record rules decide whose child), then read as superuser
        for their related names.
        """
        Model = self.with_context(active_test=False).env
        today = student.sudo().company_id._afterschool_today()
        applications = (
            Model["afterschool.application"]
            .search([("student_id", "=", student.id)], order="id")
            .sudo()
        )
        attendance = (
            Model["afterschool.attendance"]
            .search(
                [("student_id", "=", student.id), ("date", "<=", today)],
                order="date, id",
            )
            .sudo()
        )
        leaves = (
            Model["afterschool.leave"]
            .search([("student_id", "=", student.id)], order="date_from, id")
            .sudo()
        )
        return applications, attendance, leaves

    @api.model
    def _write_table(self, workbook, formats, title, widths, headers, rows):
        """A sheet of one table: the header, then a line per row (empty values as empty cells)."""
        sheet = workbook.add_worksheet(title)
        setup_sheet(sheet, widths, header_row=0)
        sheet.write_row(0, 0, headers, formats["header"])
        for index, row in enumerate(rows, start=1):
            sheet.write_row(
                index,
                0,
                [value if value not in (None, False) else "" for value in row],
                formats["text"],
            )

    @api.model
    def _student_table(self, student):
        """The student sheet (title, widths, headers, rows): who the child is and who collects them."""
        return (
            self.env._("Student"),
            [24, 50],
            [self.env._("Field"), self.env._("Value")],
            [
                (self.env._("Student"), student.name),
                (self.env._("Class"), student.class_id.name),
                (self.env._("School"), student.company_id.name),
                (
                    self.env._("Guardians"),
                    ", ".join(student.guardian_ids.mapped("name")),
                ),
                (
                    self.env._("Authorised Pickup Persons"),
                    ", ".join(student.authorized_pickup_ids.mapped("name")),
                ),
                (self.env._("Exported On"), self._local(fields.Datetime.now())),
            ],
        )

    @api.model
    def _applications_table(self, applications):
        """The applications sheet (title, widths, headers, rows): terms, groups and agreements."""
        return (
            self.env._("Applications"),
            [18, 14, 30, 30, 16, 12, 12, 30, 14, 16, 16],
            [
                self.env._("Term"),
                self.env._("Status"),
                self.env._("Requested Groups"),
                self.env._("Placed in Groups"),
                self.env._("Submitted On"),
                self.env._("Enrolled From"),
                self.env._("Left On"),
                self.env._("Reason"),
                self.env._("Agreement"),
                self.env._("Signed By"),
                self.env._("Signed On"),
            ],
            [
                (
                    application.term_id.name,
                    self._label(application, "state"),
                    ", ".join(application.requested_group_ids.mapped("name")),
                    ", ".join(application.group_ids.mapped("name")),
                    self._local(application.date_submitted),
                    format_full_date(self.env, application.date_enrolled),
                    format_full_date(self.env, application.date_left),
                    application.reason,
                    self._label(application.agreement_id, "state"),
                    application.agreement_id.signer_name,
                    self._local(application.agreement_id.signed_on),
                )
                for application in applications
            ],
        )

    @api.model
    def _attendance_table(self, attendance):
        """The attendance sheet (title, widths, headers, rows): each day, and who picked the child up."""
        return (
            self.env._("Attendance"),
            [12, 26, 12, 18, 16, 10, 30],
            [
                self.env._("Date"),
                self.env._("Group"),
                self.env._("Attendance"),
                self.env._("Picked Up By"),
                self.env._("Picked Up At"),
                self.env._("Late Pickup"),
                self.env._("Note"),
            ],
            [
                (
                    format_service_date(self.env, line.date),
                    line.group_id.name,
                    self._label(line, "state"),
                    line.picked_up_by_id.name,
                    format_time(self.env, line.check_out),
                    self.env._("Yes") if line.late_pickup else "",
                    line.note,
                )
                for line in attendance
            ],
        )

    @api.model
    def _leaves_table(self, leaves):
        """The leaves sheet (title, widths, headers, rows)."""
        return (
            self.env._("Leaves"),
            [12, 12, 40, 12],
            [
                self.env._("From"),
                self.env._("To"),
                self.env._("Reason"),
                self.env._("Status"),
            ],
            [
                (
                    format_service_date(self.env, leave.date_from),
                    format_service_date(self.env, leave.date_to),
                    leave.reason,
                    self._label(leave, "state"),
                )
                for leave in leaves
            ],
        )

    def _label(self, record, field_name):
        """The translated label of a selection value ('' when empty)."""
        if not record or not record[field_name]:
            return ""
        return dict(record._fields[field_name]._description_selection(self.env))[
            record[field_name]
        ]

    def _local(self, value):
        """A UTC datetime as the reader writes it, in their time zone: 2026年11月27日 17:45 ('' when empty)."""
        return format_date_time(self.env, value)
