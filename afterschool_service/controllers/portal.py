import binascii
import calendar
from collections import defaultdict

from babel.dates import format_skeleton
from werkzeug.exceptions import Forbidden, NotFound

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import content_disposition, request
from odoo.tools import babel_locale_parse, get_lang

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..tools.application_states import LIVE_STATES
from ..tools.code_throttle import CodeThrottle
from ..tools.xlsx import XLSX_MIMETYPE


class AfterschoolPortal(CustomerPortal):
    """The parents' portal: a guardian's children, their applications, agreements, leave and attendance.

    Records are found as the guardian, through the portal record rules (their own children only), and read
    as superuser only once found (like _document_check_access). What a guardian does — apply, sign, withdraw,
    ask leave — goes through model methods that check they are the child's guardian.
    """

    # ------------------------------------------------------------------ the entrustment agreement
    # Modelled on sale's /my/orders/<id>/accept: readable with the guardian's login or the emailed token.
    @http.route(
        ["/my/afterschool/agreement/<int:agreement_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_afterschool_agreement(
        self,
        agreement_id,
        access_token=None,
        report_type=None,
        download=False,
        message=False,
        **kw,
    ):
        try:
            agreement_sudo = self._afterschool_check_agreement(
                agreement_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if (
            report_type == "pdf"
            and not request.env["ir.actions.report"].sudo()._afterschool_pdf_available()
        ):
            # no wkhtmltopdf on this server: the agreement as a web page, to print from the browser
            report_type = "html"
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=agreement_sudo,
                report_type=report_type,
                report_ref="afterschool_service.afterschool_agreement_report",
                download=download,
            )
        values = {
            "agreement": agreement_sudo,
            "message": message,
            "page_name": "afterschool_agreement",
            "res_company": agreement_sudo.company_id,
            "report_type": "html",
        }
        values = self._get_page_view_values(
            agreement_sudo,
            access_token,
            values,
            "my_afterschool_agreements_history",
            False,
        )
        return request.render(
            "afterschool_service.afterschool_agreement_portal_page", values
        )

    @http.route(
        ["/my/afterschool/agreement/<int:agreement_id>/sign"],
        type="json",
        auth="public",
        website=True,
    )
    def portal_afterschool_agreement_sign(
        self, agreement_id, access_token=None, name=None, signature=None
    ):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            agreement_sudo = self._afterschool_check_agreement(
                agreement_id, access_token
            )
        except (AccessError, MissingError):
            return {"error": request.env._("Invalid agreement.")}
        if agreement_sudo.state not in ("draft", "sent"):
            return {"error": request.env._("This agreement cannot be signed any more.")}
        if not signature:
            return {"error": request.env._("Signature is missing.")}
        user = request.env.user
        if not user._is_public():
            if not user.share:
                return {
                    "error": request.env._(
                        "Staff record a signature given on paper from the agreement's form, not here."
                    )
                }
            # A logged-in guardian signs as themself (action_sign refuses anyone else); a visitor with
            # the family's link signs for the guardian it was sent to.
            agreement_sudo = agreement_sudo.with_user(user).sudo()
        try:
            with request.env.cr.savepoint():
                agreement_sudo.action_sign(name, signature)
        except (TypeError, binascii.Error):
            return {"error": request.env._("Invalid signature data.")}
        except (UserError, ValidationError) as error:
            return {"error": str(error)}
        return {
            "force_refresh": True,
            "redirect_url": agreement_sudo.get_portal_url(
                query_string="&message=sign_ok"
            ),
        }

    def _afterschool_check_agreement(self, agreement_id, access_token):
        """The agreement, read as superuser once the caller may: their login, or the family's link (its
        access code). A wrong code is counted like every code typed in (tools/code_throttle.py); once
        locked, the right one is refused the same way. The caller answers without raising, so the count
        is kept."""
        throttle = CodeThrottle(request.env, "agreement") if access_token else None
        if throttle and throttle.is_locked():
            raise AccessError(request.env._("Invalid agreement."))
        try:
            return self._document_check_access(
                "afterschool.agreement", agreement_id, access_token
            )
        except (AccessError, MissingError):
            if throttle:
                throttle.record_failure()
            raise

    # ------------------------------------------------------------------ the home card
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "afterschool_count" in counters:
            values["afterschool_count"] = request.env["res.partner"].search_count(
                self._afterschool_children_domain()
            )
        return values

    def _afterschool_children_domain(self):
        return [
            ("is_student", "=", True),
            ("guardian_ids", "in", request.env.user.partner_id.ids),
        ]

    # ------------------------------------------------------------------ a guardian's children
    @http.route(["/my/afterschool"], type="http", auth="user", website=True)
    def portal_my_afterschool(self, message=None, **kw):
        return self._afterschool_render_children(message=message)

    # ------------------------------------------------------------------ the guardian's pickup code
    def _afterschool_check_pickup_holder(self, partner_id=None):
        """The logged-in guardian (who has a child here), and only them: their own code, never another's."""
        partner = request.env.user.partner_id
        if (partner_id is not None and partner.id != partner_id) or not request.env[
            "res.partner"
        ].search_count(self._afterschool_children_domain(), limit=1):
            raise NotFound()
        return partner

    @http.route(
        ["/my/afterschool/pickup-code/<int:partner_id>/qr"],
        type="http",
        auth="user",
        methods=["GET"],
    )
    def portal_afterschool_pickup_qr(self, partner_id, **kw):
        """The guardian's pickup code as a QR image, drawn here: the code is in no address (nor server log)."""
        partner = self._afterschool_check_pickup_holder(partner_id)
        image = (
            request.env["ir.actions.report"]
            .sudo()
            .barcode(
                "QR", partner._get_afterschool_pickup_code(), width=240, height=240
            )
        )
        return request.make_response(
            image,
            headers=[
                ("Content-Type", "image/png"),
                ("Cache-Control", "no-store"),
            ],
        )

    @http.route(
        ["/my/afterschool/pickup-code/rotate"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_afterschool_pickup_code_rotate(self, **kw):
        """The guardian draws a new pickup code (CSRF-checked form): the old one stops working at once."""
        self._afterschool_check_pickup_holder()._afterschool_rotate_pickup_code()
        return request.redirect("/my/afterschool?message=pickup_code")

    @http.route(
        ["/my/afterschool/student/<int:student_id>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_afterschool_student(self, student_id, message=None, **kw):
        student_sudo = self._afterschool_check_child(student_id)
        return self._afterschool_render_student(student_sudo, message=message)

    @http.route(
        ["/my/afterschool/student/<int:student_id>/apply"],
        type="http",
        auth="user",
        website=True,
        methods=["GET", "POST"],
    )
    def portal_afterschool_apply(self, student_id, **post):
        student_sudo = self._afterschool_check_child(student_id)
        term_sudo = student_sudo._get_afterschool_term_to_apply()
        if not term_sudo:
            applied_sudo = (
                request.env["afterschool.application"]
                .sudo()
                .search(
                    [
                        ("student_id", "=", student_sudo.id),
                        ("state", "in", LIVE_STATES),
                        ("term_id.state", "=", "open"),
                    ],
                    limit=1,
                )
            )
            if request.httprequest.method == "POST" and applied_sudo:
                # the form was sent twice (or from two screens): say why, as the refused twin does
                return self._afterschool_render_children(
                    error=applied_sudo._get_duplicate_message(
                        student_sudo, applied_sudo.term_id
                    )
                )
            return request.redirect("/my/afterschool")
        error, chosen = None, []
        if request.httprequest.method == "POST":
            chosen = [
                int(group_id)
                for group_id in request.httprequest.form.getlist("group_ids")
                if group_id.isdigit()
            ]
            try:
                with request.env.cr.savepoint():
                    request.env["afterschool.application"]._apply_as_guardian(
                        student_sudo,
                        term_sudo,
                        term_sudo.group_ids.filtered(lambda group: group.id in chosen),
                    )
            except (UserError, ValidationError) as exception:
                error = str(exception)
            else:
                return request.redirect("/my/afterschool?message=applied")
        groups_sudo = term_sudo.group_ids.filtered(
            lambda group: group._admits_grade(student_sudo.grade)
        )
        placed = groups_sudo._get_placed_students()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "afterschool_apply",
                "student": student_sudo,
                "term": term_sudo,
                "groups": groups_sudo,
                "free_places": {
                    group.id: group.capacity - len(placed.get(group.id, ()))
                    for group in groups_sudo
                },
                "chosen": chosen,
                "error": error,
            }
        )
        return request.render("afterschool_service.portal_afterschool_apply", values)

    @http.route(
        ["/my/afterschool/application/<int:application_id>/withdraw"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_afterschool_withdraw(self, application_id, reason="", **kw):
        application_sudo = self._afterschool_check_document(
            "afterschool.application", application_id
        )
        self._afterschool_check_child(application_sudo.student_id.id)
        try:
            with request.env.cr.savepoint():
                request.env["afterschool.application"].browse(
                    application_id
                ).action_withdraw(reason or "")
        except UserError as exception:
            return self._afterschool_render_children(error=str(exception))
        return request.redirect("/my/afterschool?message=withdrawn")

    @http.route(
        ["/my/afterschool/student/<int:student_id>/leave"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_afterschool_leave(
        self, student_id, date_from=None, date_to=None, reason=None, **kw
    ):
        student_sudo = self._afterschool_check_child(student_id)
        try:
            date_from, date_to = (
                fields.Date.to_date(date_from or None),
                fields.Date.to_date(date_to or None),
            )
        except ValueError:
            return self._afterschool_render_student(
                student_sudo, error=request.env._("Give the dates of the leave.")
            )
        try:
            with request.env.cr.savepoint():
                request.env["afterschool.leave"]._request_as_guardian(
                    student_sudo, date_from, date_to, reason
                )
        except (UserError, ValidationError) as exception:
            return self._afterschool_render_student(student_sudo, error=str(exception))
        return request.redirect(f"/my/afterschool/student/{student_id}?message=leave")

    @http.route(
        ["/my/afterschool/student/<int:student_id>/records"], type="http", auth="user"
    )
    def portal_afterschool_records(self, student_id, **kw):
        """The child's records as a spreadsheet: what the programme keeps about them (privacy)."""
        student_sudo = self._afterschool_check_child(student_id)
        content = request.env["afterschool.student.records"]._build_workbook(
            student_sudo.with_env(request.env)
        )
        filename = request.env._(
            "After-School Records %(student)s.xlsx", student=student_sudo.name
        )
        return request.make_response(
            content,
            headers=[
                ("Content-Type", XLSX_MIMETYPE),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )

    @http.route(
        ["/my/afterschool/leave/<int:leave_id>/cancel"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_afterschool_leave_cancel(self, leave_id, **kw):
        leave_sudo = self._afterschool_check_document("afterschool.leave", leave_id)
        student_sudo = self._afterschool_check_child(leave_sudo.student_id.id)
        try:
            with request.env.cr.savepoint():
                request.env["afterschool.leave"].browse(leave_id)._cancel_as_guardian()
        except (UserError, ValidationError) as exception:
            return self._afterschool_render_student(student_sudo, error=str(exception))
        return request.redirect(
            f"/my/afterschool/student/{student_sudo.id}?message=leave_cancelled"
        )

    # ------------------------------------------------------------------ family notices
    @http.route(
        ["/my/afterschool/student/<int:student_id>/notices"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_afterschool_notice_preferences(self, student_id, **post):
        """The guardian's own choice of notices (the school's mandatory ones stay on)."""
        student_sudo = self._afterschool_check_child(student_id)
        wanted = set(request.httprequest.form.getlist("kinds"))
        request.env.user.partner_id._afterschool_set_notice_preferences(
            wanted, student_sudo.company_id
        )
        return request.redirect(f"/my/afterschool/student/{student_id}?message=notices")

    @http.route(
        ["/my/afterschool/notice/<int:notice_id>/reply"],
        type="http",
        auth="user",
        website=True,
        methods=["POST"],
    )
    def portal_afterschool_notice_reply(self, notice_id, answer="", **kw):
        """A guardian answers a notice: the school sees it on the notice and the to-dos about it close."""
        notice_sudo = self._afterschool_check_document("afterschool.notice", notice_id)
        student_sudo = self._afterschool_check_child(notice_sudo.student_id.id)
        try:
            with request.env.cr.savepoint():
                request.env["afterschool.notice"].browse(
                    notice_sudo.id
                )._reply_as_guardian(answer)
        except UserError as exception:
            return self._afterschool_render_student(student_sudo, error=str(exception))
        return request.redirect(
            f"/my/afterschool/student/{student_sudo.id}?message=answered"
        )

    # ------------------------------------------------------------------ checks
    def _afterschool_check_document(self, model_name, record_id):
        """The record as superuser if the user may read it (record rules), else 404 or 403."""
        try:
            return self._document_check_access(model_name, record_id)
        except MissingError:
            raise NotFound() from None
        except AccessError:
            raise Forbidden() from None

    def _afterschool_check_child(self, student_id):
        """The user's own child (as superuser), else 404 or 403: staff who may read the student are not
        their guardians."""
        student_sudo = self._afterschool_check_document("res.partner", student_id)
        if (
            not student_sudo.is_student
            or request.env.user.partner_id not in student_sudo.guardian_ids
        ):
            raise Forbidden()
        return student_sudo

    # ------------------------------------------------------------------ pages
    @staticmethod
    def _afterschool_month_weeks(month, lines):
        """A month as weeks of seven days (Monday first), each day with its roster lines and one colour."""
        by_day = defaultdict(list)
        for line in lines.sorted(
            lambda line: (line.date, line.session_id.start or line.date)
        ):
            by_day[line.date].append(line)
        weeks = []
        for week in calendar.Calendar().monthdatescalendar(month.year, month.month):
            days = []
            for day in week:
                day_lines = by_day.get(day, []) if day.month == month.month else []
                states = {line.state for line in day_lines}
                tone = next(
                    (
                        tone
                        for state, tone in (
                            ("present", "present"),
                            ("absent", "absent"),
                            ("excused", "excused"),
                            (False, "unmarked"),
                        )
                        if state in states
                    ),
                    "",
                )
                days.append(
                    {
                        "date": day,
                        "in_month": day.month == month.month,
                        "lines": day_lines,
                        "tone": tone,
                    }
                )
            weeks.append(days)
        return weeks

    def _afterschool_render_children(self, message=None, error=None):
        children = request.env["res.partner"].search(
            self._afterschool_children_domain(), order="name"
        )
        Application = request.env["afterschool.application"]
        rows = []
        for child in children:
            applications = Application.search(
                [("student_id", "=", child.id)], order="id desc"
            )
            rows.append(
                {
                    "student": child.sudo(),
                    "applications": applications.sudo(),
                    "term_to_apply": child.sudo()._get_afterschool_term_to_apply(),
                }
            )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "afterschool",
                "children": rows,
                "pickup_code": rows
                and request.env.user.partner_id._get_afterschool_pickup_code(),
                "pickup_partner_id": request.env.user.partner_id.id,
                "live_states": LIVE_STATES,
                "message": message,
                "error": error,
            }
        )
        return request.render("afterschool_service.portal_my_afterschool", values)

    def _afterschool_render_student(self, student_sudo, message=None, error=None):
        student = student_sudo.with_env(request.env)
        today = student_sudo.company_id._afterschool_today()
        lines = (
            request.env["afterschool.attendance"]
            .search(
                [("student_id", "=", student.id), ("date", "<=", today)],
                order="date desc, id desc",
            )
            .sudo()
        )
        locale = babel_locale_parse(get_lang(request.env).code)
        months = defaultdict(lambda: lines.browse())
        for line in lines:
            months[line.date.replace(day=1)] |= line
        weekdays = [
            format_skeleton(
                "EEEEE",
                fields.Date.to_date("2024-01-01").replace(day=1 + day),
                locale=locale,
            )
            for day in range(7)
        ]
        leaves = (
            request.env["afterschool.leave"]
            .search([("student_id", "=", student.id)], order="date_from desc", limit=20)
            .sudo()
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "afterschool_student",
                "student": student_sudo,
                "months": [
                    {
                        "label": format_skeleton("yMMMM", month, locale=locale),
                        "lines": month_lines,
                        "counts": {
                            state: len(
                                month_lines.filtered(
                                    lambda line, state=state: line.state == state
                                )
                            )
                            for state in ("present", "absent", "excused")
                        },
                        "weeks": self._afterschool_month_weeks(month, month_lines),
                    }
                    for month, month_lines in months.items()
                ],
                "leaves": leaves,
                "weekdays": weekdays,
                "notices": request.env["afterschool.notice"]
                .search(
                    [
                        ("student_id", "=", student.id),
                        ("guardian_id", "=", request.env.user.partner_id.id),
                        ("state", "in", ("sent", "failed")),
                    ],
                    limit=30,
                )
                .sudo(),
                "guardian": request.env.user.partner_id.sudo(),
                "today": today,
                "message": message,
                "error": error,
            }
        )
        return request.render("afterschool_service.portal_afterschool_student", values)
