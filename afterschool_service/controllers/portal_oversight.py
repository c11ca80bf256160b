import re

from odoo import http
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AfterschoolOversightPortal(CustomerPortal):
    """What families answer for the school's oversight: the needs survey (前期调查) at the start of a
    term and the satisfaction rating (家长满意) of the groups. Checked in the model methods."""

    def _afterschool_render_student(self, student_sudo, message=None, error=None):
        response = super()._afterschool_render_student(
            student_sudo, message=message, error=error
        )
        Survey = request.env["afterschool.needs.survey"].sudo()
        Rating = request.env["afterschool.satisfaction"]
        response.qcontext.update(
            {
                "needs_surveys": Survey.search(
                    [
                        ("student_id", "=", student_sudo.id),
                        ("state", "=", "pending"),
                        ("term_id.state", "!=", "closed"),
                    ]
                ),
                "ratable_groups": Rating._get_ratable_groups(student_sudo)
                - Rating._get_rated_groups(student_sudo),
            }
        )
        return response

    @http.route(
        ["/my/afterschool/survey/<int:survey_id>/answer"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_afterschool_survey_answer(self, survey_id, answer=None, **kw):
        survey_sudo = (
            request.env["afterschool.needs.survey"].sudo().browse(survey_id).exists()
        )
        if not survey_sudo:
            return request.not_found()
        student_sudo = self._afterschool_check_child(survey_sudo.student_id.id)
        try:
            with request.env.cr.savepoint():
                request.env["afterschool.needs.survey"].browse(
                    survey_id
                )._answer_as_guardian(answer)
        except (UserError, ValidationError) as exception:
            return self._afterschool_render_student(student_sudo, error=str(exception))
        if answer == "apply" and student_sudo._get_afterschool_term_to_apply():
            return request.redirect(f"/my/afterschool/student/{student_sudo.id}/apply")
        return request.redirect(
            f"/my/afterschool/student/{student_sudo.id}?message=survey"
        )

    @http.route(
        ["/my/afterschool/student/<int:student_id>/rate"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_afterschool_rate(
        self, student_id, group_id=None, score=None, comment=None, **kw
    ):
        student_sudo = self._afterschool_check_child(student_id)
        group = (
            request.env["afterschool.activity.group"]
            .sudo()
            .browse(int(group_id) if str(group_id or "").isdigit() else 0)
            .exists()
        )
        try:
            if not group:
                raise UserError(request.env._("Choose the group to rate."))
            with request.env.cr.savepoint():
                request.env["afterschool.satisfaction"]._rate_as_guardian(
                    student_sudo, group, score, comment
                )
        except (UserError, ValidationError, AccessError) as exception:
            return self._afterschool_render_student(student_sudo, error=str(exception))
        return request.redirect(f"/my/afterschool/student/{student_id}?message=rated")

    @http.route(
        ["/afterschool/survey"],
        type="http",
        auth="public",
        website=True,
        methods=["GET", "POST"],
    )
    def afterschool_survey_by_code(self, code=None, answer=None, **kw):
        """Families without the portal answer the needs survey with the code on their slip. A wrong, used or
        locked code gets one same answer (throttled in the model, see tools/code_throttle.py)."""
        code = code if isinstance(code, str) else ""
        # echoed in the form as typed, less what a slip code never holds (a NUL byte cannot reach the page)
        values = {
            "code": re.sub(r"[^0-9A-Za-z]", "", code)[:8],
            "error": None,
            "done": False,
        }
        if request.httprequest.method == "POST":
            Survey = request.env["afterschool.needs.survey"]
            try:
                with request.env.cr.savepoint():
                    survey = Survey._answer_by_code(code, answer)
            except (UserError, ValidationError) as exception:
                values["error"] = str(exception)
            else:
                if survey:
                    values["done"] = True
                else:
                    values["error"] = Survey._get_code_refusal()
        return request.render(
            "afterschool_service.afterschool_survey_by_code_page", values
        )
