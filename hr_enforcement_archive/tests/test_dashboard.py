import base64
import json
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, TransactionCase, tagged
from odoo.tools import file_open
from odoo.tools.translate import code_translations, extract_spreadsheet_terms

from ..models.spreadsheet_dashboard import TABLE_TITLES

DASHBOARD = "hr_enforcement_archive/data/files/enforcement_dashboard.json"


@tagged("post_install", "-at_install")
class TestManagersDashboard(TransactionCase):
    """The managers' dashboard (R22): every pivot and list of the spreadsheet asks Odoo for
    fields that exist and can be grouped, and answers for a supervisor."""

    def test_every_pivot_and_list_answers(self):
        dashboard = self.env.ref("hr_enforcement_archive.spreadsheet_dashboard_enforcement")
        data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
        supervisor = self.env["res.users"].create(
            {
                "name": "Dashboard reader",
                "login": "dashboard_reader",
                "groups_id": [
                    (4, self.env.ref("base.group_user").id),
                    (
                        4,
                        self.env.ref(
                            "hr_enforcement_record.hr_enforcement_record_group_supervisor"
                        ).id,
                    ),
                ],
            }
        )
        self.assertIn(
            self.env.ref("hr_enforcement_record.hr_enforcement_record_group_supervisor"),
            dashboard.group_ids,
        )
        self.assertEqual(len(data["pivots"]), 9)
        for pivot in data["pivots"].values():
            Model = self.env[pivot["model"]].with_user(supervisor)
            groupby = [row["fieldName"] for row in pivot["rows"] + pivot["columns"]]
            measures = [
                f"{m['fieldName']}:{Model._fields[m['fieldName']].aggregator}"
                for m in pivot["measures"]
                if m["fieldName"] != "__count"
            ]
            for name in groupby:
                self.assertTrue(Model._fields[name].store, f"{pivot['name']}: {name}")
            for filter_id, matching in pivot["fieldMatching"].items():
                if matching:
                    # the global filter's field chain resolves on the pivot's model
                    model = Model
                    for name in matching["chain"].split("."):
                        self.assertIn(name, model._fields, f"{pivot['name']}: filter {filter_id}")
                        field = model._fields[name]
                        model = self.env[field.comodel_name] if field.relational else model
            Model.read_group(pivot["domain"], measures, groupby, lazy=False)
        for listing in data["lists"].values():
            Model = self.env[listing["model"]].with_user(supervisor)
            Model.search_read(listing["domain"], listing["columns"])

    def test_r22_1_every_title_of_the_dashboard_is_translated(self):
        """Cells, charts and filters (translated by Odoo) and the tables' names (by us)."""
        with file_open(DASHBOARD, "rb") as handle:
            terms = {term for _line, _fn, term, _c in extract_spreadsheet_terms(handle, [], [], {})}
        with file_open(DASHBOARD) as handle:
            data = json.load(handle)
        web = {
            entry["id"]: entry["string"]
            for entry in code_translations.get_web_translations("hr_enforcement_archive", "zh_CN")[
                "messages"
            ]
        }
        self.assertFalse({t for t in terms if not web.get(t)}, "untranslated dashboard terms")
        tables = [t["name"] for t in (*data["pivots"].values(), *data["lists"].values())]
        python = code_translations.get_python_translations("hr_enforcement_archive", "zh_CN")
        self.assertEqual(set(tables) - {str(t._source) for t in TABLE_TITLES}, set())
        self.assertFalse([t for t in tables if not python.get(t)], "untranslated table names")
        charts = [f for s in data["sheets"] for f in s["figures"] if f["tag"] == "chart"]
        kinds = sorted(f["data"]["type"] for f in charts)
        self.assertEqual(kinds, ["odoo_bar", "odoo_bar", *["scorecard"] * 4])


@tagged("post_install", "-at_install")
class TestManagersDashboardTour(HttpCase):
    """The dashboard opens in the browser for a supervisor."""

    def test_r22_1_dashboard_opens_and_its_scorecards_show_the_figures_of_the_records(self):
        """As the demo supervisor, in Chinese as the bureau's staff use it: the scorecards
        and charts are drawn and each scorecard equals what the records give."""
        supervisor = self.env["res.users"].search([("login", "=", "zhaomin")])
        self.assertTrue(
            supervisor.has_group("hr_enforcement_record.hr_enforcement_record_group_supervisor")
        )
        # figures that are not all zero: a case archived, a rectification ordered
        case = self.env.ref("hr_enforcement_record.case_annual_review_demo")
        archivist = self.env["res.users"].search([("login", "=", "chenjing")])
        action = case.with_user(archivist).action_open_case_file()
        case_file = (
            self.env["hr.enforcement.case.file"].with_user(archivist).browse(action["res_id"])
        )
        case_file.action_check()
        case_file.action_archive_file()
        supervisor = self.env["res.users"].search([("login", "=", "zhaomin")])
        wages = self.env.ref("hr_enforcement_record.case_wage_arrears_demo")
        Violation = self.env["hr.enforcement.violation"]
        Violation._record("av_late", [(wages._name, wages.id, wages.id, None, "dashboard")])
        violation = Violation.search([("detail", "=", "dashboard")])
        violation.with_user(supervisor)._order_rectification(
            "Rectify within a week.", fields.Date.today() + timedelta(days=7)
        )
        self.assertTrue(case.archived)
        self.assertEqual(violation.state, "rectifying")
        action = self.env.ref("spreadsheet_dashboard.ir_actions_dashboard_action")
        self.start_tour(
            f"/odoo/action-{action.id}", "hr_enforcement_dashboard_tour", login="zhaomin"
        )
