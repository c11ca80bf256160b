from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..tools.groups import MANAGER_GROUP

MAX_COMMENT = 2000


class AfterschoolSatisfaction(models.Model):
    """A family's rating of a group their child attended (家长满意), once per child and group.

    The score is for the school and the district; the comment and the family stay with the
    coordinator (teachers see the figures, never which family said what).
    """

    _name = "afterschool.satisfaction"
    _description = "After-School Family Satisfaction"
    _order = "create_date desc, id desc"
    _check_company_auto = True

    group_id = fields.Many2one(
        "afterschool.activity.group",
        string="Group",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="group_id.company_id", store=True, index=True, precompute=True
    )
    term_id = fields.Many2one(related="group_id.term_id", store=True, index=True)
    teacher_id = fields.Many2one(
        related="group_id.teacher_id", store=True, string="Teacher"
    )
    student_id = fields.Many2one(
        "res.partner",
        string="Student",
        required=True,
        index=True,
        ondelete="cascade",
        groups=MANAGER_GROUP,
    )
    guardian_id = fields.Many2one(
        "res.partner",
        string="Guardian",
        required=True,
        ondelete="cascade",
        groups=MANAGER_GROUP,
    )
    score = fields.Integer(string="Score (1-5)", required=True, aggregator="avg")
    comment = fields.Text(groups=MANAGER_GROUP)

    _sql_constraints = [
        (
            "student_group_uniq",
            "unique(student_id, group_id)",
            "A child's group is rated once.",
        ),
        (
            "score_range",
            "CHECK(score BETWEEN 1 AND 5)",
            "The score is between 1 and 5.",
        ),
    ]

    @api.constrains("score")
    def _check_score(self):
        for rating in self:
            if not 1 <= rating.score <= 5:
                raise ValidationError(self.env._("The score is between 1 and 5."))

    def _compute_display_name(self):
        for rating in self:
            rating.display_name = "%s: %s/5" % (
                rating.group_id.display_name,
                rating.score,
            )

    @api.model
    def _rate_as_guardian(self, student, group, score, comment=None):
        """A guardian (portal) rates a group their child attended; once per child and group.

        Checked here (guardian of the child, child placed in the group and marked present at least
        once, a valid score), then written as superuser: guardians have no write access to ratings.
        """
        partner = self.env.user.partner_id
        student = student.sudo()
        if partner not in student.guardian_ids:
            raise AccessError(
                self.env._("You can only rate the groups of your own children.")
            )
        try:
            score = int(score)
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise UserError(self.env._("Choose a score from 1 to 5."))
        if comment is not None and not isinstance(comment, str):
            raise UserError(self.env._("The comment must be text."))
        comment = (comment or "").replace("\x00", "").strip()[:MAX_COMMENT]
        if not group.sudo().term_id.satisfaction_open:
            raise UserError(
                self.env._(
                    "The school has not opened the satisfaction survey of this term."
                )
            )
        if group.sudo() not in self._get_ratable_groups(student):
            raise UserError(
                self.env._(
                    "Your child did not attend this group: there is nothing to rate."
                )
            )
        Rating = self.sudo()
        if Rating.search_count(
            [("student_id", "=", student.id), ("group_id", "=", group.id)], limit=1
        ):
            raise UserError(
                self.env._(
                    "You have already rated this group for your child. Thank you!"
                )
            )
        # Created by the system, not by the family's user: who gave which score is the coordinator's
        # to read (guardian_id), never anyone's through create_uid / write_uid.
        return self.with_user(SUPERUSER_ID).create(
            {
                "group_id": group.id,
                "student_id": student.id,
                "guardian_id": partner.id,
                "score": score,
                "comment": comment,
            }
        )

    @api.model
    def _get_ratable_groups(self, student):
        """Groups the child attended at least once, in terms whose survey is open (as superuser)."""
        attended = (
            self.env["afterschool.attendance"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("student_id", "=", student.id),
                    ("state", "=", "present"),
                    ("term_id.satisfaction_open", "=", True),
                ],
                ["group_id"],
            )
        )
        return (
            self.env["afterschool.activity.group"]
            .sudo()
            .union(*(group for [group] in attended))
        )

    @api.model
    def _get_rated_groups(self, student):
        return self.sudo().search([("student_id", "=", student.id)]).group_id
