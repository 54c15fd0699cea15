import hashlib
import io
import os
from datetime import datetime, timedelta, timezone

import requests
from botocore.exceptions import ClientError
from tusclient import client
from tusclient.exceptions import TusCommunicationError

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..tools import object_store, upload_hashing
from .ceph_gateway import CephGateway
from .test_evidence import PDF, EvidenceCase, make_jpeg, make_mp4
from .test_station import encode_metadata


@tagged("post_install", "-at_install")
class TestObjectStore(HttpCase, EvidenceCase):
    """Evidence on a real Ceph object gateway under S3 Object Lock: nothing a shell user or
    the store's own credentials can delete or shorten, every replacement named (R22.3,
    R22.4)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        CephGateway.serve_test_class(cls)

    def _object(self, evidence):
        return object_store.parse(evidence.sudo().store_fname)

    def _stored_file(self, data=None, name="scene.jpg"):
        case = self._open_case()
        record = self._av(case)
        return self._upload(record, data or make_jpeg(color=(9, 8, 7)), name)

    def test_r22_4_a_bucket_without_object_lock_is_refused_at_configuration(self):
        params = self.env["ir.config_parameter"].sudo()
        for bucket, words in (
            (self.ceph.new_bucket(object_lock=False), "versions"),
            (self.ceph.new_bucket(object_lock=False, versioning=True), "Object Lock"),
            ("no-such-bucket", "does not exist"),
        ):
            with self.assertRaises(UserError) as refused:
                params.set_param("hr_enforcement.object_store_bucket", bucket)
            self.assertIn(words, refused.exception.args[0])
        self.env.registry.clear_cache()  # a request's rollback clears what it cached
        self.assertEqual(params.get_param("hr_enforcement.object_store_bucket"), self.bucket)

    def test_r22_4_evidence_is_a_locked_version_the_store_credentials_cannot_remove(self):
        photo = make_jpeg(color=(1, 2, 3))
        evidence = self._stored_file(photo)
        key, version = self._object(evidence)
        self.assertTrue(evidence.sudo().store_fname.startswith("s3:evidence/"))
        self.assertEqual(self._stored_bytes(evidence), photo)
        retention = self.s3.get_object_retention(Bucket=self.bucket, Key=key, VersionId=version)
        self.assertEqual(retention["Retention"]["Mode"], "COMPLIANCE")
        self.assertGreater(
            retention["Retention"]["RetainUntilDate"],
            datetime.now(timezone.utc) + timedelta(days=3650),
        )
        # the store's own keys (those Odoo holds): no delete, no bypass, no shorter lock
        attempts = {
            "delete": lambda: self.s3.delete_object(Bucket=self.bucket, Key=key, VersionId=version),
            "bypass": lambda: self.s3.delete_object(
                Bucket=self.bucket, Key=key, VersionId=version, BypassGovernanceRetention=True
            ),
            "shorten": lambda: self.s3.put_object_retention(
                Bucket=self.bucket,
                Key=key,
                VersionId=version,
                Retention={
                    "Mode": "COMPLIANCE",
                    "RetainUntilDate": datetime.now(timezone.utc) + timedelta(days=1),
                },
            ),
        }
        for name, attempt in attempts.items():
            with self.assertRaises(ClientError, msg=name) as refused:
                attempt()
            self.assertEqual(refused.exception.response["Error"]["Code"], "AccessDenied", name)
        # and as the Odoo user: the record and its place never change
        with self.assertRaises(UserError):
            evidence.with_user(self.officer).unlink()
        with self.assertRaises(UserError):
            evidence.sudo().write({"store_fname": "s3:evidence/other@1"})
        self.assertEqual(self._stored_bytes(evidence), photo)

    def test_r22_4_fixity_names_a_replaced_version_a_deleted_key_and_a_missing_version(self):
        replaced = self._stored_file(make_jpeg(color=(11, 12, 13)))
        deleted = self._stored_file(make_jpeg(color=(14, 15, 16)))
        missing = self._stored_file(make_jpeg(color=(17, 18, 19)))
        intact = self._stored_file(make_jpeg(color=(20, 21, 22)))
        original = self._stored_bytes(replaced)
        key, _version = self._object(replaced)
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"\xff\xd8\xffforged")
        key, _version = self._object(deleted)
        self.s3.delete_object(Bucket=self.bucket, Key=key)  # a delete marker, nothing lost
        key, _version = self._object(missing)
        self.env.cr.execute(
            SQL(
                "UPDATE hr_enforcement_evidence_file SET store_fname = %s WHERE id = %s",
                object_store.location(key, "no-such-version"),
                missing.id,
            )
        )
        missing.invalidate_recordset()
        files = replaced | deleted | missing | intact
        broken = files._verify()
        self.assertEqual(broken, replaced | deleted | missing)
        self.assertEqual(replaced.fixity_state, "altered")
        self.assertEqual(deleted.fixity_state, "altered")
        self.assertEqual(missing.fixity_state, "missing")
        self.assertEqual(intact.fixity_state, "ok")
        # the registered version is still what the store holds for the court
        self.assertEqual(self._stored_bytes(replaced), original)
        events = self.env["hr.enforcement.event"].search(
            [("case_id", "=", replaced.case_id.id), ("event_type", "=", "verified")]
        )
        self.assertTrue(events)
        kind = self.env.ref("hr_enforcement_record.mail_activity_type_fixity")
        alerts = replaced.case_id.activity_ids.filtered(lambda a: a.activity_type_id == kind)
        self.assertIn(replaced._alert_ref(), " ".join(alerts.mapped("summary")))

    def test_r22_2_download_streams_the_registered_version(self):
        data = PDF + b"%" + b"x" * (3 * 1024 * 1024) + b"\n%%EOF\n"
        case = self._open_case()
        record = self._text(case)
        evidence = self._upload(record, data, "scan.pdf")
        self.authenticate("officer1", "officer1")
        response = self.url_open(f"/hr_enforcement/evidence/{evidence.id}/download")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, data)
        self.assertEqual(response.headers["Content-Length"], str(len(data)))
        self.assertIn("attachment", response.headers["Content-Disposition"])
        key, _version = self._object(evidence)
        self.s3.put_object(Bucket=self.bucket, Key=key, Body=b"%PDF-forged")
        refused = self.url_open(f"/hr_enforcement/evidence/{evidence.id}/download")
        self.assertEqual(refused.status_code, 409)
        self.assertEqual(evidence.fixity_state, "altered")

    def test_r18_2_capture_time_read_from_the_stored_object(self):
        captured = datetime(2026, 11, 30, 1, 15, 0)
        case = self._open_case()
        record = self._av(case, media_type="video")
        self._upload(record, make_mp4(captured), "clip.mp4")
        self.assertEqual(record.capture_start, captured)
        self.assertEqual(record.capture_time_source, "metadata")

    def test_r22_4_large_file_sent_in_parts_and_hashed_once(self):
        data = PDF + bytes(range(256)) * (70 * 1024)  # about 17.5 MiB: three parts
        case = self._open_case()
        evidence = self._upload(self._text(case), data, "bundle.pdf")
        self.assertEqual(evidence.file_size, len(data))
        self.assertEqual(self._stored_bytes(evidence), data)
        with self.env["hr.enforcement.filestore"]._open(evidence.sudo().store_fname) as handle:
            handle.seek(len(data) - 10)
            self.assertEqual(handle.read(), data[-10:])

    def test_r22_4_filestore_evidence_moves_to_the_store_rechecked(self):
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("hr_enforcement.object_store_endpoint", "")
        kept = self._stored_file(make_jpeg(color=(31, 32, 33)))
        damaged = self._stored_file(make_jpeg(color=(34, 35, 36)))
        self.assertFalse(object_store.is_stored_there(kept.sudo().store_fname))
        path = self.store._full_path(damaged.sudo().store_fname)
        os.chmod(path, 0o640)
        with open(path, "r+b") as handle:
            handle.truncate(100)
        params.set_param("hr_enforcement.object_store_endpoint", self.ceph.endpoint)
        Store = self.env["hr.enforcement.object.store"]
        moved, failed, _remaining = Store._cron_move_to_object_store(batch_size=500)
        self.assertGreaterEqual(moved, 1)
        self.assertEqual(failed, 1)
        # the damaged file stays, recorded and alerted as the fixity check does it
        self.assertEqual(damaged.fixity_state, "altered")
        self.assertFalse(object_store.is_stored_there(damaged.sudo().store_fname))
        kept.invalidate_recordset()
        self.assertTrue(object_store.is_stored_there(kept.sudo().store_fname))
        self.assertEqual(kept._verify(), kept.browse())
        events = self.env["hr.enforcement.event"].search(
            [("case_id", "=", kept.case_id.id), ("description", "like", "object store")]
        )
        self.assertTrue(events)
        # nothing left to move; the damaged file is not retried until found intact again
        self.assertEqual(Store._cron_move_to_object_store(batch_size=500)[:2], (0, 0))

    def test_r22_4_store_down_is_named_not_a_crash(self):
        evidence = self._stored_file(make_jpeg(color=(41, 42, 43)))
        params = self.env["ir.config_parameter"].sudo()
        # the gateway unreachable (a port nothing listens on): an upload fails cleanly
        # and the check of a stored file says "unreadable"
        self.env.cr.execute(
            SQL(
                "UPDATE ir_config_parameter SET value = %s WHERE key = %s",
                "http://127.0.0.1:9",
                "hr_enforcement.object_store_endpoint",
            )
        )
        params.env.registry.clear_cache()
        self.assertEqual(
            self.store._fixity_of(evidence.sudo().store_fname, evidence.sha256), "unreadable"
        )
        record = self._av(evidence.case_id)
        with self.assertRaises(OSError):
            self._upload(record, make_jpeg(color=(1, 1, 1)), "b.jpg")
        self.assertFalse(record.file_ids)
        # a script's single request is answered 507 with the reason, never an HTML 500
        key = (
            self.env["res.users.apikeys"].with_user(self.officer).sudo()._generate(None, "s", None)
        )
        self.env.flush_all()
        answer = requests.post(
            f"{self.base_url()}/hr_enforcement/evidence/upload/{record._name}/{record.id}",
            files={"file": ("c.jpg", make_jpeg(color=(2, 2, 2)))},
            headers={"Authorization": f"Bearer {key}"},
            timeout=120,
        )
        self.assertEqual(answer.status_code, 507, answer.text)
        self.assertIn("object store unreachable", answer.json()["message"])
        self.assertFalse(record.file_ids)

    # ------------------------------------------------------------------ resumable uploads
    def _tus(self, record):
        self.authenticate("officer1", "officer1")
        cookie = f"session_id={self.opener.cookies['session_id']}"
        return client.TusClient(
            f"{self.base_url()}/hr_enforcement/tus/{record._name}/{record.id}",
            headers={"Cookie": cookie},
        )

    def _rows(self, token=None):
        self.env.cr.execute(
            SQL(
                "SELECT token, state, upload_offset, length(tail), jsonb_array_length(parts) "
                "FROM hr_enforcement_store_upload %s",
                SQL("WHERE token = %s", token) if token else SQL(""),
            )
        )
        return self.env.cr.fetchall()

    def test_r22_3_tus_chunks_go_to_the_store_with_their_state_in_the_database(self):
        """The official tus client (tuspy) uploads 13 MiB in 3 MiB chunks: chunks below S3's
        5 MiB part wait in the upload's row, parts go to the store, no upload state is kept
        on this node's disk, and the file is registered once at the last byte."""
        record = self._av(self._open_case(), media_type="video")
        data = make_mp4(datetime(2026, 11, 30, 1, 0, 0)) + os.urandom(13 * 1024 * 1024)
        tus_dir = self.store._uploads_dir()
        before = set(os.listdir(tus_dir))
        uploader = self._tus(record).uploader(
            file_stream=io.BytesIO(data), chunk_size=3 * 1024 * 1024, metadata={"filename": "a.mp4"}
        )
        uploader.upload_chunk()
        token = uploader.url.rsplit("/", 1)[1]
        self.assertEqual(
            self._rows(token), [(token, "receiving", 3 * 1024 * 1024, 3 * 1024 * 1024, 0)]
        )
        uploader.upload_chunk()  # 6 MiB: one part sent, nothing waits
        self.assertEqual(self._rows(token)[0][2:], (6 * 1024 * 1024, 0, 1))
        self.assertFalse(record.file_ids, "nothing is evidence before the last byte")
        # the client lost track: it asks the server where to resume, then finishes
        resumed = self._tus(record).uploader(
            file_stream=io.BytesIO(data), url=uploader.url, chunk_size=3 * 1024 * 1024
        )
        self.assertEqual(resumed.offset, 6 * 1024 * 1024)
        resumed.upload()
        self.assertEqual(set(os.listdir(tus_dir)), before, "no byte on this node's disk")
        evidence = record.file_ids
        self.assertEqual(len(evidence), 1)
        self.assertTrue(object_store.is_stored_there(evidence.sudo().store_fname))
        self.assertEqual(self._stored_bytes(evidence), data)
        self.assertEqual(evidence.sha256, hashlib.sha256(data).hexdigest())
        key, version = self._object(evidence)
        retention = self.s3.get_object_retention(Bucket=self.bucket, Key=key, VersionId=version)
        self.assertEqual(retention["Retention"]["Mode"], "COMPLIANCE")
        self.assertEqual(self._rows(token)[0][1], "finished")
        again = self._tus(record).uploader(file_stream=io.BytesIO(data), url=uploader.url)
        self.assertEqual(again.offset, len(data), "the server says it is all there")
        again.upload()
        self.assertEqual(len(record.file_ids), 1, "resuming a finished upload adds nothing")

    def test_r22_3_store_chunks_are_hashed_as_they_arrive_never_read_back(self):
        """The node taking an upload's chunks hashes them as they arrive, from a copy on
        its own disk (R22.3): the gateway serves no more of the object back than the MP4
        header that registration reads for the capture time (R18.2), the digests are those
        of the file sent (the object's own), and the copy is gone once registered. A chunk
        whose request failed after copying it (never committed, sent again) is never
        hashed. A node that missed a chunk (another node took it, perhaps the very chunk
        this node had copied before its request failed) or lost its copy reads the object
        back once instead."""
        record = self._av(self._open_case(), media_type="video")
        Uploads = self.env["hr.enforcement.store.upload"]
        chunk = 3 * 1024 * 1024
        scenarios = ("intact", "failed chunk", "lost copy", "chunk taken by another node")
        for scenario in scenarios:
            lost_copy = scenario in ("lost copy", "chunk taken by another node")
            data = make_mp4(datetime(2026, 12, 1, 2, 0, 0)) + os.urandom(13 * 1024 * 1024)
            uploader = self._tus(record).uploader(
                file_stream=io.BytesIO(data), chunk_size=chunk, metadata={"filename": "b.mp4"}
            )
            uploader.upload_chunk()
            uploader.upload_chunk()
            copy = Uploads._copy_path(uploader.url.rsplit("/", 1)[1])
            acked, _claim, hashed = upload_hashing.side_paths(copy)
            self.assertEqual(os.path.getsize(copy), 2 * chunk)
            # the first chunk, committed before the second took the upload's lock
            self.assertEqual(os.path.getsize(acked), chunk)
            if scenario == "lost copy":
                os.unlink(copy)
            if scenario == "chunk taken by another node":
                # this node copied chunk 3, its request failed; another node took chunk 3
                # (other bytes, committed there): the copy here is as long, not the same
                uploader.upload_chunk()
                with open(copy, "r+b") as handle:
                    handle.seek(2 * chunk)
                    handle.write(os.urandom(chunk))
                self.env.cr.execute(
                    "UPDATE hr_enforcement_store_upload SET copier = 'another node' "
                    "WHERE token = %s",
                    [uploader.url.rsplit("/", 1)[1]],
                )
            if scenario == "failed chunk":  # copied, then its request died uncommitted
                token = uploader.url.rsplit("/", 1)[1]
                too_long = os.urandom(len(data) - 2 * chunk + 1000)
                Uploads._copy_chunk(Uploads._get(token), too_long)
                self.assertEqual(os.path.getsize(copy), len(data) + 1000)
            served = self.ceph.bytes_served()
            uploader.upload()
            read_back = self.ceph.bytes_served() - served
            if lost_copy:
                self.assertGreater(read_back, len(data) - 1024 * 1024, "read back once")
            else:  # what registration reads: the MP4 header, for the capture time (R18.2)
                self.assertLessEqual(read_back, 1024 * 1024)
            sha256 = hashlib.sha256(data).hexdigest()
            self.env.invalidate_all()  # registered by the server's request
            evidence = record.file_ids.filtered(lambda f, digest=sha256: f.sha256 == digest)
            self.assertEqual(len(evidence), 1)
            self.assertEqual(evidence.sm3, hashlib.new("sm3", data).hexdigest())
            for path in (copy, acked, hashed):
                self.assertFalse(os.path.exists(path), path)
            self.assertEqual(self._stored_bytes(evidence), data)
            self.assertFalse(evidence._verify(), "the object is the file hashed")
            self.assertEqual(evidence.fixity_state, "ok")

    def test_r22_3_a_complete_upload_left_by_a_dead_node_is_finished_once(self):
        """A node that died after completing the object on the store but before registering
        it: the next request (or the hourly job) finishes it, once; a forged file announced
        with another SHA-256 never becomes evidence and leaves nothing on the store."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(71, 72, 73))
        Uploads = self.env["hr.enforcement.store.upload"]
        tus = self._tus(record)
        uploader = tus.uploader(file_stream=io.BytesIO(data), metadata={"filename": "x.jpg"})
        uploader.set_url(uploader.create_url())
        token = uploader.url.rsplit("/", 1)[1]
        # what the dead node had done: every byte on the store, the row marked complete
        row = Uploads._get(token, lock=True)
        Uploads._append(row, data)
        self.assertEqual(self._rows(token)[0][1], "complete")
        self.assertEqual(Uploads._cron_expire(), 1)
        self.assertEqual(len(record.file_ids), 1)
        self.assertEqual(self._rows(token)[0][1], "finished")
        self.assertEqual(Uploads._cron_expire(), 0, "finished: nothing more to do")
        self.assertEqual(len(record.file_ids), 1)
        # an upload that is not the file it announced
        forged = tus.uploader(
            file_stream=io.BytesIO(data[:-1] + b"\x00"),
            metadata={"filename": "y.jpg", "sha256": hashlib.sha256(data).hexdigest()},
        )
        with self.assertRaises(TusCommunicationError) as refused:
            forged.upload()
        self.assertEqual(refused.exception.status_code, 460)
        self.assertEqual(self._rows(forged.url.rsplit("/", 1)[1]), [])
        self.assertEqual(len(record.file_ids), 1)

    def test_r18_2_a_docking_station_uploads_onto_the_store_the_same_way(self):
        """A station's clip (API key, tus) lands on the store like a form upload: parts on
        the store, state in the database, hashed and registered once, its case reached."""
        case = self._open_case(date_received=datetime.now().date() - timedelta(days=3))
        station = (
            self.env["hr.enforcement.station"]
            .with_user(self.manager)
            .create({"name": "Station S3", "code": "S301"})
        )
        key = station.with_user(self.manager).action_new_key()["context"]["default_key"]
        captured = datetime.now().replace(microsecond=0) - timedelta(hours=2)
        data = make_mp4(captured) + os.urandom(6 * 1024 * 1024)
        local = (captured + timedelta(hours=8)).isoformat(timespec="seconds")
        headers = {"Tus-Resumable": "1.0.0", "Authorization": f"Bearer {key}"}
        self.env.flush_all()
        created = requests.post(
            f"{self.base_url()}/hr_enforcement/station/tus",
            data=b"",
            headers=dict(
                headers,
                **{
                    "Upload-Length": str(len(data)),
                    "Upload-Metadata": encode_metadata(
                        filename="bodycam.mp4",
                        device=self.device.serial_number,
                        officer=self.cert[self.officer].number,
                        capture_start=local,
                    ),
                },
            ),
            timeout=30,
        )
        self.assertEqual(created.status_code, 201, created.text)
        token = created.headers["Location"].rsplit("/", 1)[1]
        self.assertEqual(self._rows(token)[0][1], "receiving")
        half = 5 * 1024 * 1024
        for offset, chunk in ((0, data[:half]), (half, data[half:])):
            answer = requests.patch(
                self.base_url() + created.headers["Location"],
                data=chunk,
                headers=dict(
                    headers,
                    **{
                        "Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream",
                    },
                ),
                timeout=60,
            )
        self.assertEqual(answer.status_code, 204, answer.text)
        clip = self.env["hr.enforcement.av.clip"].browse(int(answer.headers["Clip-Id"]))
        self.assertTrue(object_store.is_stored_there(clip.sudo().store_fname))
        self.assertEqual(clip.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(clip.av_record_id.case_id, case)
        self.assertEqual(self._stored_bytes(clip.av_record_id.file_ids), data)
