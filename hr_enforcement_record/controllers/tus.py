"""Resumable uploads of evidence files over tus 1.0 (https://tus.io/protocols/resumable-upload):
creation, offset (HEAD), chunks (PATCH with Upload-Offset), the checksum extension and the
expiration of abandoned uploads (R18.2, R22.3, R22.4).

Each chunk is a short request within the workers' time limits; the upload's state lives
beside its bytes in the filestore (a JSON sidecar and a .part file), so any worker resumes
it. The file becomes evidence only when the last byte is in: it is then hashed once, in
full, by the same ingestion as the single-request upload, and registered."""

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
# A chunk is read whole through Odoo's public request API: bounded, so that workers' memory
# stays small whatever the file (clients send 8 MiB; tus clients resend a refused chunk).
MAX_CHUNK_BYTES = 64 * 1024 * 1024


def uploads_dir(env):
    path = os.path.join(env["hr.enforcement.filestore"]._root(), "tus")
    os.makedirs(path, exist_ok=True)
    return path


class TusProtocol:
    """The server side of tus 1.0, shared by the users' routes and the docking stations'
    (R18.2, R22.3). A route class gives `upload_url` (where an upload's chunks go) and
    implements `_refused_meta(meta)` (the answer refusing a chunk, or None) and
    `_finish(meta, facts)` (registers the complete file in a transaction of its own and
    returns the headers of the last answer)."""

    upload_url = None

    def _headers(self, **extra):
        headers = {"Tus-Resumable": TUS_VERSION, "Cache-Control": "no-store"}
        headers.update({key.replace("_", "-"): str(value) for key, value in extra.items()})
        return list(headers.items())

    def _answer(self, status, body="", **headers):
        return request.make_response(body, headers=self._headers(**headers), status=status)

    def _options(self):
        return self._answer(
            204,
            Tus_Version=TUS_VERSION,
            Tus_Extension="creation,checksum,expiration",
            Tus_Checksum_Algorithm=",".join(CHECKSUMS),
            Tus_Max_Size=request.env["hr.enforcement.filestore"]._max_bytes(),
        )

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

    def _length_and_metadata(self):
        """(Upload-Length, Upload-Metadata as a dict, cleaned file name) of a creation
        request, or an answer refusing it."""
        headers = request.httprequest.headers
        try:
            length = int(headers.get("Upload-Length", ""))
        except ValueError:
            return self._answer(400, _("Upload-Length is missing."))
        metadata = self._metadata(headers.get("Upload-Metadata", ""))
        filename = clean_filename(metadata.get("filename") or "")
        if not metadata.get("filename") or length <= 0:
            return self._answer(400, _("The file name and a positive length are required."))
        if length > request.env["hr.enforcement.filestore"]._max_bytes():
            return self._answer(413, _("The file is larger than the limit."))
        return length, metadata, filename

    def _create(self, length, filename, metadata, **target):
        """Open an upload of `length` bytes for the current user; `target` says where the
        file goes, for `_refused_meta` and `_finish`."""
        token = uuid.uuid4().hex
        expires = datetime.now(timezone.utc) + EXPIRES_AFTER
        meta_path, part_path = self._paths(token)
        open(part_path, "wb").close()
        with open(meta_path, "w", encoding="utf-8") as handle:
            json.dump(
                dict(
                    target,
                    uid=request.env.uid,
                    filename=filename,
                    length=length,
                    expires=expires.isoformat(),
                    sha256=metadata.get("sha256"),
                ),
                handle,
            )
        return self._answer(
            201,
            Location=f"{self.upload_url}{token}",
            Upload_Expires=expires.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        )

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

    def _serve(self, token):
        """HEAD (offset), DELETE (termination) or PATCH (a chunk) of the user's upload."""
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
        if httprequest.content_length is None:
            return self._answer(411, _("Send each chunk with its Content-Length."))
        if httprequest.content_length > MAX_CHUNK_BYTES:
            return self._answer(
                413, _("Send chunks of at most %(size)s bytes.", size=MAX_CHUNK_BYTES)
            )
        refused = self._refused_meta(meta)  # every chunk is checked as the creation was
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
            if written is None:  # broken off, too long or checksum mismatch: dropped
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

    @staticmethod
    def _append(part, room, checksum):
        """Append the request body (at most `room` bytes) to `part`; the number of bytes
        written, or None when the client broke off, sent too much or the chunk's checksum
        differs. The body is read through the public API, bounded by MAX_CHUNK_BYTES."""
        try:
            block = request.httprequest.get_data(cache=False)
        except ClientDisconnected:
            return None
        if len(block) > room:
            return None
        if checksum:
            checksum[0].update(block)
            if checksum[0].digest() != checksum[1]:
                return None
        part.write(block)
        part.flush()
        os.fsync(part.fileno())
        return len(block)

    def _complete(self, token, meta, part_path, offset):
        """The last byte is in: hash the file once and hand it to `_finish`."""
        try:
            with open(part_path, "rb") as stream:
                facts = request.env["hr.enforcement.filestore"]._ingest(
                    stream, meta["filename"], offset
                )
            if meta.get("sha256") and meta["sha256"].lower() != facts["sha256"]:
                self._discard(token)
                return self._answer(460, _("The file does not match the SHA-256 announced."))
            request.env.cr.rollback()
            headers = self._finish(meta, facts)
        except (UserError, AccessError) as error:
            request.env.cr.rollback()
            self._discard(token)
            return self._answer(403 if isinstance(error, AccessError) else 400, error.args[0])
        self._discard(token)
        return self._answer(204, Upload_Offset=offset, **headers)

    def _discard(self, token):
        for path in self._paths(token):
            if path and os.path.exists(path):
                os.unlink(path)

    def _refused_meta(self, meta):
        raise NotImplementedError

    def _finish(self, meta, facts):
        raise NotImplementedError


class TusController(http.Controller, TusProtocol):
    """Users' resumable uploads onto a text or AV record (the form's upload button)."""

    upload_url = "/hr_enforcement/tus/upload/"

    @http.route(
        "/hr_enforcement/tus/<string:model>/<int:record_id>",
        type="http",
        auth="user",
        methods=["POST", "OPTIONS"],
        csrf=False,  # no browser sends Upload-Length cross-site without a CORS preflight
    )
    def create_upload(self, model, record_id, **kwargs):
        """Creation: Upload-Length and the file name in Upload-Metadata (`filename`)."""
        if request.httprequest.method == "OPTIONS":
            return self._options()
        if model not in RECORD_MODELS:
            return self._answer(404)
        asked = self._length_and_metadata()
        if not isinstance(asked, tuple):
            return asked
        length, metadata, filename = asked
        refused = self._refused(model, record_id)
        if refused:
            return refused
        return self._create(length, filename, metadata, model=model, record_id=record_id)

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

    def _refused_meta(self, meta):
        return self._refused(meta["model"], meta["record_id"])

    def _finish(self, meta, facts):
        evidence_id = EvidenceController._register(
            meta["model"], meta["record_id"], facts, meta["filename"]
        )
        return {"Evidence_Id": evidence_id}

    @http.route(
        "/hr_enforcement/tus/upload/<string:token>",
        type="http",
        auth="user",
        methods=["HEAD", "PATCH", "DELETE"],
        csrf=False,  # application/offset+octet-stream needs a CORS preflight cross-site
    )
    def upload(self, token, **kwargs):
        return self._serve(token)
