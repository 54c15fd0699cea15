import base64
import hashlib
import json
import os

from odoo.tests import HttpCase, tagged

from .test_evidence import EvidenceCase, make_jpeg

TUS = {"Tus-Resumable": "1.0.0"}


@tagged("post_install", "-at_install")
class TestResumableUpload(HttpCase, EvidenceCase):
    """tus 1.0 uploads into the evidence store (R18.2, R22.3, R22.4): chunks within the
    workers' limits, resumed at the server's offset, checked, registered at the last byte."""

    def _create(self, record, data, filename="clip.jpg", **headers):
        metadata = f"filename {base64.b64encode(filename.encode()).decode()}"
        return self.opener.post(
            f"{self.base_url()}/hr_enforcement/tus/{record._name}/{record.id}",
            data=b"",
            headers=dict(
                TUS, **{"Upload-Length": str(len(data)), "Upload-Metadata": metadata}, **headers
            ),
            timeout=30,
        )

    def _patch(self, location, chunk, offset, **headers):
        return self.opener.patch(
            self.base_url() + location,
            data=chunk,
            headers=dict(
                TUS,
                **{"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"},
                **headers,
            ),
            timeout=30,
        )

    def _offset(self, location):
        response = self.opener.head(self.base_url() + location, headers=TUS, timeout=30)
        return response.status_code, response.headers.get("Upload-Offset")

    def test_r22_4_upload_resumed_at_the_offset_and_registered_at_the_last_byte(self):
        record = self._av(self._open_case())
        data = make_jpeg(color=(40, 80, 120)) + os.urandom(200_000)
        half = len(data) // 2
        self.authenticate("officer1", "officer1")
        created = self._create(record, data)
        self.assertEqual(created.status_code, 201, created.text)
        location = created.headers["Location"]
        self.assertEqual(self._offset(location), (200, "0"))
        first = self._patch(location, data[:half], 0)
        self.assertEqual((first.status_code, first.headers["Upload-Offset"]), (204, str(half)))
        self.assertFalse(record.file_ids, "nothing is evidence before the last byte")
        # the connection was cut and the client does not know what arrived: it asks
        self.assertEqual(self._offset(location), (200, str(half)))
        wrong_offset = self._patch(location, data[half:], 0)
        self.assertEqual(wrong_offset.status_code, 409)
        bad_sum = base64.b64encode(hashlib.sha256(b"other bytes").digest()).decode()
        refused = self._patch(
            location, data[half:], half, **{"Upload-Checksum": f"sha256 {bad_sum}"}
        )
        self.assertEqual(refused.status_code, 460)
        self.assertEqual(self._offset(location), (200, str(half)), "the bad chunk is dropped")
        good_sum = base64.b64encode(hashlib.sha256(data[half:]).digest()).decode()
        last = self._patch(location, data[half:], half, **{"Upload-Checksum": f"sha256 {good_sum}"})
        self.assertEqual(last.status_code, 204, last.text)
        evidence = self.env["hr.enforcement.evidence.file"].browse(int(last.headers["Evidence-Id"]))
        self.assertEqual(evidence.av_record_id, record)
        self.assertEqual(self._stored_bytes(evidence), data)
        self.assertEqual(evidence.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(self._offset(location)[0], 404, "a finished upload is gone")

    def test_r22_3_every_chunk_is_checked_like_the_creation(self):
        """A record sealed while its file is on the way takes no more chunks, and the upload
        never becomes evidence."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(7, 8, 9))
        self.authenticate("officer1", "officer1")
        location = self._create(record, data).headers["Location"]
        self.assertEqual(self._patch(location, data[:100], 0).status_code, 204)
        record.sudo()._app().write({"sealed": True})
        self.assertEqual(self._patch(location, data[100:], 100).status_code, 403)
        self.assertFalse(record.file_ids)

    def test_r22_3_uploads_are_their_users_and_abandoned_ones_expire(self):
        record = self._av(self._open_case())
        data = make_jpeg(color=(1, 2, 3))
        self.authenticate("officer1", "officer1")
        location = self._create(record, data).headers["Location"]
        self._patch(location, data[:100], 0)
        self.authenticate("officer2", "officer2")
        self.assertEqual(self._offset(location)[0], 404, "another user's upload is not found")
        self.assertEqual(self._patch(location, data[100:], 100).status_code, 404)
        self.authenticate("outsider", "outsider")
        self.assertEqual(self._create(record, data).status_code, 404, "no write on the record")
        # a day later nobody came back: the job removes it, it never became evidence
        token = location.rsplit("/", 1)[1]
        folder = os.path.join(self.env["hr.enforcement.filestore"]._root(), "tus")
        meta_path = os.path.join(folder, f"{token}.json")
        with open(meta_path, encoding="utf-8") as handle:
            meta = json.load(handle)
        meta["expires"] = "2000-01-01T00:00:00+00:00"
        with open(meta_path, "w", encoding="utf-8") as handle:
            json.dump(meta, handle)
        self.assertGreaterEqual(self.env["hr.enforcement.filestore"]._cron_expire_uploads(), 1)
        self.assertFalse(os.path.exists(meta_path))
        self.assertFalse(os.path.exists(os.path.join(folder, f"{token}.part")))
        self.authenticate("officer1", "officer1")
        self.assertEqual(self._offset(location)[0], 404)
        self.assertFalse(record.file_ids)
