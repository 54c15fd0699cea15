from odoo import _, models
from odoo.exceptions import MissingError, UserError

from ..tools.pdf_archival import to_pdfa

# report_file of the reports that the application draws with reportlab (no wkhtmltopdf):
# the web client's handler (static/src/report/) downloads them without asking for it
REPORTLAB = "hr_enforcement_reportlab"


class IrActionsReport(models.Model):
    """Printouts of the enforcement addons are ir.actions.report records in the Print menu
    of their records, drawn by the model's own reportlab writer and made PDF/A-2b: whoever
    may read a record prints it (a server action would demand write access, R20.1, R22.2)."""

    _inherit = "ir.actions.report"

    def _get_readable_fields(self):
        # the web client's handler (static/src/report/) recognises our reports by their
        # report_file, which Odoo's clean_action would strip from the action it sends
        return super()._get_readable_fields() | {"report_file"}

    def _render_qweb_pdf(self, report_ref, res_ids=None, data=None):
        report = self._get_report(report_ref)
        if report.report_file != REPORTLAB:
            return super()._render_qweb_pdf(report_ref, res_ids=res_ids, data=data)
        wanted = list(dict.fromkeys(res_ids or []))
        # the need-to-know rules decide who prints; a record one may not read and one that
        # does not exist are refused alike, so that printing tells nothing (R20.1)
        readable = self.env[report.model].search([("id", "in", wanted)])
        if not wanted or len(readable) != len(wanted):
            raise MissingError(_("The records to print do not exist, or you may not read them."))
        records = self.env[report.model].browse(wanted)
        if report.report_name in records._reportlab_sealed_reports:
            # a signed document is never merged nor rewritten: its signature covers it whole
            if len(records) > 1:
                raise UserError(_("Signed documents are printed one at a time: select one record."))
            return records._render_reportlab_pdf(report.report_name), "pdf"
        pdf = records._render_reportlab_batch(report.report_name)
        # what the archive may keep is PDF/A-2b (DA/T 47), merged batches included
        return to_pdfa(pdf, report.name, self.env.company.name), "pdf"
