import functools
import subprocess

from odoo import api, models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


def wkhtmltopdf_prints_headers(version_text):
    """Whether a wkhtmltopdf build prints Odoo's separate header and footer: only the builds with patched Qt
    do ('wkhtmltopdf 0.12.6 (with patched qt)'); Debian's build ('wkhtmltopdf 0.12.6') ignores them."""
    return "patched qt" in (version_text or "").lower()


@functools.cache
def _wkhtmltopdf_version():
    """The installed wkhtmltopdf's version line, asked once per process ('' when it cannot be run)."""
    try:
        return subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ""


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _afterschool_pdf_available(self):
        """Whether wkhtmltopdf can print PDFs here (scripts/_prepare.sh installs Debian's when run as root)."""
        return self.get_wkhtmltopdf_state() in ("ok", "upgrade")

    @api.model
    def _afterschool_pdf_prints_headers(self):
        """Whether the PDFs printed here carry the layout's separate header (the school's letterhead)."""
        return wkhtmltopdf_prints_headers(_wkhtmltopdf_version())

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
