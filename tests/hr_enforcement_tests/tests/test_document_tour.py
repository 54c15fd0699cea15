"""A numbered decision issued from the case and served, in the Chinese web client
(R12.1, R13.1, R14.1): the receipt names the document with its 文号."""

import subprocess
import tempfile

from odoo.tests import tagged

from .common import DemoUserTourCase


@tagged("post_install", "-at_install")
class TestIssueDecisionTour(DemoUserTourCase):
    def test_r12_1_officer_issues_a_numbered_decision_and_serves_it(self):
        case = self.env.ref("hr_enforcement_record.case_contract_demo")
        self.assertEqual((case.name, case.stage), ("ZF2026-00002", "decision"))
        demo = self.env["hr.enforcement.demo"]
        demo._approve(case, "decision", "拟作出行政处罚决定。", "事实清楚，证据充分。", "同意。")
        self.assertTrue(case.date_decided)
        self.start_tour("/odoo", "hr_enforcement_issue_decision_tour", login="lina")
        decision = self.env["hr.enforcement.text.record"].search(
            [("case_id", "=", case.id), ("document_number", "like", "金普人社罚决字")]
        )
        self.assertEqual(len(decision), 1)
        self.assertTrue(decision.sealed)
        service = self.env["hr.enforcement.service"].search([("document_id", "=", decision.id)])
        self.assertEqual(len(service), 1)
        self.authenticate("lina", "lina")
        response = self.url_open(
            f"/report/pdf/hr_enforcement_service.report_service_receipts/{service.id}"
        )
        self.assertEqual(response.status_code, 200)
        with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
            pdf.write(response.content)
            pdf.flush()
            text = subprocess.run(
                ["pdftotext", pdf.name, "-"], capture_output=True, text=True, check=True
            ).stdout
        self.assertIn(decision.document_number, text.replace("\n", ""))
