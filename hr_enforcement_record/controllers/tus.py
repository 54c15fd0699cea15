"""Resumable uploads of evidence files over tus 1.0 (https://tus.io/protocols/resumable-upload):
creation, offset (HEAD), chunks (PATCH with Upload-Offset), the checksum extension and the
expiration of abandoned uploads (R18.2, R22.3, R22.4).

Each chunk is a short request within the workers' time limits; the upload's state lives
beside its bytes in the filestore (a JSON sidecar and a .part file), so any worker resumes
it. The file becomes evidence only when the last byte is in: it is then hashed once, in
full, by the same ingestion as the single-request upload, and registered on its record."""

import base64
import binascii
import fcntl
import hashlib
import json
import logging
import os
import uuid
from datetime import datetime, timedelta, timezone

from werkzeug.exceptions import ClientDisconnected

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..models.hr_enforcement_filestore import clean_filename
from .main import RECORD_MODELS, EvidenceController

_logger = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
EXPIRES_AFTER = timedelta(hours=24)
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
CHUNK = 1024 * 1024


def uploads_dir(env):
    path = os.path.join(env["hr.enforcement.filestore"]._root(), "tus")
    os.makedirs(path, exist_ok=True)
    return path


class TusController(http.Controller):
    def _headers(self, **extra):
        headers = {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store"}
        headers.update({key.replace("_", "-"): str(value) for key, value in extra.items()})
        return list(headers.items())

    def _answer(self, status, body="", **headers):
        return request.make_response(body, headers=self._headers(**headers), status=status)

    def _paths(self, token):
        if not token or not all(char in "0123456789abcdef" for char in token):
            return None, None
        base = os.path.join(uploads_dir(request.env), token)
        return base + ".json", base + ".part"

    def _session(self, token):
        """The upload `token` of the current user, or None (another user's answers alike)."""
        meta_path, part_path = self._paths(token)
        if not meta_path or not os.path.isfile(meta_path):
            return None, None
        with open(meta_path, encoding="utf-8") as handle:
            meta = json.load(handle)
        if meta["uid"] != request.env.uid:
            return None, None
        if datetime.fromisoformat(meta["expires"]) <= datetime.now(timezone.utc):
            self._discard(token)  # abandoned: it never becomes evidence
            return None, None
        return meta, part_path

    @http.route(
        "/hr_enforcement/tus/<string:model>/<int:record_id>",
        type="http",
        auth="user",
        methods=["POST", "OPTIONS"],
        csrf=False,  # no browser sends Upload-Length cross-site without a CORS preflight
    )
    def create_upload(self, model, record_id, **kwargs):
        """Creation: Upload-Length and the file name in Upload-Metadata (`filename`)."""
        httprequest = request.httprequest
        if httprequest.method == "OPTIONS":
            return self._answer(
                204,
                Tus_Version=TUS_VERSION,
                Tus_Extension="creation,checksum,expiration",
                Tus_Checksum_Algorithm=",".join(CHECKSUMS),
                Tus_Max_Size=request.env["hr.enforcement.filestore"]._max_bytes(),
            )
        if model not in RECORD_MODELS:
            return self._answer(404)
        try:
            length = int(httprequest.headers.get("Upload-Length", ""))
        except ValueError:
            return self._answer(400, _("Upload-Length is missing."))
        metadata = self._metadata(httprequest.headers.get("Upload-Metadata", ""))
        filename = clean_filename(metadata.get("filename") or "")
        if not filename or length <= 0:
            return self._answer(400, _("The file name and a positive length are required."))
        if length > request.env["hr.enforcement.filestore"]._max_bytes():
            return self._answer(413, _("The file is larger than the limit."))
        refused = self._refused(model, record_id)
        if refused:
            return refused
        token = uuid.uuid4().hex
        expires = datetime.now(timezone.utc) + EXPIRES_AFTER
        meta_path, part_path = self._paths(token)
        open(part_path, "wb").close()
        with open(meta_path, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "uid": request.env.uid,
                    "model": model,
                    "record_id": record_id,
                    "filename": filename,
                    "length": length,
                    "expires": expires.isoformat(),
                    "sha256": metadata.get("sha256"),
                },
                handle,
            )
        return self._answer(
            201,
            Location=f"/hr_enforcement/tus/upload/{token}",
            Upload_Expires=expires.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        )

    def _refused(self, model, record_id):
        """The answer refusing a file for the record, or None when the user may add one:
        the record readable (404 alike for unknown ones), writable, still taking files
        (not sealed, its case not archived)."""
        record = request.env[model].search([("id", "=", record_id)])
        if not record:
            return self._answer(404)
        try:
            record.check_access("write")
            record._check_can_add_file()
        except (AccessError, UserError) as error:
            return self._answer(403, error.args[0])
        return None

    @staticmethod
    def _metadata(header):
        """tus Upload-Metadata: comma-separated `key base64value` pairs."""
        values = {}
        for pair in filter(None, (part.strip() for part in header.split(","))):
            key, _sep, encoded = pair.partition(" ")
            try:
                values[key] = base64.b64decode(encoded, validate=True).decode() if encoded else ""
            except (binascii.Error, UnicodeDecodeError):
                continue
        return values

    @http.route(
        "/hr_enforcement/tus/upload/<string:token>",
        type="http",
        auth="user",
        methods=["HEAD", "PATCH", "DELETE"],
        csrf=False,  # application/offset+octet-stream needs a CORS preflight cross-site
    )
    def upload(self, token, **kwargs):
        meta, part_path = self._session(token)
        if not meta:
            return self._answer(404)
        method = request.httprequest.method
        if method == "HEAD":
            return self._answer(
                200, Upload_Offset=os.path.getsize(part_path), Upload_Length=meta["length"]
            )
        if method == "DELETE":
            self._discard(token)
            return self._answer(204)
        return self._patch(token, meta, part_path)

    def _patch(self, token, meta, part_path):
        httprequest = request.httprequest
        if httprequest.mimetype != "application/offset+octet-stream":
            return self._answer(415)
        # every chunk is checked as the creation was
        refused = self._refused(meta["model"], meta["record_id"])
        if refused:
            return refused
        checksum = self._checksum(httprequest.headers.get("Upload-Checksum"))
        if checksum is False:
            return self._answer(400, _("Unsupported checksum algorithm."))
        with open(part_path, "r+b") as part:
            try:
                fcntl.flock(part, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return self._answer(409, _("Another request is writing this upload."))
            offset = part.seek(0, os.SEEK_END)
            if httprequest.headers.get("Upload-Offset") != str(offset):
                return self._answer(409, Upload_Offset=offset)
            written = self._append(part, meta["length"] - offset, checksum)
            if written is None:  # broken off or checksum mismatch: the chunk is dropped
                part.truncate(offset)
                status = 460 if checksum else 400
                return self._answer(status, Upload_Offset=offset)
            offset += written
        if offset < meta["length"]:
            return self._answer(204, Upload_Offset=offset)
        return self._complete(token, meta, part_path, offset)

    @staticmethod
    def _checksum(header):
        """(algorithm's hash object, expected digest) of Upload-Checksum, None without one,
        False when the algorithm is not supported."""
        if not header:
            return None
        name, _sep, encoded = header.partition(" ")
        if name not in CHECKSUMS:
            return False
        try:
            return CHECKSUMS[name](), base64.b64decode(encoded)
        except binascii.Error:
            return False

    def _append(self, part, room, checksum):
        """Append the request body (at most `room` bytes) to `part`; the number of bytes
        written, or None when the client broke off or the chunk's checksum differs."""
        stream = EvidenceController._body_stream()
        written = 0
        try:
            while True:
                block = stream.read(min(CHUNK, room - written + 1))
                if not block:
                    break
                written += len(block)
                if written > room:
                    return None
                if checksum:
                    checksum[0].update(block)
                part.write(block)
        except ClientDisconnected:
            part.flush()
            return None
        if checksum and checksum[0].digest() != checksum[1]:
            return None
        part.flush()
        os.fsync(part.fileno())
        return written

    def _complete(self, token, meta, part_path, offset):
        """The last byte is in: hash and register the file as evidence of its record."""
        try:
            with open(part_path, "rb") as stream:
                facts = request.env["hr.enforcement.filestore"]._ingest(
                    stream, meta["filename"], offset
                )
            if meta.get("sha256") and meta["sha256"].lower() != facts["sha256"]:
                self._discard(token)
                return self._answer(460, _("The file does not match the SHA-256 announced."))
            request.env.cr.rollback()
            evidence_id = EvidenceController._register(
                meta["model"], meta["record_id"], facts, meta["filename"]
            )
        except (UserError, AccessError) as error:
            request.env.cr.rollback()
            self._discard(token)
            return self._answer(403 if isinstance(error, AccessError) else 400, error.args[0])
        self._discard(token)
        return self._answer(204, Upload_Offset=offset, Evidence_Id=evidence_id)

    def _discard(self, token):
        for path in self._paths(token):
            if path and os.path.exists(path):
                os.unlink(path)
