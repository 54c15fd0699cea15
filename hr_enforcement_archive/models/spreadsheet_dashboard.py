from odoo import _lt, models
from odoo.tools.translate import code_translations

# Odoo translates a dashboard's cells, chart titles and filters, not the names of its
# pivots and lists, which head their tables: these are, in the reader's language.
TABLE_TITLES = (
    _lt("Cases by type and stage"),
    _lt("Cases by department"),
    _lt("On-time archiving rate (%)"),
    _lt("AV records stored within 24 hours (%)"),
    _lt("Service of documents by method"),
    _lt("Violations by requirement"),
    _lt("Violations by officer"),
    _lt("Open rectifications"),
    _lt("Scheduled deadline jobs"),
    _lt("Wages recovered, workers covered, fines imposed and paid"),
)


class SpreadsheetDashboard(models.Model):
    _inherit = "spreadsheet.dashboard"

    def get_readonly_dashboard(self):
        result = super().get_readonly_dashboard()
        ours = self.env.ref(
            "hr_enforcement_archive.spreadsheet_dashboard_enforcement", raise_if_not_found=False
        )
        if self == ours and "snapshot" in result:
            terms = code_translations.get_python_translations(
                "hr_enforcement_archive", self.env.lang or "en_US"
            )
            snapshot = result["snapshot"]
            for table in (
                *snapshot.get("pivots", {}).values(),
                *snapshot.get("lists", {}).values(),
            ):
                table["name"] = terms.get(table["name"], table["name"])
        return result
