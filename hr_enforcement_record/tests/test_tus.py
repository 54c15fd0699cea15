import base64
import fcntl
import hashlib
import io
import json
import os
import time

import requests
from tusclient import client

from odoo.tests import HttpCase, tagged

from ..controllers import tus
from ..tools import upload_hashing, upload_state
from .common import GROUP
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
        # a client that lost the last answer asks again: the result, never a second file
        done = self.opener.head(self.base_url() + location, headers=TUS, timeout=30)
        self.assertEqual(
            (done.status_code, done.headers["Upload-Offset"], done.headers["Evidence-Id"]),
            (200, str(len(data)), str(evidence.id)),
        )
        again = self._patch(location, b"", len(data))
        self.assertEqual((again.status_code, again.headers["Evidence-Id"]), (204, str(evidence.id)))
        self.assertEqual(record.file_ids, evidence, "registered exactly once")

    def _crash_after_last_byte(self, record, data):
        """An upload whose last bytes reached the disk, then its worker died before
        registering it: the state says finishing, nobody holds its lock."""
        location = self._create(record, data).headers["Location"]
        self.assertEqual(self._patch(location, data[:-10], 0).status_code, 204)
        token = location.rsplit("/", 1)[1]
        Store = self.env["hr.enforcement.filestore"]
        meta_path, part_path = upload_state.paths(Store._uploads_dir(), token)
        with open(part_path, "ab") as part:
            part.write(data[-10:])
        upload_state.write(
            meta_path, dict(upload_state.read(meta_path), state=upload_state.FINISHING)
        )
        return location, meta_path, part_path

    def test_r22_3_finishing_answers_423_and_a_dead_finisher_is_taken_up_once(self):
        """While a file is being registered, HEAD and PATCH answer 423 (never the full
        offset of an unregistered file); once its worker is gone the next request
        registers it, exactly once, and the result is answered again."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(90, 91, 92)) + os.urandom(30_000)
        self.authenticate("officer1", "officer1")
        location, _meta_path, part_path = self._crash_after_last_byte(record, data)
        with open(part_path, "rb") as held:  # a worker finishing it right now
            fcntl.flock(held, fcntl.LOCK_EX)
            self.assertEqual(self._offset(location), (423, None))
            self.assertEqual(self._patch(location, b"", len(data)).status_code, 423)
            self.assertFalse(record.file_ids)
        status, offset = self._offset(location)  # the finisher died: this request finishes
        self.assertEqual((status, offset), (200, str(len(data))))
        self.assertEqual(len(record.file_ids), 1)
        self.assertEqual(self._stored_bytes(record.file_ids), data)
        again = self._patch(location, b"", len(data))
        self.assertEqual(
            (again.status_code, again.headers["Evidence-Id"]), (204, str(record.file_ids.id))
        )
        self.assertEqual(len(record.file_ids), 1)

    def test_r22_3_a_complete_upload_left_behind_is_registered_never_dropped(self):
        """The hourly job registers an upload whose bytes are complete but unregistered,
        even past its expiry; a registration that committed before the crash (the state
        not yet written) is found by the upload's token, not made twice."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(60, 61, 62)) + os.urandom(20_000)
        self.authenticate("officer1", "officer1")
        location, meta_path, part_path = self._crash_after_last_byte(record, data)
        meta = upload_state.read(meta_path)
        upload_state.write(meta_path, dict(meta, expires="2000-01-01T00:00:00+00:00"))
        self.assertGreaterEqual(self.env["hr.enforcement.filestore"]._cron_expire_uploads(), 1)
        evidence = record.file_ids
        self.assertEqual(len(evidence), 1)
        self.assertEqual(upload_state.read(meta_path)["result"]["Evidence_Id"], evidence.id)
        # the same upload found complete again (its state lost in a crash): the same file
        with open(part_path, "wb") as part:
            part.write(data)
        upload_state.write(meta_path, dict(meta, state=upload_state.FINISHING))
        status, _offset = self._offset(location)
        self.assertEqual(status, 200)
        self.assertEqual(record.file_ids, evidence, "registered once, whoever finishes it")

    def _follower_of(self, location, offset):
        """The thread hashing the upload at `location`, once it has hashed `offset` bytes."""
        token = location.rsplit("/", 1)[1]
        Store = self.env["hr.enforcement.filestore"]
        _meta_path, part_path = upload_state.paths(Store._uploads_dir(), token)
        follower = upload_hashing._followers.get(part_path)
        self.assertTrue(follower and follower.is_alive(), "a follower hashes the upload")
        deadline = time.monotonic() + 30
        while follower.offset < offset and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual(follower.offset, offset, "every acknowledged byte is hashed")
        return follower, part_path

    def test_r22_3_chunks_are_hashed_as_they_arrive_never_read_again(self):
        """Each acknowledged chunk is hashed (SHA-256 and SM3) while the next ones arrive,
        so the last chunk waits only for its own bytes; what is registered is the digest of
        the bytes received: a byte altered on disk once hashed does not change it, and the
        fixity check then names the stored file altered."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(70, 71, 72)) + os.urandom(3 * 1024 * 1024)
        third = len(data) // 3
        self.authenticate("officer1", "officer1")
        location = self._create(record, data).headers["Location"]
        self.assertEqual(self._patch(location, data[: 2 * third], 0).status_code, 204)
        _follower, part_path = self._follower_of(location, 2 * third)
        with open(part_path, "r+b") as part:  # a shell user alters bytes already received
            part.seek(third)
            part.write(bytes([data[third] ^ 0xFF]))
        last = self._patch(location, data[2 * third :], 2 * third)
        self.assertEqual(last.status_code, 204, last.text)
        evidence = self.env["hr.enforcement.evidence.file"].browse(int(last.headers["Evidence-Id"]))
        self.assertEqual(evidence.sha256, hashlib.sha256(data).hexdigest(), "as received")
        if "sm3" in hashlib.algorithms_available:
            self.assertEqual(evidence.sm3, hashlib.new("sm3", data).hexdigest())
        Store = self.env["hr.enforcement.filestore"]
        self.assertEqual(Store._fixity_of(evidence.store_fname, evidence.sha256), "altered")
        self.assertFalse(
            [path for path in upload_hashing.side_paths(part_path) if os.path.exists(path)],
            "nothing of the hashing is left beside the uploads",
        )

    def test_r22_3_an_upload_whose_follower_stopped_is_hashed_whole_by_another(self):
        """A follower that stops (its worker recycled, its files removed) is replaced at the
        next acknowledged chunk by one that hashes the upload from its first byte."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(73, 74, 75)) + os.urandom(1024 * 1024)
        half = len(data) // 2
        self.authenticate("officer1", "officer1")
        location = self._create(record, data).headers["Location"]
        self.assertEqual(self._patch(location, data[:half], 0).status_code, 204)
        follower, part_path = self._follower_of(location, half)
        acked_path, _claim, _hashed = upload_hashing.side_paths(part_path)
        os.unlink(acked_path)
        follower.join(timeout=30)
        self.assertFalse(follower.is_alive())
        last = self._patch(location, data[half:], half)
        self.assertEqual(last.status_code, 204, last.text)
        evidence = self.env["hr.enforcement.evidence.file"].browse(int(last.headers["Evidence-Id"]))
        self.assertEqual(evidence.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(self._stored_bytes(evidence), data)

    def test_r22_3_protocol_answers(self):
        """tus 1.0 as its clients expect: a version check (412), OPTIONS without a
        session advertising termination, Upload-Expires on every answer, the file type
        refused at creation from its declared name, termination, and a storage failure
        answered in the user's language with nothing left behind."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(3, 4, 5))
        url = f"{self.base_url()}/hr_enforcement/tus/{record._name}/{record.id}"
        options = requests.options(url, timeout=30)  # no session at all
        self.assertEqual(options.status_code, 204)
        self.assertIn("termination", options.headers["Tus-Extension"])
        self.authenticate("officer1", "officer1")
        old = self._create(record, data, **{"Tus-Resumable": "0.2.2"})
        self.assertEqual((old.status_code, old.headers.get("Tus-Version")), (412, "1.0.0"))
        self.assertEqual(self._create(record, data, filename="clip.exe").status_code, 415)
        created = self._create(record, data)
        location = created.headers["Location"]
        self.assertIn("Upload-Expires", created.headers)
        chunk = self._patch(location, data[:50], 0)
        self.assertEqual(chunk.status_code, 204)
        self.assertIn("Upload-Expires", chunk.headers)
        no_version = self.opener.head(self.base_url() + location, timeout=30)
        self.assertEqual(no_version.status_code, 412)
        # the store fails (its part is no longer a file): a clear answer, no HTML 500
        token = location.rsplit("/", 1)[1]
        Store = self.env["hr.enforcement.filestore"]
        _meta_path, part_path = upload_state.paths(Store._uploads_dir(), token)
        tmp_dir = os.path.join(Store._root(), "tmp")
        before = set(os.listdir(tmp_dir)) if os.path.isdir(tmp_dir) else set()
        os.replace(part_path, part_path + ".moved")
        os.mkdir(part_path)
        self.env["res.users"].search([("login", "=", "officer1")]).lang = "zh_CN"
        self.env.flush_all()
        failed = self._patch(location, data[50:], 50)
        self.assertEqual(failed.status_code, 507, failed.text)
        self.assertRegex(failed.text, "[\u4e00-\u9fff]", "in the user's language")
        self.assertNotIn("<html", failed.text.lower())
        after = set(os.listdir(tmp_dir)) if os.path.isdir(tmp_dir) else set()
        self.assertEqual(after, before, "no temporary file left")
        os.rmdir(part_path)
        os.replace(part_path + ".moved", part_path)
        deleted = self.opener.delete(self.base_url() + location, headers=TUS, timeout=30)
        self.assertEqual(deleted.status_code, 204)
        self.assertEqual(self._offset(location)[0], 404)
        self.assertFalse(record.file_ids)

    def test_r22_3_the_official_tus_client_uploads_and_resumes_once(self):
        """tuspy (the tus project's Python client) uploads in chunks against the real
        server; resuming the finished upload sends nothing and registers nothing more."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(5, 6, 7)) + os.urandom(300_000)
        self.authenticate("officer1", "officer1")
        cookie = f"session_id={self.opener.cookies['session_id']}"
        tus = client.TusClient(
            f"{self.base_url()}/hr_enforcement/tus/{record._name}/{record.id}",
            headers={"Cookie": cookie},
        )
        uploader = tus.uploader(
            file_stream=io.BytesIO(data), chunk_size=100_000, metadata={"filename": "scene.jpg"}
        )
        uploader.upload()
        self.assertEqual(len(record.file_ids), 1)
        self.assertEqual(self._stored_bytes(record.file_ids), data)
        resumed = tus.uploader(file_stream=io.BytesIO(data), url=uploader.url, chunk_size=100_000)
        self.assertEqual(resumed.offset, len(data), "the server says it is all there")
        resumed.upload()
        self.assertEqual(len(record.file_ids), 1, "resuming a finished upload adds nothing")

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

    def test_r22_3_access_is_checked_each_minute_while_chunks_flow_and_at_registration(self):
        """The record's access rules, the costly part of a chunk's checks, are evaluated
        again once a minute per worker (the seal at every chunk, above): a user who lost
        the record may send chunks for up to a minute, never more, and the registration
        refuses what the rules no longer allow, whatever the last minute said (R22.3)."""
        record = self._av(self._open_case())
        group = self.env.ref(GROUP % "officer")
        self.authenticate("officer1", "officer1")
        for forgotten in (False, True):
            self.officer.write({"groups_id": [(4, group.id)]})
            data = make_jpeg(color=(11, 12, 13 + forgotten)) + os.urandom(10_000)
            location = self._create(record, data).headers["Location"]
            self.assertEqual(self._patch(location, data[:100], 0).status_code, 204)
            self.officer.write({"groups_id": [(3, group.id)]})  # no longer an officer
            if forgotten:  # a minute later
                for key in list(tus._access_checked):
                    tus._access_checked[key] -= tus.ACCESS_RECHECK_SECONDS
                self.assertEqual(self._patch(location, data[100:], 100).status_code, 403)
            else:
                self.assertEqual(self._patch(location, data[100:200], 100).status_code, 204)
                last = self._patch(location, data[200:], 200)
                self.assertEqual(last.status_code, 403, "the registration refuses it")
                self.assertEqual(self._offset(location)[0], 404, "and forgets the upload")
        self.assertFalse(record.sudo().file_ids)

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
