import base64
import json

from odoo.tests import HttpCase, TransactionCase, tagged


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
        self.assertEqual(len(data["pivots"]), 8)
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


@tagged("post_install", "-at_install")
class TestManagersDashboardTour(HttpCase):
    """The dashboard opens in the browser for a supervisor."""

    def test_dashboard_opens(self):
        """As the demo supervisor, in Chinese as the bureau's staff use it."""
        supervisor = self.env["res.users"].search([("login", "=", "zhaomin")])
        self.assertTrue(
            supervisor.has_group("hr_enforcement_record.hr_enforcement_record_group_supervisor")
        )
        action = self.env.ref("spreadsheet_dashboard.ir_actions_dashboard_action")
        self.start_tour(
            f"/odoo/action-{action.id}", "hr_enforcement_dashboard_tour", login="zhaomin"
        )
