import base64
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree as ET

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged

from odoo.addons.hr_enforcement_record.tests.tsa_authority import LocalTimestampAuthority
from odoo.addons.hr_enforcement_record.tools import timestamp

from .common import ArchiveCase

BAGIT = Path(sys.executable).with_name("bagit.py")
VERIFIER = Path(get_module_path("hr_enforcement_record")) / "tools" / "verify_heads.py"


@tagged("post_install", "-at_install")
class TestTransferPackage(ArchiveCase):
    """The transfer (移交) of an archived case file as a BagIt package that any archive can
    validate (档案法 第十四条、第十五条、第三十九条; DA/T 70; R18.1, R18.3, R22.3)."""

    def setUp(self):
        super().setUp()
        self.tmp = Path(tempfile.mkdtemp(prefix="hr_enforcement_transfer_test_"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def _archived_file(self):
        case_file = self._case_file(self._ended_case())
        case_file.action_archive_file()
        self.assertTrue(case_file.archived, case_file.last_check_id.failures)
        return case_file

    def _record_head(self):
        """A daily head that saw the case (a later day: today's may exist already)."""
        self.env.flush_all()
        later = fields.Date.context_today(self.env.user) + timedelta(days=30)
        with freeze_time(later):
            return self.env["hr.enforcement.event.head"]._cron_record_head()

    def _transfer(self, case_file, archive="District Archives"):
        wizard = (
            self.env["hr.enforcement.case.file.transfer.wizard"]
            .with_user(self.archivist)
            .create({"case_file_id": case_file.id, "receiving_archive": archive})
        )
        action = wizard.action_transfer()
        if action["type"] != "ir.actions.act_window":
            return action  # the refusal, shown as a notification
        return self.env[action["res_model"]].with_user(self.archivist).browse(action["res_id"])

    def _unpack(self, transfer):
        path = self.tmp / transfer.package_name
        path.write_bytes(base64.b64decode(transfer.sudo().with_context(bin_size=False).package))
        with zipfile.ZipFile(path) as archive:
            archive.extractall(self.tmp / "unpacked")
        return self.tmp / "unpacked" / transfer.case_file_id.archive_number

    def _run(self, *command):
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def test_r18_1_package_validates_with_bagit_and_fails_after_one_byte(self):
        """Done when: the Library of Congress validator accepts the package and rejects it
        once one byte of one file changed; the log in it matches the exported heads."""
        case_file = self._archived_file()
        head = self._record_head()
        transfer = self._transfer(case_file)
        self.assertEqual(transfer.receiving_archive, "District Archives")
        self.assertEqual(transfer.user_id, self.archivist)
        bag = self._unpack(transfer)
        valid = self._run(sys.executable, str(BAGIT), "--validate", str(bag))
        self.assertEqual(valid.returncode, 0, valid.stderr)
        self.assertIn("is valid", valid.stderr)
        for name in ("manifest-sha256.txt", "manifest-sm3.txt", "bag-info.txt"):
            self.assertTrue((bag / name).is_file(), name)
        info = (bag / "bag-info.txt").read_text(encoding="utf-8")
        self.assertIn(f"External-Identifier: {case_file.archive_number}", info)
        # every document is the original as stored at ingest, named in the metadata
        evidence = (
            self.env["hr.enforcement.evidence.file"]
            .sudo()
            .search([("case_id", "=", case_file.case_id.id)])
        )
        documents = sorted((bag / "data" / "documents").iterdir())
        self.assertEqual(len(documents), len(evidence))
        self.assertEqual(transfer.document_count, len(evidence))
        metadata = ET.parse(bag / "data" / "metadata.xml").getroot()
        digests = {node.text for node in metadata.iter("数字摘要") if node.get("算法") == "SHA-256"}
        self.assertEqual(digests, set(evidence.mapped("sha256")))
        self.assertEqual(metadata.find("案卷/档号").text, case_file.archive_number)
        titles = [node.text for node in metadata.iter("题名")]
        self.assertIn("Administrative penalty decision", titles)
        self.assertTrue((bag / "data" / "case_file.pdf").read_bytes().startswith(b"%PDF-"))
        # the case's log in the package matches the exported heads, outside Odoo
        heads = self.tmp / "heads.json"
        heads.write_text(json.dumps(head.sudo()._export_payload()), encoding="utf-8")
        verified = self._run(sys.executable, str(VERIFIER), str(heads), str(bag))
        self.assertEqual(verified.returncode, 0, verified.stdout + verified.stderr)
        self.assertIn("MATCH", verified.stdout)
        # one byte of one document changed: bagit refuses, and names it
        target = documents[0]
        content = bytearray(target.read_bytes())
        content[len(content) // 2] ^= 0x01
        target.write_bytes(bytes(content))
        broken = self._run(sys.executable, str(BAGIT), "--validate", str(bag))
        self.assertNotEqual(broken.returncode, 0)
        self.assertIn(target.name, broken.stderr)
        # an event of the log rewritten: the verifier names the case
        log_path = bag / "data" / "log" / "events.json"
        log = json.loads(log_path.read_text(encoding="utf-8"))
        log["events"][0]["description"] = "rewritten"
        log_path.write_text(json.dumps(log), encoding="utf-8")
        changed = self._run(sys.executable, str(VERIFIER), str(heads), str(bag))
        self.assertEqual(changed.returncode, 1, changed.stdout + changed.stderr)
        self.assertIn(f"CHANGED case {case_file.case_id.name}", changed.stdout)

    def test_r18_1_transfer_is_logged_and_never_rewritten(self):
        case_file = self._archived_file()
        transfer = self._transfer(case_file)
        self.assertTrue(case_file.transferred)
        self.assertEqual(len(transfer.package_sha256), 64)
        self.assertEqual(len(transfer.package_sm3), 64)
        self.assertIn("no time-stamping authority", transfer.tsa_error)
        event = (
            self.env["hr.enforcement.event"]
            .sudo()
            .search([("case_id", "=", case_file.case_id.id)], order="sequence desc", limit=1)
        )
        self.assertEqual((event.res_model, event.res_id), (transfer._name, transfer.id))
        self.assertIn(transfer.package_sha256, event.description)
        self.assertIn("District Archives", event.description)
        for user in (self.archivist, self.env.ref("base.user_admin")):
            with self.assertRaises(UserError):
                transfer.with_user(user).write({"receiving_archive": "Elsewhere"})
            with self.assertRaises(UserError):
                transfer.with_user(user).unlink()
        with self.assertRaises(UserError):
            self.env["hr.enforcement.case.file.transfer"].with_user(self.archivist).create(
                {"case_file_id": case_file.id, "receiving_archive": "Forged"}
            )

    def test_r18_1_no_transfer_before_archiving_or_with_a_damaged_file(self):
        case_file = self._case_file(self._ended_case())
        with self.assertRaisesRegex(UserError, "Only an archived case file"):
            self._transfer(case_file)
        case_file.action_archive_file()
        evidence = (
            self.env["hr.enforcement.evidence.file"]
            .sudo()
            .search([("case_id", "=", case_file.case_id.id)], limit=1)
        )
        path = self.store._full_path(evidence.store_fname)
        with open(path, "r+b") as handle:
            handle.seek(3)
            handle.write(b"X")
        refusal = self._transfer(case_file)
        self.assertEqual(refusal["params"]["type"], "danger")
        self.assertIn(evidence.name, refusal["params"]["message"])
        self.assertFalse(case_file.transfer_ids, "nothing leaves while a check fails")
        # the damage found on an archived (closed) case reaches the people accountable
        alerts = case_file.case_id.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
            )
        )
        self.assertTrue(alerts, "the fixity alert reaches its people on a closed case")

    def test_r22_3_package_digest_is_time_stamped_like_the_heads(self):
        """The package digest is stamped by the heads' RFC 3161 authority (a real openssl ts
        on this machine); the token verifies against the package's SHA-256."""
        authority = LocalTimestampAuthority().start()
        self.addCleanup(authority.stop)
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("hr_enforcement.tsa_url", authority.url)
        params.set_param("hr_enforcement.tsa_certificates", authority.ca_pem)
        transfer = self._transfer(self._archived_file())
        self.assertFalse(transfer.tsa_error)
        self.assertTrue(transfer.tsa_time)
        token = base64.b64decode(transfer.sudo().tsa_token)
        info = timestamp.verify_token(token, transfer.package_sha256, authority.ca_pem)
        self.assertEqual(info.authority, transfer.tsa_authority)
        with self.assertRaises(timestamp.TimestampError):
            timestamp.verify_token(token, "0" * 64, authority.ca_pem)
