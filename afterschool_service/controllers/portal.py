import binascii

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class AfterschoolPortal(CustomerPortal):
    """The guardian reads and signs the entrustment agreement (modelled on sale's /my/orders/<id>/accept)."""

    @http.route(["/my/afterschool/agreement/<int:agreement_id>"], type="http", auth="public", website=True)
    def portal_afterschool_agreement(self, agreement_id, access_token=None, report_type=None, download=False,
                                     message=False, **kw):
        try:
            agreement_sudo = self._document_check_access("afterschool.agreement", agreement_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(model=agreement_sudo, report_type=report_type,
                                     report_ref="afterschool_service.afterschool_agreement_report", download=download)
        values = {
            "agreement": agreement_sudo,
            "message": message,
            "page_name": "afterschool_agreement",
            "res_company": agreement_sudo.company_id,
            "report_type": "html",
        }
        values = self._get_page_view_values(
            agreement_sudo, access_token, values, "my_afterschool_agreements_history", False)
        return request.render("afterschool_service.afterschool_agreement_portal_page", values)

    @http.route(["/my/afterschool/agreement/<int:agreement_id>/sign"], type="json", auth="public", website=True)
    def portal_afterschool_agreement_sign(self, agreement_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            agreement_sudo = self._document_check_access("afterschool.agreement", agreement_id, access_token)
        except (AccessError, MissingError):
            return {"error": _("Invalid agreement.")}
        if agreement_sudo.state not in ("draft", "sent"):
            return {"error": _("This agreement cannot be signed any more.")}
        if not signature:
            return {"error": _("Signature is missing.")}
        try:
            with request.env.cr.savepoint():
                agreement_sudo.action_sign(name, signature)
        except (TypeError, binascii.Error):
            return {"error": _("Invalid signature data.")}
        except (UserError, ValidationError) as error:
            return {"error": str(error)}
        return {
            "force_refresh": True,
            "redirect_url": agreement_sudo.get_portal_url(query_string="&message=sign_ok"),
        }
