from odoo import api, models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _afterschool_pdf_available(self):
        """Whether wkhtmltopdf can print PDFs here (scripts/_prepare.sh installs Debian's when run as root)."""
        return self.get_wkhtmltopdf_state() in ("ok", "upgrade")

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        """The addon's documents (posting list, agreement) still come out where wkhtmltopdf is missing: as a
        web page (HTML), e.g. the agreement attached to the guardian's email, instead of an error."""
        report = self._get_report(report_ref)
        if (
            report.report_name.startswith("afterschool_service.")
            and not self._afterschool_pdf_available()
        ):
            return self._render_qweb_html(report_ref, res_ids, data=data)
        return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
