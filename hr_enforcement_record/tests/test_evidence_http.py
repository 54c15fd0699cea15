import gc
import hashlib
import json
import os
import socket
import time

import requests

from odoo import http
from odoo.tests import HttpCase, tagged

from .test_evidence import PDF, EvidenceCase, make_jpeg


@tagged("post_install", "-at_install")
class TestEvidenceUploadRoute(HttpCase, EvidenceCase):
    """The streaming upload and the logged download (R22.2, R22.3, R22.4)."""

    def _post(self, record, data, filename, login="officer1", multipart=True):
        """A script's upload: an API key of the user, the file as multipart form data."""
        user = self.env["res.users"].search([("login", "=", login)])
        key = self.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "script", None)
        url = f"{self.base_url()}/hr_enforcement/evidence/upload/{record._name}/{record.id}"
        kwargs = {"files": {"file": (filename, data)}} if multipart else {"data": data}
        return requests.post(url, headers={"Authorization": f"Bearer {key}"}, timeout=30, **kwargs)

    def test_r22_4_streaming_upload_registers_the_file(self):
        case = self._open_case()
        record = self._av(case)
        photo = make_jpeg(color=(21, 22, 23))
        response = self._post(record, photo, "scene.jpg")
        self.assertEqual(response.status_code, 201, response.text)
        body = json.loads(response.text)
        evidence = self.env["hr.enforcement.evidence.file"].browse(body["id"])
        self.assertEqual(evidence.av_record_id, record)
        self.assertEqual(body["size"], len(photo))
        self.assertEqual(self._stored_bytes(evidence), photo)

    def test_bad_uploads_are_refused_with_nothing_registered(self):
        case = self._open_case()
        record = self._av(case)
        self.assertEqual(self._post(record, PDF, "scene.pdf", multipart=False).status_code, 415)
        response = self._post(record, PDF, "scene.jpg")
        self.assertEqual(response.status_code, 400)
        self.assertIn("scene.jpg", json.loads(response.text)["message"])
        self.assertFalse(record.file_ids)
        self.assertIn(self._post(record, PDF, "scan.pdf", "outsider").status_code, (403, 404))
        # a session alone (a page elsewhere posting a form for a logged-in user) is refused
        self.authenticate("officer1", "officer1")
        forged = self.opener.post(
            f"{self.base_url()}/hr_enforcement/evidence/upload/{record._name}/{record.id}",
            files={"file": ("scan.pdf", PDF)},
            headers={"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"},
            timeout=30,
        )
        self.assertNotEqual(forged.status_code, 201)
        self.assertFalse(record.file_ids)

    def test_r22_3_an_oversized_declared_body_is_refused_at_once(self):
        """A 5 TiB Content-Length on the single-request route is answered 413 in the
        user's language before a byte of the body is read, and the connection is not held
        waiting for it."""
        case = self._open_case()
        record = self._av(case)
        user = self.env["res.users"].search([("login", "=", "officer1")])
        key = self.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "script", None)
        user.lang = "zh_CN"
        self.env.flush_all()
        host, port = self.base_url().split("//")[1].split(":")
        head = (
            f"POST /hr_enforcement/evidence/upload/{record._name}/{record.id} HTTP/1.1\r\n"
            f"Host: {host}:{port}\r\nAuthorization: Bearer {key}\r\n"
            "Content-Type: multipart/form-data; boundary=x\r\n"
            f"Content-Length: {5 * 1024**4}\r\n\r\n--x\r\n"
        )
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(head.encode())
            answer = b""
            while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
                chunk = connection.recv(65536)  # a held connection times out here
                if not chunk:
                    break
                answer += chunk
        status, _sep, rest = answer.partition(b"\r\n")
        self.assertIn(b" 413 ", status)
        body = json.loads(rest.split(b"\r\n\r\n", 1)[1].decode())
        self.assertIn("字节", body["message"], "in the user's language")
        self.assertFalse(record.file_ids)

    def _send_form_head(self, record, data, boundary="hreformboundary"):
        """A connection posting `data` as the form's file part: the request and the part's
        headers sent, the file and the closing boundary still to send."""
        user = self.env["res.users"].search([("login", "=", "officer1")])
        key = self.env["res.users.apikeys"].with_user(user).sudo()._generate(None, "script", None)
        part_head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="scene.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        length = len(part_head) + len(data) + len(f"\r\n--{boundary}--\r\n")
        host, port = self.base_url().split("//")[1].split(":")
        connection = socket.create_connection((host, int(port)), timeout=10)
        connection.sendall(
            (
                f"POST /hr_enforcement/evidence/upload/{record._name}/{record.id} HTTP/1.1\r\n"
                f"Host: {host}:{port}\r\nAuthorization: Bearer {key}\r\n"
                f"Content-Type: multipart/form-data; boundary={boundary}\r\n"
                f"Content-Length: {length}\r\nConnection: close\r\n\r\n"
            ).encode()
            + part_head
        )
        return connection, f"\r\n--{boundary}--\r\n".encode()

    def _new_parts(self, before, at_least=0, timeout=10):
        """The store's temporary files not in `before` once one holds `at_least` bytes (or
        once none is left, with `at_least` None)."""
        tmp_dir = os.path.join(self.env["hr.enforcement.filestore"]._root(), "tmp")
        deadline = time.monotonic() + timeout
        while True:
            names = set(os.listdir(tmp_dir)) - before if os.path.isdir(tmp_dir) else set()
            sizes = [os.path.getsize(os.path.join(tmp_dir, name)) for name in names]
            if (at_least is None and not names) or (
                at_least is not None and any(size >= at_least for size in sizes)
            ):
                return names
            if time.monotonic() > deadline:
                return names
            gc.collect()  # a sink dropped unfinished is removed when collected
            time.sleep(0.02)

    def test_r22_3_the_form_file_is_stored_and_hashed_as_it_arrives(self):
        """werkzeug's form parser writes the file part straight into the evidence store
        while the body is still arriving (never spooled elsewhere, then read again); the
        digests are those of the bytes sent; a body broken off leaves nothing behind."""
        record = self._av(self._open_case())
        data = make_jpeg(color=(24, 25, 26)) + os.urandom(3 * 1024 * 1024)
        tmp_dir = os.path.join(self.env["hr.enforcement.filestore"]._root(), "tmp")
        before = set(os.listdir(tmp_dir)) if os.path.isdir(tmp_dir) else set()
        connection, closing = self._send_form_head(record, data)
        with connection:
            connection.sendall(data[: 2 * 1024 * 1024])
            growing = self._new_parts(before, at_least=1024 * 1024)
            self.assertTrue(growing, "the file is in the store while its body arrives")
            connection.sendall(data[2 * 1024 * 1024 :] + closing)
            answer = b""
            while chunk := connection.recv(65536):
                answer += chunk
        self.assertIn(b" 201 ", answer.split(b"\r\n", 1)[0], answer[:300])
        body = json.loads(answer.split(b"\r\n\r\n", 1)[1].decode())
        evidence = self.env["hr.enforcement.evidence.file"].browse(body["id"])
        self.assertEqual(evidence.sha256, hashlib.sha256(data).hexdigest())
        self.assertEqual(self._stored_bytes(evidence), data)
        self.assertFalse(self._new_parts(before, at_least=None), "no temporary file left")
        # broken off half-way: what arrived is removed, nothing is registered
        connection, _closing = self._send_form_head(record, data)
        with connection:
            connection.sendall(data[: 2 * 1024 * 1024])
            self.assertTrue(self._new_parts(before, at_least=1024 * 1024))
        self.assertFalse(self._new_parts(before, at_least=None), "the part is removed")
        files = self.env["hr.enforcement.evidence.file"].search([("av_record_id", "=", record.id)])
        self.assertEqual(files, evidence, "nothing more registered")

    def test_r22_2_download_is_logged_with_purpose(self):
        case = self._open_case()
        record = self._av(case)
        evidence = self._upload(record, PDF, "scan.pdf")
        self.authenticate("officer2", "officer2")
        response = self.url_open(
            f"/hr_enforcement/evidence/{evidence.id}/download?purpose=Hearing preparation"
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, PDF)
        event = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "downloaded")]
        )
        self.assertEqual(event.purpose, "Hearing preparation")
        self.assertEqual(event.user_id, self.officer2)

    def test_r22_4_damaged_files_are_not_served(self):
        """R22.4: a truncated or missing file is refused with what was registered; the
        refusal records the damage; a manager fetches the bytes for forensic work only
        with a purpose, and that is logged as such."""
        case = self._open_case()
        record = self._av(case)
        photo = make_jpeg(color=(51, 52, 53))
        truncated = self._upload(record, photo, "truncated.jpg")
        missing = self._upload(record, PDF, "missing.pdf")
        path = self.store._full_path(truncated.sudo().store_fname)
        os.chmod(path, 0o640)
        with open(path, "wb") as handle:
            handle.write(photo[: len(photo) // 2])
        os.unlink(self.store._full_path(missing.sudo().store_fname))
        self.authenticate("officer2", "officer2")
        for evidence in (truncated, missing):
            response = self.url_open(f"/hr_enforcement/evidence/{evidence.id}/download")
            self.assertEqual(response.status_code, 409)
            self.assertIn(evidence.sha256, response.text)
            self.assertNotIn(b"\xff\xd8", response.content[:2])
        truncated.invalidate_recordset()
        self.assertEqual(truncated.fixity_state, "altered", "the refusal recorded the damage")
        self.assertEqual(missing.fixity_state, "missing")
        self.assertFalse(
            self.env["hr.enforcement.event"].search(
                [("case_id", "=", case.id), ("event_type", "=", "downloaded")]
            ),
            "nothing was served as evidence",
        )
        url = f"/hr_enforcement/evidence/{truncated.id}/download?forensic=1"
        self.assertEqual(self.url_open(url + "&purpose=x").status_code, 403, "managers only")
        self.authenticate("manager", "manager")
        self.assertEqual(self.url_open(url).status_code, 403, "a purpose is required")
        response = self.url_open(url + "&purpose=Forensic copy for the inquiry")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, photo[: len(photo) // 2])
        event = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "forensic")]
        )
        self.assertEqual(event.purpose, "Forensic copy for the inquiry")

    def test_r22_4_forensic_download_of_missing_or_unreadable_bytes_is_a_clear_page(self):
        """Issue 24, item 13: nothing to fetch is said on a page (not a server error 500)."""
        case = self._open_case()
        record = self._av(case)
        missing = self._upload(record, PDF, "missing.pdf")
        unreadable = self._upload(record, make_jpeg(color=(61, 62, 63)), "unreadable.jpg")
        os.unlink(self.store._full_path(missing.sudo().store_fname))
        path = self.store._full_path(unreadable.sudo().store_fname)
        os.chmod(path, 0o640)
        os.unlink(path)
        os.mkdir(path)  # not a file any more: reading it fails, even as root
        self.authenticate("manager", "manager")
        for evidence in (missing, unreadable):
            url = f"/hr_enforcement/evidence/{evidence.id}/download?forensic=1&purpose=inquiry"
            response = self.url_open(url)
            self.assertEqual(response.status_code, 409, evidence.name)
            self.assertIn("text/html", response.headers["Content-Type"])
            self.assertIn(evidence.sha256, response.text)
            # in the reader's language
            self.assertRegex(response.text, "missing or unreadable|已缺失或无法读取")
        os.rmdir(path)

    def test_r22_4_upload_from_the_form(self):
        """The form's upload button streams the chosen file to the evidence route."""
        case = self._open_case()
        record = self._av(case)
        self.start_tour(
            f"/odoo/action-hr_enforcement_record.hr_enforcement_av_record_action/{record.id}",
            "hr_enforcement_evidence_upload_tour",
            login="officer1",
        )
        self.assertEqual(record.file_ids.name, "tour-scan.pdf")
        self.assertEqual(record.file_ids.mimetype, "application/pdf")

    def test_r18_2_form_upload_resumes_after_a_page_reload(self):
        """The form's button uploads with the resumable protocol: after a reload, choosing the
        same file again goes on from the offset the server holds (the first half it kept is
        the one sent before the reload)."""
        case = self._open_case()
        record = self._av(case)
        self.start_tour(
            f"/odoo/action-hr_enforcement_record.hr_enforcement_av_record_action/{record.id}",
            "hr_enforcement_evidence_resume_tour",
            login="officer1",
        )
        evidence = record.file_ids
        self.assertEqual(evidence.name, "tour-video.pdf")
        stored = self._stored_bytes(evidence)
        body = b"%PDF-1.4\n" + b"0123456789abcdef" * 4096 + b"\n%%EOF\n"
        half = len(body) // 2
        self.assertEqual(len(stored), len(body))
        self.assertEqual(stored[9:half], b"X" * (half - 9), "the first half was not sent again")
        self.assertEqual(stored[half:], body[half:])

    def test_r22_2_view_in_browser_is_logged(self):
        case = self._open_case()
        evidence = self._upload(self._av(case), PDF, "scan.pdf")
        action = evidence.action_view_file()
        self.authenticate("officer2", "officer2")
        response = self.url_open(action["url"])
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("attachment", response.headers.get("Content-Disposition", ""))
        event = self.env["hr.enforcement.event"].search(
            [("case_id", "=", case.id), ("event_type", "=", "viewed")]
        )
        self.assertEqual(event.user_id, self.officer2)


@tagged("post_install", "-at_install")
class TestEventLogReport(HttpCase, EvidenceCase):
    """R22.2, R22.3: the event log is a report in the case's Print menu, drawn without
    wkhtmltopdf, printed by whoever may read the case — read-only supervisors included."""

    def test_r22_2_event_log_printed_by_readers_of_the_case_only(self):
        case = self._open_case()
        action = case.with_user(self.officer).action_print_event_log()
        self.assertEqual(action["type"], "ir.actions.report")
        report = self.env.ref("hr_enforcement_record.action_report_case_event_log")
        self.assertIn(
            report,
            self.env["ir.actions.report"].search(
                [("binding_model_id.model", "=", case._name), ("binding_type", "=", "report")]
            ),
            "in the Print menu of the case",
        )
        url = f"/report/pdf/{action['report_name']}/{case.id}"
        for login in ("officer1", "supervisor"):
            self.authenticate(login, login)
            response = self.url_open(url)
            self.assertEqual(response.status_code, 200, login)
            self.assertEqual(response.headers["Content-Type"], "application/pdf")
            self.assertTrue(response.content.startswith(b"%PDF"))
        # what the web client's handler posts for the Print menu (no wkhtmltopdf involved)
        download = self.url_open(
            "/report/download",
            data={
                "data": json.dumps([url, "qweb-pdf"]),
                "context": "{}",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(download.status_code, 200, download.text[:200])
        self.assertTrue(download.content.startswith(b"%PDF"))
        self.assertIn("attachment", download.headers["Content-Disposition"])
        self.authenticate("outsider", "outsider")
        refused = self.url_open(url)
        self.assertFalse(refused.content.startswith(b"%PDF"), "not for someone off the case")
        self.assertFalse(
            self.url_open("/hr_enforcement/case/999999/event_log").content.startswith(b"%PDF"),
            "the old print route is gone",
        )
