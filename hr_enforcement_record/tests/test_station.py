import base64
import hashlib
import os
from datetime import datetime, timedelta

import requests

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged

from .test_evidence import EvidenceCase, make_mp4

TUS = {"Tus-Resumable": "1.0.0"}


def encode_metadata(**values):
    return ",".join(
        f"{key} {base64.b64encode(str(value).encode()).decode()}" for key, value in values.items()
    )


@tagged("post_install", "-at_install")
class TestDockingStation(HttpCase, EvidenceCase):
    """Docking stations push their exports without a person at the form (R4.2, R18.2):
    an API key per station, the resumable protocol, the device register and the officer's
    open case or the inbox of unassigned clips."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Station = cls.env["hr.enforcement.station"].with_user(cls.manager)
        cls.station = Station.create({"name": "Station A", "code": "A01"})
        cls.other_station = Station.create({"name": "Station B", "code": "B01"})

    def _key(self, station):
        action = station.with_user(self.manager).action_new_key()
        self.assertEqual(action["res_model"], "res.users.apikeys.show")
        return action["context"]["default_key"]

    def _send(self, method, path, key=None, **kwargs):
        headers = dict(TUS, **kwargs.pop("headers", {}))
        if key:
            headers["Authorization"] = f"Bearer {key}"
        self.env.flush_all()
        # a client of its own: no session cookie, as a station has none
        return requests.request(
            method, self.base_url() + path, headers=headers, timeout=30, **kwargs
        )

    def _create(self, key, data, **metadata):
        values = dict({"filename": "bodycam.mp4", "device": self.device.serial_number}, **metadata)
        return self._send(
            "POST",
            "/hr_enforcement/station/tus",
            key,
            data=b"",
            headers={"Upload-Length": str(len(data)), "Upload-Metadata": encode_metadata(**values)},
        )

    def _push(self, key, data, **metadata):
        """Create an upload and send it in two chunks; the last answer."""
        created = self._create(key, data, **metadata)
        self.assertEqual(created.status_code, 201, created.text)
        location, half = created.headers["Location"], len(data) // 2
        for offset, chunk in ((0, data[:half]), (half, data[half:])):
            answer = self._send(
                "PATCH",
                location,
                key,
                data=chunk,
                headers={
                    "Upload-Offset": str(offset),
                    "Content-Type": "application/offset+octet-stream",
                },
            )
        return answer

    def _video(self, captured):
        return make_mp4(captured) + os.urandom(50_000)

    def _local(self, moment):
        """`moment` (naive UTC) as the station's clock shows it (Asia/Shanghai, no offset)."""
        return (moment + timedelta(hours=8)).isoformat(timespec="seconds")

    def test_r18_2_station_clip_reaches_the_officers_one_open_case(self):
        case = self._open_case(date_received=datetime.now().date() - timedelta(days=3))
        key = self._key(self.station)
        captured = datetime.now().replace(microsecond=0) - timedelta(hours=2)
        data = self._video(captured)
        answer = self._push(
            key,
            data,
            officer=self.cert[self.officer].number,
            capture_start=self._local(captured),
            capture_end=self._local(captured + timedelta(minutes=10)),
            sha256=hashlib.sha256(data).hexdigest(),
        )
        self.assertEqual(answer.status_code, 204, answer.text)
        clip = self.env["hr.enforcement.av.clip"].browse(int(answer.headers["Clip-Id"]))
        record = clip.av_record_id
        self.assertEqual(int(answer.headers["Av-Record-Id"]), record.id)
        self.assertEqual(clip.state, "assigned")
        self.assertEqual(record.case_id, case)
        self.assertEqual(record.device_id, self.device)
        self.assertEqual(record.officer_id, self.officer.employee_id)
        self.assertEqual(record.capture_start, captured, "the station's local time, read in UTC")
        self.assertEqual(record.capture_end, captured + timedelta(minutes=10))
        self.assertEqual(record.file_ids.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(self._stored_bytes(record.file_ids), data)
        self.assertEqual(record.uploaded_at, clip.received_at)
        self.assertFalse(record.upload_late)
        created = self.env["hr.enforcement.event"].search(
            [
                ("case_id", "=", case.id),
                ("event_type", "=", "created"),
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
            ]
        )
        self.assertEqual(created.user_id, self.station.user_id, "the log names the station")

    def test_r18_2_clip_without_one_open_case_waits_for_the_officer(self):
        """Two open cases: the clip waits in the inbox, the officer is asked to assign it;
        lateness runs from the capture to the clip's arrival, not to its assignment."""
        first = self._open_case(date_received=datetime.now().date() - timedelta(days=3))
        self._open_case(date_received=datetime.now().date() - timedelta(days=3))
        key = self._key(self.station)
        captured = datetime.now().replace(microsecond=0) - timedelta(hours=30)
        answer = self._push(key, self._video(captured), capture_start=self._local(captured))
        self.assertEqual(answer.status_code, 204, answer.text)
        self.assertEqual(answer.headers["Av-Record-Id"], "")
        clip = self.env["hr.enforcement.av.clip"].browse(int(answer.headers["Clip-Id"]))
        self.assertEqual(clip.state, "unassigned")
        self.assertIn("2", clip.unassigned_reason)
        self.assertEqual(clip.officer_id, self.officer.employee_id, "the device's holder")
        self.assertEqual(clip.activity_ids.user_id, self.officer)
        # need to know: another officer does not see it
        self.assertFalse(
            self.env["hr.enforcement.av.clip"]
            .with_user(self.officer2)
            .search([("id", "=", clip.id)])
        )
        mine = clip.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "Choose the case"):
            mine.action_assign()
        mine.write({"target_case_id": first.id, "record_name": "Site visit"})
        mine.action_assign()
        record = clip.av_record_id
        self.assertEqual((record.case_id, record.name), (first, "Site visit"))
        self.assertEqual(record.uploaded_at, clip.received_at)
        self.assertTrue(record.upload_late, "captured 30 hours before it arrived (R18.2)")
        self.assertFalse(clip.activity_ids)
        with self.assertRaisesRegex(UserError, "R18.2"):
            mine.write({"target_case_id": False})

    def test_r22_4_a_damaged_clip_is_not_made_evidence(self):
        self._open_case(date_received=datetime.now().date() - timedelta(days=3))
        self._open_case(date_received=datetime.now().date() - timedelta(days=3))
        case = self._open_case(date_received=datetime.now().date() - timedelta(days=3))
        captured = datetime.now().replace(microsecond=0) - timedelta(hours=1)
        answer = self._push(
            self._key(self.station), self._video(captured), capture_start=self._local(captured)
        )
        clip = self.env["hr.enforcement.av.clip"].browse(int(answer.headers["Clip-Id"]))
        path = self.store._full_path(clip.sudo().store_fname)
        os.chmod(path, 0o640)
        with open(path, "r+b") as handle:
            handle.seek(100)
            handle.write(b"XX")
        clip.with_user(self.officer).write({"target_case_id": case.id})
        with self.assertRaisesRegex(UserError, "Altered"):
            clip.with_user(self.officer).action_assign()
        self.assertFalse(self.env["hr.enforcement.av.record"].search([("case_id", "=", case.id)]))

    def test_r22_3_a_stations_key_reaches_only_its_own_uploads(self):
        key, other_key = self._key(self.station), self._key(self.other_station)
        captured = datetime.now().replace(microsecond=0) - timedelta(hours=1)
        data = self._video(captured)
        location = self._create(key, data, capture_start=self._local(captured)).headers["Location"]
        self.assertEqual(self._send("HEAD", location, key).headers["Upload-Offset"], "0")
        self.assertEqual(self._send("HEAD", location, other_key).status_code, 404)
        patch = {"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}
        self.assertEqual(
            self._send("PATCH", location, other_key, data=data, headers=patch).status_code, 404
        )
        self.assertEqual(self._send("HEAD", location, "not-a-key").status_code, 401)
        self.assertEqual(self._send("HEAD", location).status_code, 401, "no key, no session")
        # a person's key is not a station's
        person = (
            self.env["res.users.apikeys"]
            .with_user(self.officer)
            .sudo()
            ._generate(None, "script", None)
        )
        created = self._create(person, data, capture_start=self._local(captured))
        self.assertEqual(created.status_code, 403)
        # the station's account reads nothing over RPC
        with self.assertRaises(AccessError):
            self.env["hr.enforcement.case"].with_user(self.station.user_id).search([])
        # revoked: the key stops at once, the upload is not resumed
        self.station.with_user(self.manager).action_revoke_keys()
        self.assertEqual(self._send("HEAD", location, key).status_code, 401)
        self.other_station.with_user(self.manager).write({"active": False})
        self.assertEqual(
            self._send("HEAD", "/hr_enforcement/station/tus/x", other_key).status_code, 401
        )
        with self.assertRaises(AccessError):
            self.station.with_user(self.officer).action_new_key()

    def test_r4_2_unknown_device_officer_or_time_refused_before_any_byte(self):
        key = self._key(self.station)
        captured = self._local(datetime.now() - timedelta(hours=1))
        data = self._video(datetime.now())
        for metadata, message in (
            ({"device": "NOT-REGISTERED", "capture_start": captured}, "not in the register"),
            ({"officer": "NO-SUCH-CERT", "capture_start": captured}, "NO-SUCH-CERT"),
            ({"capture_start": "yesterday"}, "ISO 8601"),
            ({"capture_start": self._local(datetime.now() + timedelta(hours=2))}, "future"),
            ({}, "capture start"),
            # the register says whose camera it is: not another officer's (R4.2)
            (
                {"officer": self.cert[self.officer2].number, "capture_start": captured},
                "is issued to",
            ),
        ):
            refused = self._create(key, data, **metadata)
            self.assertEqual(refused.status_code, 422, metadata)
            self.assertIn(message, refused.text)
        self.device.active = False
        refused = self._create(key, data, capture_start=captured)
        self.assertEqual((refused.status_code, "retired" in refused.text), (422, True))
