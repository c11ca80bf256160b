from odoo import api, fields, models


class AfterschoolAttendanceCorrectWizard(models.TransientModel):
    """Correct Attendance: the coordinator or the accountant corrects billed attendance, with a reason."""

    _name = "afterschool.attendance.correct.wizard"
    _description = "Correct Billed Attendance"

    attendance_ids = fields.Many2many(
        "afterschool.attendance",
        "afterschool_correct_wizard_attendance_rel",
        "wizard_id",
        "attendance_id",
        string="Attendance",
        required=True,
    )
    state = fields.Selection(
        [("present", "Present"), ("absent", "Absent"), ("excused", "Excused")],
        string="Correct To",
        required=True,
        default=lambda self: self._default_state(),
    )
    reason = fields.Text(required=True)

    @api.model
    def _default_state(self):
        """The opposite of what was billed: absent for a line billed present, else present."""
        lines = self.env["afterschool.attendance"].browse(
            self.env.context.get("default_attendance_ids") or []
        )
        return "absent" if lines[:1].state == "present" else "present"

    def action_confirm(self):
        # every line chosen, even those the user may not read: action_correct refuses them
        self.sudo().attendance_ids.with_env(self.env).action_correct(
            self.state, self.reason or ""
        )
        return {"type": "ir.actions.act_window_close"}
