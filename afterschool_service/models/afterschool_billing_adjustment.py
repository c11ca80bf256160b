from odoo import fields, models


class AfterschoolBillingAdjustment(models.Model):
    """What billed an attendance after its first charge: a credit, periods charged later, a charge
    made again after its invoice was cancelled, a settled correction.

    An attendance's first charge is its own invoice line and billed periods (one row written per
    child and day, no more); only what comes after it is stored here. The billing history users
    read (afterschool.billing.entry) shows both. Written by the invoicing run only, as superuser.
    """

    _name = "afterschool.billing.adjustment"
    _description = "After-School Billing Adjustment"
    _order = "id"

    # no index of its own: the unique (attendance, invoice line) index serves it
    attendance_id = fields.Many2one(
        "afterschool.attendance",
        string="Attendance",
        required=True,
        ondelete="restrict",
        readonly=True,
    )
    move_line_id = fields.Many2one(
        "account.move.line",
        string="Invoice Line",
        required=True,
        index=True,
        ondelete="cascade",
        readonly=True,
    )
    move_id = fields.Many2one(
        related="move_line_id.move_id",
        string="Invoice",
        store=True,
        index=True,
        precompute=True,
    )
    periods = fields.Integer(
        required=True,
        readonly=True,
        help="Positive when invoiced, negative when credited.",
    )
    correction_reason = fields.Text(
        string="Correction",
        readonly=True,
        help="Why the billed attendance was corrected (Correct Attendance), when this adjustment settles a correction.",
    )

    _sql_constraints = [
        (
            "attendance_line_uniq",
            "unique(attendance_id, move_line_id)",
            "An invoice line bills an attendance once.",
        ),
    ]
