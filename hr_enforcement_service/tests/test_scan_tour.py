from odoo.tests import HttpCase, tagged

from .common import ServiceCase


@tagged("post_install", "-at_install")
class TestReceiptScanTour(HttpCase, ServiceCase):
    """The scanning screen in a browser: a forged code is refused and logged, a printed
    receipt's code opens the return form, the return is registered (R14, R22.2)."""

    def test_scan_screen_registers_a_return(self):
        service = self._printed()
        action = self.env.ref("hr_enforcement_service.hr_enforcement_receipt_scanner_action")
        self.start_tour(
            f"/odoo/action-{action.id}",
            "hr_enforcement_receipt_scan_tour",
            login="officer1",
        )
        self.assertTrue(service.returned)
        self.assertEqual(service.return_signer_name, "Zhou Fang")
        self.assertEqual(service.return_record_id.file_ids.name, "signed-receipt.pdf")
        scans = self.env["hr.enforcement.receipt.scan"].search([], limit=3, order="id desc")
        self.assertEqual(scans.mapped("result")[:2], ["valid", "forged"])
        self.assertEqual(scans[0].user_id, self.officer)

    def test_receipts_report_prints_the_pdf(self):
        service = self._printed()
        self.authenticate("officer1", "officer1")
        url = f"/report/pdf/hr_enforcement_service.report_service_receipts/{service.id}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/pdf")
        self.assertTrue(response.content.startswith(b"%PDF"))
        self.authenticate("outsider", "outsider")
        response = self.url_open(url)
        self.assertNotEqual(response.status_code, 200, "no receipt for who may not read it")
