from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

PRIVATE_GROUPS = "afterschool_service.group_afterschool_manager"
FEE_GROUPS = "afterschool_service.group_afterschool_manager,account.group_account_invoice"
INVOICE_GROUPS = "account.group_account_invoice,account.group_account_readonly"


class ResPartner(models.Model):
    """Students and guardians are contacts; a student carries the programme's flags."""

    _inherit = "res.partner"

    is_student = fields.Boolean(string="Is a Student", index=True)
    class_id = fields.Many2one("afterschool.class", string="Class", index=True)
    grade = fields.Integer(related="class_id.grade", store=True, string="Grade")
    guardian_ids = fields.Many2many(
        "res.partner", "afterschool_student_guardian_rel", "student_id", "guardian_id",
        string="Guardians", help="Parents or other legal guardians of the student.",
    )
    ward_ids = fields.Many2many(
        "res.partner", "afterschool_student_guardian_rel", "guardian_id", "student_id",
        string="Children", help="Students this contact is a guardian of.",
    )
    invoice_guardian_id = fields.Many2one(
        "res.partner", string="Invoice Guardian",
        compute="_compute_invoice_guardian_id", store=True, readonly=False,
        help="The guardian who receives the after-school invoices; by default the first guardian.",
    )
    authorized_pickup_ids = fields.Many2many(
        "res.partner", "afterschool_student_pickup_rel", "student_id", "person_id",
        string="Authorised Pickup Persons",
        help="Besides the guardians, the people allowed to collect the child.",
    )
    left_behind = fields.Boolean(string="Left-behind Child", groups=PRIVATE_GROUPS, tracking=True)
    financial_hardship = fields.Boolean(string="Financial Hardship", groups=PRIVATE_GROUPS, tracking=True)
    fee_waiver_percent = fields.Float(string="Fee Waiver (%)", groups=FEE_GROUPS, tracking=True, digits=(5, 2))

    # billing: a student's invoices (to the invoice guardian) and what is still owed for them
    afterschool_invoice_ids = fields.Many2many(
        "account.move", string="After-School Invoices", compute="_compute_afterschool_invoices",
        groups=INVOICE_GROUPS, help="Invoices and credit notes with lines for this student.",
    )
    afterschool_amount_due = fields.Monetary(
        string="After-School Amount Due", compute="_compute_afterschool_invoices", groups=FEE_GROUPS,
        help="This student's share of what the posted after-school invoices still leave to pay.",
    )

    @api.depends("guardian_ids")
    def _compute_invoice_guardian_id(self):
        for partner in self:
            if partner.invoice_guardian_id not in partner.guardian_ids:
                partner.invoice_guardian_id = partner.guardian_ids[:1]

    def _compute_afterschool_invoices(self):
        """A guardian pays for all their children at once: what the family still owes on its
        after-school invoices is shared among the children in proportion to what each was billed."""
        # sudo: coordinators see what is owed without access to the invoices themselves
        lines = self.env["account.move.line"].sudo().search([
            ("afterschool_student_id", "in", self.ids), ("parent_state", "!=", "cancel")])
        family_moves = lines.move_id.search([
            ("commercial_partner_id", "in", lines.move_id.commercial_partner_id.ids),
            ("company_id", "in", lines.company_id.ids),
            ("afterschool_run_id", "!=", False), ("state", "=", "posted"),
        ])
        due = defaultdict(float)
        for moves in family_moves.grouped(lambda move: (move.commercial_partner_id, move.company_id)).values():
            residual = sum(moves.mapped("amount_residual_signed"))
            billed = defaultdict(float)
            for line in moves.invoice_line_ids:
                billed[line.afterschool_student_id] += line.price_total * (-1 if line.move_type == "out_refund" else 1)
            total = sum(billed.values())
            for student, amount in billed.items():
                due[student] += residual * amount / total if total else 0.0
        for partner in self:
            partner.afterschool_invoice_ids = lines.filtered(
                lambda line: line.afterschool_student_id == partner).move_id
            partner.afterschool_amount_due = self.env.company.currency_id.round(due[partner])

    @api.constrains("fee_waiver_percent")
    def _check_fee_waiver_percent(self):
        for partner in self:
            if not 0 <= partner.fee_waiver_percent <= 100:
                raise ValidationError(self.env._("A fee waiver is a percentage between 0 and 100."))

    @api.constrains("guardian_ids", "is_student")
    def _check_guardians(self):
        for partner in self:
            if partner in partner.guardian_ids:
                raise ValidationError(self.env._("A student cannot be their own guardian."))
            if partner.guardian_ids and not partner.is_student:
                raise ValidationError(self.env._(
                    "Only students have guardians: mark %(name)s as a student first.", name=partner.name))

    @api.constrains("invoice_guardian_id", "guardian_ids")
    def _check_invoice_guardian(self):
        for partner in self:
            if partner.invoice_guardian_id and partner.invoice_guardian_id not in partner.guardian_ids:
                raise ValidationError(self.env._("The invoice guardian must be one of the student's guardians."))

    @api.model_create_multi
    def create(self, vals_list):
        """A student belongs to the school of their class, so other schools do not see them."""
        for vals in vals_list:
            if vals.get("class_id") and not vals.get("company_id"):
                vals["company_id"] = self.env["afterschool.class"].browse(vals["class_id"]).company_id.id
        return super().create(vals_list)

    def _get_pickup_partners(self):
        """Everyone allowed to collect this student: guardians and authorised persons."""
        self.ensure_one()
        return self.guardian_ids | self.authorized_pickup_ids
