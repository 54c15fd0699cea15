"""Resumable uploads of evidence files over tus 1.0 (https://tus.io/protocols/resumable-upload):
creation, offset (HEAD), chunks (PATCH with Upload-Offset), the checksum, expiration and
termination extensions (R18.2, R22.3, R22.4).

Each chunk is a short request within the workers' time limits; the upload's state lives
beside its bytes in the filestore (see `tools/upload_state.py`), so any worker resumes it;
with an object store, in the database and the chunks on the store (`tus_store.py`), so any
node does.
Each acknowledged chunk is hashed while the next ones arrive (`tools/upload_hashing.py`); the
file becomes evidence only when the last byte is in, and is then registered exactly once. While
that runs the upload answers 423; once registered, HEAD and PATCH answer its result (the
record ids) until it expires; an upload whose worker died while finishing is finished by
the next request or the hourly job."""

import base64
import binascii
import hashlib
import logging
import os
import time
import uuid
from datetime import datetime, timedelta, timezone

from werkzeug.exceptions import ClientDisconnected

from odoo import _, http
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..models.hr_enforcement_filestore import UploadMismatch
from ..tools import upload_hashing, upload_state
from ..tools.evidence_bytes import CHUNK, LocalPart, clean_filename
from .main import RECORD_MODELS, storage_failure
from .tus_store import TusStoreProtocol

_logger = logging.getLogger(__name__)

TUS_VERSION = "1.0.0"
EXPIRES_AFTER = timedelta(hours=24)
CHECKSUMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
# A chunk is one request within the workers' time limits (clients send 8 MiB; tus clients
# resend a refused chunk); the store's route holds one in memory.
MAX_CHUNK_BYTES = 64 * 1024 * 1024


# when a user's access to the record of an upload was last found (see `_refused_meta`)
ACCESS_RECHECK_SECONDS = 60
_access_checked = {}


def _remember_access(key):
    now = time.monotonic()
    if len(_access_checked) > 1000:  # a worker's memory stays small (threads share it)
        for old, at in list(_access_checked.items()):
            if now - at >= ACCESS_RECHECK_SECONDS:
                _access_checked.pop(old, None)
    _access_checked[key] = now


class TusProtocol(TusStoreProtocol):
    """The server side of tus 1.0, shared by the users' routes and the docking stations'
    (R18.2, R22.3). A route class gives `upload_url` (where an upload's chunks go) and
    implements `_refused_meta(meta)` (the answer refusing a chunk, or None); the file is
    registered by the filestore (`_finish_upload`), the same for every route."""

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
            Tus_Extension="creation,checksum,expiration,termination",
            Tus_Checksum_Algorithm=",".join(CHECKSUMS),
            **(
                {"Tus_Max_Size": request.env["hr.enforcement.filestore"].sudo()._max_bytes()}
                if request.db
                else {}
            ),
        )

    def _refused_version(self):
        """412 for a client of another protocol version (tus 1.0: Tus-Resumable)."""
        if request.httprequest.headers.get("Tus-Resumable") != TUS_VERSION:
            return self._answer(
                412, _("This server speaks tus %s.", TUS_VERSION), Tus_Version=TUS_VERSION
            )
        return None

    def _storage_failed(self, error):
        """A storage error as the client's answer, in the user's language (no HTML 500)."""
        return self._answer(507, storage_failure(error))

    def _paths(self, token):
        return upload_state.paths(request.env["hr.enforcement.filestore"]._uploads_dir(), token)

    def _session(self, token):
        """The upload `token` of the current user, or None (another user's answers alike).
        An abandoned one is removed; one whose bytes are all in is kept until registered."""
        meta_path, part_path = self._paths(token)
        meta = upload_state.read(meta_path) if meta_path else None
        if not meta or meta["uid"] != request.env.uid:
            return None, None
        expired = datetime.fromisoformat(meta["expires"]) <= datetime.now(timezone.utc)
        if expired and meta.get("state") == upload_state.FINISHED:
            self._discard(token)
            return None, None
        if expired and not upload_state.is_complete(meta, part_path):
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
        Store = request.env["hr.enforcement.filestore"]
        if length > Store.sudo()._max_bytes():
            return self._answer(413, _("The file is larger than the limit."))
        try:  # the type, from the declared name, before any byte is sent
            Store._check_type(filename)
        except UserError as error:
            return self._answer(415, error.args[0])
        return length, metadata, filename

    def _create(self, length, filename, metadata, **target):
        """Open an upload of `length` bytes for the current user; `target` says where the
        file goes, for `_refused_meta` and `_finish`."""
        token = uuid.uuid4().hex
        expires = datetime.now(timezone.utc) + EXPIRES_AFTER
        meta_path, part_path = self._paths(token)
        meta = dict(
            target,
            uid=request.env.uid,
            filename=filename,
            length=length,
            expires=expires.isoformat(),
            sha256=metadata.get("sha256"),
            state=upload_state.RECEIVING,
        )
        if request.env["hr.enforcement.object.store"].sudo()._get() is not None:
            return self._store_create(token, meta)  # shared by every node (R22.3)
        try:
            open(part_path, "wb").close()
            upload_state.write(meta_path, meta)
        except OSError as error:
            self._discard(token)
            return self._storage_failed(error)
        return self._answer(201, Location=f"{self.upload_url}{token}", **self._expiry(meta))

    @staticmethod
    def _expiry(meta):
        expires = datetime.fromisoformat(meta["expires"])
        return {"Upload_Expires": expires.strftime("%a, %d %b %Y %H:%M:%S GMT")}

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
        refused = self._refused_version()
        if refused:
            return refused
        meta, part_path = self._session(token)
        if not meta:  # on the object store, or nobody's
            if token and all(char in "0123456789abcdef" for char in token):
                row = self._store_row(token)
                if row:
                    return self._store_serve(token, row)
            return self._answer(404)
        method = request.httprequest.method
        if meta.get("state") == upload_state.FINISHED:
            return self._finished(token, meta, method)
        if method == "HEAD" and not upload_state.is_complete(meta, part_path):
            return self._answer(
                200,
                Upload_Offset=os.path.getsize(part_path),
                Upload_Length=meta["length"],
                **self._expiry(meta),
            )
        try:
            return self._serve_locked(token, meta, part_path, method)
        except OSError as error:  # the store cannot be read or written
            return self._storage_failed(error)

    def _serve_locked(self, token, meta, part_path, method):
        with upload_state.locked(part_path) as part:
            if part is None:  # another request appends, or finishes the upload
                if upload_state.is_complete(meta, part_path):
                    return self._answer(423, _("The file is being registered."), Retry_After=5)
                return self._answer(409, _("Another request is writing this upload."))
            meta = upload_state.read(self._paths(token)[0]) or meta  # as it is now, locked
            if meta.get("state") == upload_state.FINISHED:
                return self._finished(token, meta, method)
            if method == "DELETE":
                self._discard(token)
                return self._answer(204)
            if upload_state.is_complete(meta, part_path):  # its finisher died: take it up
                return self._complete(token, meta, part_path, method)
            if method == "HEAD":
                return self._answer(
                    200,
                    Upload_Offset=os.path.getsize(part_path),
                    Upload_Length=meta["length"],
                    **self._expiry(meta),
                )
            return self._patch(token, meta, part, part_path)

    def _finished(self, token, meta, method):
        """A registered upload: its result again, for a client that lost the last answer
        (never a second registration)."""
        if method == "DELETE":
            self._discard(token)
            return self._answer(204)
        return self._answer(
            200 if method == "HEAD" else 204,
            Upload_Offset=meta["length"],
            Upload_Length=meta["length"],
            **self._expiry(meta),
            **meta.get("result", {}),
        )

    def _refused_chunk(self, meta):
        """The answer refusing a PATCH before its body is read, or None."""
        httprequest = request.httprequest
        if httprequest.mimetype != "application/offset+octet-stream":
            return self._answer(415)
        if httprequest.content_length is None:
            return self._answer(411, _("Send each chunk with its Content-Length."))
        if httprequest.content_length > MAX_CHUNK_BYTES:
            return self._answer(
                413, _("Send chunks of at most %(size)s bytes.", size=MAX_CHUNK_BYTES)
            )
        return self._refused_meta(meta)  # every chunk is checked as the creation was

    def _patch(self, token, meta, part, part_path):
        httprequest = request.httprequest
        refused = self._refused_chunk(meta)
        if refused:
            return refused
        checksum = self._checksum(httprequest.headers.get("Upload-Checksum"))
        if checksum is False:
            return self._answer(400, _("Unsupported checksum algorithm."))
        offset = part.seek(0, os.SEEK_END)
        if httprequest.headers.get("Upload-Offset") != str(offset):
            return self._answer(409, Upload_Offset=offset)
        try:
            written = self._append(part_path, meta["length"] - offset, checksum)
        except OSError as error:  # a full disk, a read-only store: the chunk is dropped
            part.truncate(offset)
            return self._storage_failed(error)
        if written is None:  # broken off, too long or checksum mismatch: dropped
            part.truncate(offset)
            status = 460 if checksum else 400
            return self._answer(status, Upload_Offset=offset)
        offset += written
        # synced and acknowledged: hashed from now on while the next chunks arrive
        upload_hashing.acknowledge(
            part_path,
            offset,
            meta["length"],
            request.env["hr.enforcement.filestore"].sudo()._max_bytes(),
        )
        if offset < meta["length"]:
            return self._answer(204, Upload_Offset=offset, **self._expiry(meta))
        return self._complete(token, meta, part_path, "PATCH")

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
    def _append(part_path, room, checksum):
        """Append the request body (at most `room` bytes) to the part as it arrives, the
        kernel told to write each MiB that came, so that the chunk's fsync waits only for
        the last one. The number of bytes written, or None when the client broke off, sent
        too much or the chunk's checksum differs (the caller cuts the part back)."""
        length = request.httprequest.content_length  # at most MAX_CHUNK_BYTES
        if length > room:
            return None
        # Odoo's request gives the body only whole (get_data); werkzeug's request that it
        # wraps streams it (Odoo's bus reaches that request the same way)
        stream = request.httprequest._HTTPRequest__wrapped.stream
        writer = LocalPart.appending(part_path, writeback=CHUNK)
        try:
            written = 0
            while written < length:
                block = stream.read(min(CHUNK, length - written))
                if not block:
                    return None
                if checksum:
                    checksum[0].update(block)
                writer.append(block)
                written += len(block)
            if checksum and checksum[0].digest() != checksum[1]:
                return None
            writer.close()  # synced: only now is the chunk acknowledged
        except ClientDisconnected:
            return None
        finally:
            writer.abort()  # closes the file if the chunk was dropped
        return written

    def _complete(self, token, meta, part_path, method):
        """The last byte is in and this request holds the upload's lock: the filestore
        hashes and registers it once; the answer carries the result."""
        try:
            result = request.env["hr.enforcement.filestore"]._finish_upload(token, meta, part_path)
        except UploadMismatch as error:
            request.env.cr.rollback()
            self._discard(token)
            return self._answer(460, error.args[0])
        except (UserError, AccessError) as error:
            request.env.cr.rollback()
            self._discard(token)
            return self._answer(403 if isinstance(error, AccessError) else 400, error.args[0])
        except OSError as error:  # kept complete: the next request or the job finishes it
            return self._storage_failed(error)
        return self._answer(
            200 if method == "HEAD" else 204,
            Upload_Offset=meta["length"],
            Upload_Length=meta["length"],
            **self._expiry(meta),
            **result,
        )

    def _discard(self, token):
        meta_path, part_path = self._paths(token)
        if meta_path and os.path.exists(meta_path):
            os.unlink(meta_path)
        if part_path:
            upload_hashing.discard(part_path)

    def _refused_meta(self, meta):
        raise NotImplementedError


class TusController(http.Controller, TusProtocol):
    """Users' resumable uploads onto a text or AV record (the form's upload button)."""

    upload_url = "/hr_enforcement/tus/upload/"

    @http.route(
        "/hr_enforcement/tus/<string:model>/<int:record_id>",
        type="http",
        auth="none",
        methods=["OPTIONS"],
        csrf=False,
    )
    def announce_options(self, model, record_id, **kwargs):
        """What the server supports, to any client, before it signs in (tus OPTIONS).
        Named to sort before `create_upload`: Odoo adds OPTIONS to every route's methods
        and the first rule of a path that accepts a method answers it."""
        return self._options()

    @http.route(
        "/hr_enforcement/tus/<string:model>/<int:record_id>",
        type="http",
        auth="user",
        methods=["POST"],
        csrf=False,  # no browser sends Upload-Length cross-site without a CORS preflight
    )
    def create_upload(self, model, record_id, **kwargs):
        """Creation: Upload-Length and the file name in Upload-Metadata (`filename`)."""
        refused = self._refused_version()
        if refused:
            return refused
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
        """Every chunk is checked as the creation was: the record still takes files (a
        seal or an archived case refuses the next chunk). Its access rules, the costly
        part, are evaluated again once a minute per worker while the chunks flow; the
        registration evaluates them again whatever they said (R22.3)."""
        key = (request.db, request.env.uid, meta["model"], meta["record_id"])
        checked = _access_checked.get(key)
        if checked is None or time.monotonic() - checked >= ACCESS_RECHECK_SECONDS:
            refused = self._refused(meta["model"], meta["record_id"])
            if refused is None:
                _remember_access(key)
            return refused
        record = request.env[meta["model"]].sudo().browse(meta["record_id"]).exists()
        if not record:
            return self._answer(404)
        try:
            record._check_can_add_file()
        except UserError as error:
            return self._answer(403, error.args[0])
        return None

    @http.route(
        "/hr_enforcement/tus/upload/<string:token>",
        type="http",
        auth="user",
        methods=["HEAD", "PATCH", "DELETE"],
        csrf=False,  # application/offset+octet-stream needs a CORS preflight cross-site
    )
    def upload(self, token, **kwargs):
        return self._serve(token)
