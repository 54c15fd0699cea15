import contextlib
import hashlib
import logging
import os
import queue
import threading
import unicodedata
import uuid
from datetime import datetime, timezone

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tools import config

from ..tools import object_store, upload_state

_logger = logging.getLogger(__name__)

CHUNK = 1024 * 1024
MAX_NAME_CHARS = 200


def clean_filename(name):
    """A file name safe to store and to send back in a header: no control or format
    characters (NUL, CR, LF, …), no path, at most 200 characters."""
    name = unicodedata.normalize("NFC", str(name or ""))
    kinds = [(c, unicodedata.category(c)[0]) for c in name]
    name = "".join(" " if kind == "Z" else c for c, kind in kinds if kind != "C")
    name = name.replace("/", "_").replace("\\", "_").strip(" .")
    if len(name) > MAX_NAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:16] if dot else ""
        name = (stem if dot else name)[: MAX_NAME_CHARS - len(ext) - 1] + (f".{ext}" if ext else "")
    return name or "file"


DEFAULT_MAX_BYTES = 4 * 1024**3
# Leading bytes of the formats accepted as evidence, by extension (content must match name).
SIGNATURES = {
    ".jpg": [b"\xff\xd8\xff"],
    ".jpeg": [b"\xff\xd8\xff"],
    ".png": [b"\x89PNG\r\n\x1a\n"],
    ".tif": [b"II*\x00", b"MM\x00*"],
    ".tiff": [b"II*\x00", b"MM\x00*"],
    ".pdf": [b"%PDF-"],
    ".ofd": [b"PK\x03\x04"],
    ".mp3": [b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"],
    ".wav": [b"RIFF"],
    ".mp4": [b"ftyp"],
    ".mov": [b"ftyp", b"moov", b"wide", b"mdat"],
}
MIMETYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".pdf": "application/pdf",
    ".ofd": "application/ofd",
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
}


class UploadMismatch(UserError):
    """The complete upload is not the file its client announced (its SHA-256)."""


class MultiHasher:
    """SHA-256 in the calling thread, every other digest in a thread of its own: hashlib
    releases the GIL on large buffers, so SM3 costs no extra wall time on a second core.
    Queues are short, so memory stays a few chunks whatever the file size."""

    def __init__(self, names):
        self.main = hashlib.sha256()
        self.others = {name: hashlib.new(name) for name in names}
        self.queues = {name: queue.Queue(maxsize=4) for name in self.others}
        self.threads = [
            threading.Thread(target=self._consume, args=(name,), daemon=True)
            for name in self.others
        ]
        for thread in self.threads:
            thread.start()

    def _consume(self, name):
        hasher, chunks = self.others[name], self.queues[name]
        while (chunk := chunks.get()) is not None:
            hasher.update(chunk)

    def update(self, chunk):
        for chunks in self.queues.values():
            chunks.put(chunk)
        self.main.update(chunk)

    def close(self):
        for chunks in self.queues.values():
            chunks.put(None)
        for thread in self.threads:
            thread.join()

    def hexdigests(self):
        self.close()
        return dict(
            {"sha256": self.main.hexdigest()},
            **{name: hasher.hexdigest() for name, hasher in self.others.items()},
        )


class HrEnforcementFilestore(models.AbstractModel):
    """Byte-for-byte evidence storage beside Odoo's filestore (R22.3, R22.4).

    Files are streamed in chunks, hashed (SHA-256, and SM3 where OpenSSL offers it) while
    they are written, and only then moved into place under their SHA-256, so that a broken
    upload leaves nothing registered. Nothing here re-encodes images (unlike
    ir.attachment's resize of large pictures) and nothing ever rewrites a stored file.
    """

    _name = "hr.enforcement.filestore"
    _description = "Enforcement Evidence Storage"

    @api.model
    def _cron_expire_uploads(self):
        """The hourly care of resumable uploads (R22.3): an upload whose bytes are all in
        but that no request registered (its worker died while finishing) is registered
        now, whatever its age, never dropped; one abandoned past its expiry (a day after
        its creation) is removed, its bytes never became evidence; a finished one is
        forgotten once expired. Each upload fails alone, named in the log and left for the
        next run. Returns how many were removed or registered."""
        directory = self._uploads_dir()
        now, done = datetime.now(timezone.utc), 0
        for name in sorted(os.listdir(directory)):
            if not name.endswith(".json"):
                continue
            token = name[: -len(".json")]
            meta_path, part_path = upload_state.paths(directory, token)
            if not meta_path:
                continue
            meta = upload_state.read(meta_path)
            if (
                meta
                and meta.get("state") != upload_state.FINISHED
                and upload_state.is_complete(meta, part_path)
            ):
                done += self._finish_orphan(token, meta, part_path)
                continue
            try:
                expires = datetime.fromisoformat(meta["expires"])
            except (TypeError, ValueError, KeyError):
                expires = now  # unreadable: nobody can resume it
            if expires <= now:
                for path in (meta_path, part_path):
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)
                done += 1
        # uploads straight onto the object store keep their state in the database
        return done + self.env["hr.enforcement.store.upload"]._cron_expire()

    @api.model
    def _finish_orphan(self, token, meta, part_path):
        """Register a complete upload left unregistered; 1 when done, 0 when it is being
        finished by a request right now or fails (then logged, and tried next hour)."""
        with upload_state.locked(part_path) as part:
            if part is None:
                return 0
            try:
                # as its user: the record's write access is theirs to have
                self.with_user(meta["uid"])._finish_upload(token, meta, part_path)
            except (UserError, OSError) as error:
                _logger.warning("Upload %s (%s) not registered: %s", token, meta["filename"], error)
                return 0
            _logger.info("Upload %s (%s) registered by the hourly job", token, meta["filename"])
            return 1

    @api.model
    def _uploads_dir(self):
        path = os.path.join(self._root(), "tus")
        os.makedirs(path, exist_ok=True)
        return path

    @api.model
    def _finish_upload(self, token, meta, part_path):
        """The last byte of upload `token` is in and the caller holds its lock: hash the
        file once, register it once and remember the result, answered again to whoever
        asks until the upload expires. A registration that committed before a crash is
        found by the upload's token, never made twice. Raises UploadMismatch when the
        file is not the one announced, UserError when it may not be registered, OSError
        when the store fails (the upload then stays complete, to be finished later)."""
        meta_path, _part = upload_state.paths(self._uploads_dir(), token)
        meta = dict(meta, state=upload_state.FINISHING)
        upload_state.write(meta_path, meta)
        facts = self._ingest_part(part_path, meta["filename"], meta["length"])
        if meta.get("sha256") and meta["sha256"].lower() != facts["sha256"]:
            raise UploadMismatch(_("The file does not match the SHA-256 announced."))
        facts["upload_token"] = token
        # a short transaction of its own, retried on a serialisation failure (a colleague
        # logging on the same case): the bytes are never read twice
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, self.env.context)
            result = retrying(
                lambda: env["hr.enforcement.filestore"]._register_upload(token, meta, facts), env
            )
        upload_state.write(meta_path, dict(meta, state=upload_state.FINISHED, result=result))
        with contextlib.suppress(FileNotFoundError):
            os.unlink(part_path)  # the bytes are in the store now
        return result

    @api.model
    def _register_upload(self, token, meta, facts):
        """Register a complete upload once: as a docking station's clip, or as a file of
        the record it was opened for. Returns the headers of the last answer."""
        Clip = self.env["hr.enforcement.av.clip"].sudo()
        Evidence = self.env["hr.enforcement.evidence.file"]
        if meta.get("station_id"):
            clip = Clip.search([("upload_token", "=", token)], limit=1)
            if not clip:
                station = self.env["hr.enforcement.station"].sudo().browse(meta["station_id"])
                values = dict(meta["clip"])
                for key in ("capture_start", "capture_end"):
                    if values.get(key):
                        values[key] = values[key].replace("T", " ")
                clip = station._receive_clip(facts, meta["filename"], values)
            return {"Clip_Id": clip.id, "Av_Record_Id": clip.av_record_id.id or ""}
        evidence = Evidence.sudo().search([("upload_token", "=", token)], limit=1)
        if not evidence:
            record = self.env[meta["model"]].browse(meta["record_id"])
            record.check_access("write")
            evidence = Evidence._register_stored(facts, meta["filename"], record)
        return {"Evidence_Id": evidence.id}

    @api.model
    def _root(self):
        return os.path.join(config.filestore(self.env.cr.dbname), "hr_enforcement")

    @api.model
    def _full_path(self, store_fname):
        return os.path.join(self._root(), store_fname)

    @api.model
    def _max_bytes(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("hr_enforcement.evidence_max_bytes")
        )
        return int(value) if value else DEFAULT_MAX_BYTES

    @api.model
    def _new_hasher(self):
        return MultiHasher(["sm3"] if "sm3" in hashlib.algorithms_available else [])

    @api.model
    def _check_type(self, filename):
        """The extension of `filename`, refused unless it is a type accepted as evidence."""
        ext = os.path.splitext(filename or "")[1].lower()
        if ext not in SIGNATURES:
            raise UserError(
                _(
                    "%(name)s: this file type is not accepted as evidence. Accepted: %(types)s.",
                    name=filename,
                    types=", ".join(sorted(SIGNATURES)),
                )
            )
        return ext

    def _check_signature(self, filename, head):
        ext = self._check_type(filename)
        expected = SIGNATURES[ext]
        probe = head[4:12] if ext in (".mp4", ".mov") else head
        if not any(probe.startswith(sig) for sig in expected):
            raise UserError(
                _(
                    "%(name)s: the content is not a %(ext)s file; its name and content disagree.",
                    name=filename,
                    ext=ext,
                )
            )
        return MIMETYPES[ext]

    @api.model
    def _ingest(self, stream, filename, expected_size=None):
        """Stream `stream` into the store; return the file's facts.

        Raises UserError (and leaves nothing behind) for an empty, oversized, truncated or
        disguised file.
        """
        limit = self._max_bytes()
        if expected_size is not None and expected_size > limit:
            raise UserError(
                _(
                    "%(name)s is larger than the limit of %(limit)s bytes.",
                    name=filename,
                    limit=limit,
                )
            )
        # the object store when one is configured (R22.4), else the local filestore
        store = self.env["hr.enforcement.object.store"]._get()
        if store is not None:
            key = store.new_key()
            sink = store.writer(key)
        else:
            tmp_dir = os.path.join(self._root(), "tmp")
            os.makedirs(tmp_dir, exist_ok=True)
            tmp_path = os.path.join(tmp_dir, f"{uuid.uuid4().hex}.part")
            sink = open(tmp_path, "wb")  # noqa: SIM115 - closed below, before the rename
        put = sink.append if store is not None else sink.write
        hasher, size, mimetype = self._new_hasher(), 0, None
        try:
            while True:
                chunk = stream.read(CHUNK)
                if not chunk:
                    break
                if mimetype is None:
                    mimetype = self._check_signature(filename, chunk[:16])
                size += len(chunk)
                if size > limit:
                    raise UserError(
                        _(
                            "%(name)s is larger than the limit of %(limit)s bytes.",
                            name=filename,
                            limit=limit,
                        )
                    )
                hasher.update(chunk)
                put(chunk)
            if store is None:
                sink.flush()
                os.fsync(sink.fileno())
                sink.close()
            if size == 0:
                raise UserError(_("%(name)s is empty.", name=filename))
            if expected_size is not None and size != expected_size:
                raise UserError(
                    _(
                        "%(name)s arrived truncated: %(got)s of %(expected)s bytes.",
                        name=filename,
                        got=size,
                        expected=expected_size,
                    )
                )
            digests = hasher.hexdigests()
            sha256 = digests["sha256"]
            if store is not None:
                store_fname = object_store.location(key, sink.close())
                self.env["hr.enforcement.object.store"]._lock_new(store_fname)
            else:
                store_fname = self._place_local(tmp_path, sha256)
        except BaseException:
            hasher.close()
            if store is not None:
                sink.abort()
            else:
                sink.close()
                if os.path.exists(tmp_path):
                    os.unlink(tmp_path)
            raise
        return {
            "store_fname": store_fname,
            "sha256": sha256,
            "sm3": digests.get("sm3", False),
            "file_size": size,
            "mimetype": mimetype,
        }

    @api.model
    def _ingest_part(self, part_path, filename, expected_size):
        """The facts of a resumable upload's complete part file, stored: hashed where it
        lies (its chunks were written and synced already) and linked into place, never
        copied, in the local filestore; copied once to the object store when one was
        configured since the upload began."""
        if self.env["hr.enforcement.object.store"]._get() is not None:
            with open(part_path, "rb") as stream:
                return self._ingest(stream, filename, expected_size)
        with open(part_path, "rb") as stream:
            facts = self._facts_of_chunks(
                iter(lambda: stream.read(CHUNK), b""), filename, expected_size
            )
        tmp_dir = os.path.join(self._root(), "tmp")
        os.makedirs(tmp_dir, exist_ok=True)
        tmp_path = os.path.join(tmp_dir, f"{uuid.uuid4().hex}.part")
        os.link(part_path, tmp_path)  # the part stays until the upload is registered
        facts["store_fname"] = self._place_local(tmp_path, facts["sha256"])
        return facts

    @api.model
    def _facts_of_stored(self, store_fname, filename, expected_size):
        """The facts `_ingest()` gives, of bytes already on the object store (a resumable
        upload completed there): read back once by streaming, hashed once."""
        facts = self._facts_of_chunks(self._iter_bytes(store_fname), filename, expected_size)
        return dict(facts, store_fname=store_fname)

    @api.model
    def _facts_of_chunks(self, chunks, filename, expected_size):
        """Hash `chunks` once and check them as an upload is checked (type, size); the
        facts `_ingest()` gives, but where they are kept. Raises UserError for a disguised,
        oversized or truncated file."""
        limit = self._max_bytes()
        hasher, size, mimetype = self._new_hasher(), 0, None
        try:
            for chunk in chunks:
                if mimetype is None:
                    mimetype = self._check_signature(filename, chunk[:16])
                size += len(chunk)
                hasher.update(chunk)
            if size != expected_size or size > limit or not size:
                raise UserError(
                    _(
                        "%(name)s arrived truncated: %(got)s of %(expected)s bytes.",
                        name=filename,
                        got=size,
                        expected=expected_size,
                    )
                )
        except BaseException:
            hasher.close()
            raise
        digests = hasher.hexdigests()
        return {
            "sha256": digests["sha256"],
            "sm3": digests.get("sm3", False),
            "file_size": size,
            "mimetype": mimetype,
        }

    def _place_local(self, tmp_path, sha256):
        """Move a complete, hashed temporary file to its place under its SHA-256."""
        store_fname = os.path.join(sha256[:2], sha256)
        full_path = self._full_path(store_fname)
        os.makedirs(os.path.dirname(full_path), exist_ok=True)
        if self._fixity_of(store_fname, sha256) == "ok":
            os.unlink(tmp_path)  # the same bytes are stored already
        else:  # new, or a damaged copy (even unreadable) that these bytes restore
            if os.path.isdir(full_path) and not os.path.islink(full_path):
                os.rmdir(full_path)  # a directory in the file's place: damage, if empty
            os.replace(tmp_path, full_path)
            os.chmod(full_path, 0o440)
        return store_fname

    @api.model
    def _fixity_of(self, store_fname, sha256, file_size=None):
        """ "ok", "missing", "altered" or "unreadable" for a stored file: every read error
        (a directory, a loop, a permission, a failing disk) is a state, never a crash.
        With `file_size`, only the size is compared (a cheap check before serving)."""
        if object_store.is_stored_there(store_fname):
            return self.env["hr.enforcement.object.store"]._fixity_of(
                store_fname, sha256, file_size
            )
        path = self._full_path(store_fname)
        try:
            if file_size is not None:
                if not os.path.lexists(path):
                    return "missing"
                if not os.path.isfile(path):
                    return "unreadable"
                return "ok" if os.path.getsize(path) == int(file_size) else "altered"
            digest = self._hash_file(store_fname)
        except OSError as error:
            _logger.warning("Evidence file %s cannot be read: %s", store_fname, error)
            return "unreadable"
        if digest is None:
            return "missing"
        return "ok" if digest == sha256 else "altered"

    def _hash_file(self, store_fname):
        """SHA-256 of a stored file, or None when it is missing."""
        digest = hashlib.sha256()
        try:
            for chunk in self._iter_bytes(store_fname):
                digest.update(chunk)
        except FileNotFoundError:
            return None
        return digest.hexdigest()

    @api.model
    def _open(self, store_fname):
        """The stored bytes as a seekable binary file, wherever they are kept; raises
        OSError (FileNotFoundError when gone) when they cannot be read."""
        if object_store.is_stored_there(store_fname):
            return self.env["hr.enforcement.object.store"]._open(store_fname)
        return open(self._full_path(store_fname), "rb")

    @api.model
    def _iter_bytes(self, store_fname, chunk=CHUNK):
        """The stored bytes in chunks, streamed, wherever they are kept."""
        if object_store.is_stored_there(store_fname):
            yield from self.env["hr.enforcement.object.store"]._iter_bytes(store_fname)
            return
        with open(self._full_path(store_fname), "rb") as handle:
            while data := handle.read(chunk):
                yield data
