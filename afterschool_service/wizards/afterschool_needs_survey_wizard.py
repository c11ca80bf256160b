from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..tools.groups import HEAD_TEACHER_GROUP, MANAGER_GROUP


class AfterschoolNeedsSurveyWizard(models.TransientModel):
    """The head teacher sends the term's letter (前期调查) to every family of their classes."""

    _name = "afterschool.needs.survey.wizard"
    _description = "Send the Needs Survey"

    term_id = fields.Many2one(
        "afterschool.term",
        string="Term",
        required=True,
        domain="[('state', '!=', 'closed'), ('company_id', 'in', allowed_company_ids)]",
    )
    class_ids = fields.Many2many(
        "afterschool.class",
        string="Classes",
        required=True,
        default=lambda self: self._default_class_ids(),
    )

    @api.model
    def _default_class_ids(self):
        if self.env.context.get("active_model") == "afterschool.class":
            return self.env["afterschool.class"].browse(
                self.env.context.get("active_ids") or []
            )
        return self.env["afterschool.class"].search(
            [("head_teacher_id", "=", self.env.uid)]
        )

    def action_send(self):
        self.ensure_one()
        user = self.env.user
        if not user.has_group(HEAD_TEACHER_GROUP):
            raise AccessError(
                self.env._("Only head teachers and coordinators send the needs survey.")
            )
        if not user.has_group(MANAGER_GROUP) and self.class_ids.filtered(
            lambda c: c.head_teacher_id != user
        ):
            raise AccessError(
                self.env._("You send the survey to your own classes only.")
            )
        self.term_id.check_access("read")
        self.class_ids.check_access("read")
        if self.term_id.state == "closed":
            raise UserError(self.env._("This term is over."))
        if self.class_ids.company_id != self.term_id.company_id:
            raise UserError(
                self.env._("The classes and the term belong to different schools.")
            )
        surveys = self.env["afterschool.needs.survey"]._send_for_classes(
            self.term_id, self.class_ids
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Needs Survey"),
            "res_model": "afterschool.needs.survey",
            "view_mode": "list,form",
            "domain": [
                ("term_id", "=", self.term_id.id),
                ("class_id", "in", self.class_ids.ids),
            ],
            "context": {"search_default_pending": 1, "created": len(surveys)},
        }
