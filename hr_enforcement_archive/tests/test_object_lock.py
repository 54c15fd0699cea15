import base64
import io
import zipfile
from datetime import datetime, time, timedelta, timezone

from botocore.exceptions import ClientError

from odoo.tests import tagged

from odoo.addons.hr_enforcement_record.tests.ceph_gateway import CephGateway
from odoo.addons.hr_enforcement_record.tools import object_store

from .common import PDF, ArchiveCase


@tagged("post_install", "-at_install")
class TestObjectLockFollowsTheArchive(ArchiveCase):
    """On the object store, a case file's evidence is kept as long as the archive keeps the
    file and held while its disposal is held (R18.3, R22.4; 档案法 第二十一条), against a real
    Ceph object gateway."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        CephGateway.serve_test_class(cls)

    def _objects(self, case):
        files = self.env["hr.enforcement.evidence.file"].sudo().search([("case_id", "=", case.id)])
        names = {f.store_fname for f in files if object_store.is_stored_there(f.store_fname)}
        self.assertTrue(names)
        return [object_store.parse(name) for name in sorted(names)]

    def _retention(self, key, version):
        answer = self.s3.get_object_retention(Bucket=self.bucket, Key=key, VersionId=version)
        return answer["Retention"]

    def _hold(self, key, version):
        try:
            answer = self.s3.get_object_legal_hold(Bucket=self.bucket, Key=key, VersionId=version)
        except ClientError as error:  # never held: the gateway has no hold to show
            self.assertEqual(
                error.response["Error"]["Code"], "ObjectLockConfigurationNotFoundError"
            )
            return "OFF"
        return answer["LegalHold"]["Status"]

    def test_r18_3_retention_extended_at_archiving_and_held_with_the_disposal_hold(self):
        case = self._ended_case(PDF + b"%locked\n", "decision-scan.pdf")
        case_file = self._case_file(case)
        objects = self._objects(case)
        before = {obj: self._retention(*obj)["RetainUntilDate"] for obj in objects}
        case_file.action_archive_file()
        self.assertTrue(case_file.archived, case_file.last_check_id.failures)
        due = datetime.combine(case_file.disposal_due, time.min, tzinfo=timezone.utc)
        self.assertGreater(due, datetime.now(timezone.utc) + timedelta(days=3653))
        for obj in objects:
            retention = self._retention(*obj)
            self.assertEqual(retention["Mode"], "COMPLIANCE")
            self.assertEqual(retention["RetainUntilDate"], due)
            self.assertGreater(retention["RetainUntilDate"], before[obj])
            self.assertEqual(self._hold(*obj), "OFF")
        case_file.with_user(self.archivist).write(
            {"disposal_hold": True, "disposal_hold_reason": "Litigation pending"}
        )
        self.assertEqual({self._hold(*obj) for obj in objects}, {"ON"})
        case_file.with_user(self.archivist).write({"disposal_hold": False})
        # released only once the release commits: a rolled-back release keeps the hold
        self.assertEqual({self._hold(*obj) for obj in objects}, {"ON"})
        self.env.cr.postcommit.run()
        self.assertEqual({self._hold(*obj) for obj in objects}, {"OFF"})

    def test_r18_3_permanent_files_are_locked_for_good_and_transferred_from_the_store(self):
        line = self.env.ref("hr_enforcement_archive.retention_rule_penalty")
        line.with_user(self.archivist).write({"retention": "permanent"})
        line.with_user(self.archivist).action_confirm()
        data = PDF + b"%permanent\n"
        case = self._ended_case(data, "decision-scan.pdf")
        case_file = self._case_file(case)
        case_file.action_archive_file()
        self.assertTrue(case_file.archived, case_file.last_check_id.failures)
        self.assertFalse(case_file.disposal_due)
        for obj in self._objects(case):
            self.assertEqual(self._retention(*obj)["RetainUntilDate"], object_store.PERMANENT_UNTIL)
        # the transfer package holds the stored originals, read from the store
        wizard = (
            self.env["hr.enforcement.case.file.transfer.wizard"]
            .with_user(self.archivist)
            .create({"case_file_id": case_file.id, "receiving_archive": "District Archives"})
        )
        action = wizard.action_transfer()
        self.assertEqual(action["type"], "ir.actions.act_window", action)
        transfer = self.env[action["res_model"]].sudo().browse(action["res_id"])
        with zipfile.ZipFile(io.BytesIO(base64.b64decode(transfer.package))) as package:
            contents = [package.read(name) for name in package.namelist() if "documents/" in name]
        self.assertIn(data, contents)
