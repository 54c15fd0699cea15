from odoo import models
from odoo.tools.pdf import merge_pdf

# report_file of the reports that the application draws with reportlab (no wkhtmltopdf):
# the web client's handler (static/src/report/) downloads them without asking for it
REPORTLAB = "hr_enforcement_reportlab"


class IrActionsReport(models.Model):
    """Printouts of the enforcement addons are ir.actions.report records in the Print menu
    of their records, drawn by the model's own reportlab writer: whoever may read a record
    prints it (a server action would demand write access, R20.1, R22.2)."""

    _inherit = "ir.actions.report"

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        report = self._get_report(report_ref)
        if report.report_file != REPORTLAB:
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        records = self.env[report.model].browse(res_ids or [])
        records.check_access("read")  # the need-to-know rules decide who prints
        pdfs = [record._render_reportlab_pdf(report.report_name) for record in records]
        return (pdfs[0] if len(pdfs) == 1 else merge_pdf(pdfs)), "pdf"
