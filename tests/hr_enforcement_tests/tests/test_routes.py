import json
import subprocess
from urllib.parse import quote

import requests

from odoo.tests import HttpCase, tagged

from odoo.addons.hr_enforcement_archive.tests.common import PDF, ArchiveCase
from odoo.addons.hr_enforcement_service.models.hr_enforcement_service_receipt import (
    MAX_RECEIPTS,
)

RECEIPTS = "hr_enforcement_service.report_service_receipts"


@tagged("post_install", "-at_install")
class TestRoutesNeedToKnow(HttpCase, ArchiveCase):
    """The HTTP routes answer 404 to whoever may not read a record — the same as for a
    record that does not exist — and no input makes them answer 500 (R20.1, R22.2)."""

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def test_r20_1_routes_hide_confidential_records(self):
        case, decision = self._served_case()
        clip = self._av_with_file(case)
        service = self._service(case, decision, "direct")
        service.action_issue_receipt()
        case.with_user(self.officer).write({"confidentiality": "work_secret"})
        evidence = clip.file_ids
        urls = [
            f"/hr_enforcement/evidence/{evidence.id}/download",
            f"/hr_enforcement/evidence/{evidence.id}/download?inline=1",
            f"/report/pdf/{RECEIPTS}/{service.id}",
        ]
        for login in ("outsider", "supervisor", "archivist"):
            self.authenticate(login, login)
            for url in urls[:2]:
                self.assertEqual(self._get(url).status_code, 404, f"{url} as {login}")
            # a receipt one may not read is answered as one that does not exist
            missing_receipt = self._get(f"/report/pdf/{RECEIPTS}/{service.id + 1000}")
            refused = self._get(urls[2])
            self.assertNotEqual(refused.status_code, 200, login)
            self.assertEqual(refused.status_code, missing_receipt.status_code, login)
            self.assertNotIn(service.receipt_code, refused.text, login)
            missing = f"/hr_enforcement/evidence/{evidence.id + 1000}/download"
            self.assertEqual(self._get(missing).status_code, 404)
        self.authenticate("officer1", "officer1")
        self.assertEqual(self._get(urls[0]).status_code, 200, "the people on the case open it")

    def test_r19_1_an_approved_request_opens_a_hidden_file_for_its_officer(self):
        """R19.1, R20.1: need-to-know hides a confidential file from an officer who is not
        on the case, except under an approved request that names it; the download event
        names the request by id."""
        case = self._open_case()
        clip = self._av_with_file(case, confidentiality="commercial")
        evidence = clip.file_ids
        request = (
            self.env["hr.enforcement.access.request"]
            .with_user(self.officer2)
            .create(
                {
                    "case_id": case.id,
                    "requester_id": self.party.id,
                    "purpose": "Hearing",
                    "av_record_ids": [(6, 0, clip.ids)],
                    "expiry_date": "2099-01-01",
                }
            )
        )
        url = f"/hr_enforcement/evidence/{evidence.id}/download"
        self.authenticate("officer2", "officer2")
        self.assertEqual(self._get(url).status_code, 404, "hidden without a request")
        self.assertEqual(self._get(f"{url}?access_request={request.id}").status_code, 403)
        self._decide(request)
        response = self._get(f"{url}?access_request={request.id}")
        self.assertEqual(response.status_code, 200)
        event = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "downloaded")]
        )
        self.assertEqual((event.origin_model, event.origin_id), (request._name, request.id))
        self.authenticate("outsider", "outsider")
        self.assertEqual(self._get(f"{url}?access_request={request.id}").status_code, 404)

    def test_r22_2_receipts_report_deduplicates_and_caps_its_input(self):
        """The Print menu's report through Odoo's report route: a repeated id prints once,
        more than a print run is refused with the reason, junk ids print nothing."""
        case, decision = self._served_case()
        service = self._service(case, decision, "direct")
        service.action_issue_receipt()
        self.authenticate("officer1", "officer1")
        repeated = ",".join([str(service.id)] * 15000)
        response = self._get(f"/report/pdf/{RECEIPTS}/{repeated}")
        self.assertEqual(response.status_code, 200)
        pages = subprocess.run(
            ["pdfinfo", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        self.assertRegex(pages, r"Pages:\s+1\n", "one receipt, once")
        many = ",".join(str(service.id + i) for i in range(MAX_RECEIPTS + 1))
        self.assertEqual(self._get(f"/report/pdf/{RECEIPTS}/{many}").status_code, 400)
        self.assertNotEqual(self._get(f"/report/pdf/{RECEIPTS}/x").status_code, 200)

    def test_r22_2_file_names_are_normalised_at_upload(self):
        case = self._open_case()
        record = self._av(case)
        key = (
            self.env["res.users.apikeys"].with_user(self.officer).sudo()._generate(None, "s", None)
        )
        self.authenticate("officer1", "officer1")
        for raw, stored in (
            ("scan\x00.pdf", "scan.pdf"),
            ("line\r\nbreak.pdf", "linebreak.pdf"),
            ("../../etc/笔录.pdf", "_.._etc_笔录.pdf"),
        ):
            url = (
                f"{self.base_url()}/hr_enforcement/evidence/upload/{record._name}/{record.id}"
                f"?filename={quote(raw)}"
            )
            response = requests.post(
                url,
                files={"file": ("upload.pdf", PDF)},
                headers={"Authorization": f"Bearer {key}"},
                timeout=30,
            )
            self.assertEqual(response.status_code, 201, response.text)
            evidence = self.env["hr.enforcement.evidence.file"].browse(
                json.loads(response.text)["id"]
            )
            self.assertEqual(evidence.name, stored)
            download = self._get(f"/hr_enforcement/evidence/{evidence.id}/download")
            self.assertEqual(download.status_code, 200)
            self.assertNotIn("\n", download.headers["Content-Disposition"])

    def test_r20_1_chain_head_export_names_only_the_cases_its_reader_may_read(self):
        """R20.1, R22.3: the export for the verifier carries every case's leaf, but names
        only the cases its reader may read; the verifier takes the names from the dump."""
        case = self._open_case()
        secret = self._open_case(subject="Secret matter")
        secret.with_user(self.officer).write({"confidentiality": "work_secret"})
        self.env.flush_all()
        Head = self.env["hr.enforcement.event.head"]
        head = Head.browse(Head._cron_record_head().id)
        payload = head.with_user(self.supervisor)._export_payload()
        names = {leaf["case_id"]: leaf["case"] for leaf in payload["heads"][-1]["leaves"]}
        self.assertEqual(names[case.id], case.name)
        self.assertIn(secret.id, names, "its leaf is exported")
        self.assertIsNone(names[secret.id])
        self.assertNotIn(secret.name, json.dumps(payload, ensure_ascii=False))

    def test_r20_1_case_file_cover_is_need_to_know(self):
        case = self._ended_case()
        case_file = self._case_file(case)
        case.with_user(self.officer).write({"confidentiality": "work_secret"})
        self.authenticate("outsider", "outsider")
        url = f"/report/pdf/hr_enforcement_archive.report_case_file_cover/{case_file.id}"
        missing = self._get(
            f"/report/pdf/hr_enforcement_archive.report_case_file_cover/{case_file.id + 1000}"
        )
        refused = self._get(url)
        self.assertNotEqual(refused.status_code, 200)
        self.assertEqual(refused.status_code, missing.status_code)
