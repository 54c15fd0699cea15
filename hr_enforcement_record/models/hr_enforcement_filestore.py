import contextlib
import hashlib
import logging
import os
import uuid
from datetime import datetime, timezone

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tools import config

from ..tools import object_store, upload_hashing, upload_state
from ..tools.evidence_bytes import (
    CHUNK,
    MIMETYPES,
    SIGNATURES,
    IngestSink,
    LocalPart,
)

_logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 4 * 1024**3
TEMPORARY_SECONDS = 24 * 3600


def _entries(folder):
    """The entries of `folder`, none when it does not exist."""
    try:
        with os.scandir(folder) as entries:
            return list(entries)
    except FileNotFoundError:
        return []


class UploadMismatch(UserError):
    """The complete upload is not the file its client announced (its SHA-256)."""


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
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(meta_path)
                upload_hashing.discard(part_path)
                done += 1
        # uploads straight onto the object store keep their state in the database
        done += self._remove_stale_temporaries(now)
        return done + self.env["hr.enforcement.store.upload"]._cron_expire()

    @api.model
    def _remove_stale_temporaries(self, now):
        """Remove the temporary files of single-request uploads cut short by a crash (a
        worker killed mid-body), and the copies of resumable uploads that were hashed as
        they arrived (`hr.enforcement.store.upload`) and left behind: by another node's
        turn, or by a previous boot of this machine. None lives a day, none ever became
        evidence."""
        removed, boot = 0, upload_hashing.boot_id()
        tmp_dir, hashing_dir = (os.path.join(self._root(), name) for name in ("tmp", "hashing"))
        folders = [(tmp_dir, True)] + [
            (entry.path, entry.name == boot) for entry in _entries(hashing_dir)
        ]
        for folder, current in folders:
            for entry in _entries(folder):
                with contextlib.suppress(OSError):
                    age = now.timestamp() - entry.stat(follow_symlinks=False).st_mtime
                    if not current or age > TEMPORARY_SECONDS:
                        os.unlink(entry.path)
                        removed += entry.name.endswith(".part")
            if not current:
                with contextlib.suppress(OSError):
                    os.rmdir(folder)
        return removed

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
        upload_hashing.discard(part_path)  # the bytes are in the store now
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
        if expected_size is not None and expected_size > self._max_bytes():
            raise UserError(self._too_large_message(filename))
        sink = self._open_sink(filename)
        sink.fill(iter(lambda: stream.read(CHUNK), b""))
        return self._finish_sink(sink, filename, expected_size)

    @api.model
    def _open_sink(self, filename, keep=True):
        """A sink (`tools.evidence_bytes.IngestSink`) for a new file's bytes: on the object
        store when one is configured (R22.4), else in a temporary file of the local
        filestore (without `keep`, nowhere), hashed as they are written; `_finish_sink()`
        puts it in place."""
        store = self.env["hr.enforcement.object.store"]._get() if keep else None
        key = target = None
        if store is not None:
            key = store.new_key()
            target = store.writer(key)
        elif keep:
            tmp_dir = os.path.join(self._root(), "tmp")
            os.makedirs(tmp_dir, exist_ok=True)
            target = LocalPart(os.path.join(tmp_dir, f"{uuid.uuid4().hex}.part"))
        return IngestSink(
            target,
            self._max_bytes(),
            # refused at its first bytes when its name is known (else when finished)
            check_head=filename and (lambda head: self._check_signature(filename, head)),
            key=key,
        )

    @api.model
    def _finish_sink(self, sink, filename, expected_size=None):
        """The facts of the file `sink` received, put in place (linked under its SHA-256,
        or its object version locked); raises UserError, leaving nothing behind, for an
        empty, oversized, truncated or disguised file, OSError when the store fails."""
        try:
            mimetype = self._check_received(
                filename, sink.size, sink.head, expected_size, sink.failure
            )
            digests = sink.finish()
        except BaseException:
            sink.abort()
            raise
        if sink.key:
            store_fname = object_store.location(sink.key, digests["kept"])
            self.env["hr.enforcement.object.store"]._lock_new(store_fname)
        elif digests["kept"]:
            store_fname = self._place_local(digests["kept"], digests["sha256"])
        else:
            store_fname = None
        return {
            "store_fname": store_fname,
            "sha256": digests["sha256"],
            "sm3": digests.get("sm3", False),
            "file_size": sink.size,
            "mimetype": mimetype,
        }

    @api.model
    def _check_received(self, filename, size, head, expected_size=None, failure=None):
        """The mimetype of a file received whole (`size` bytes, starting with `head`);
        raises UserError for an empty, oversized, truncated or disguised one, and the
        store's error (`failure`) when it could not be kept."""
        if failure is not None and not isinstance(failure, UserError | OverflowError):
            raise failure  # the store failed: nothing of the file is kept
        if isinstance(failure, OverflowError) or size > self._max_bytes():
            raise UserError(self._too_large_message(filename))
        if not size:
            raise UserError(_("%(name)s is empty.", name=filename))
        mimetype = self._check_signature(filename, head)
        if expected_size is not None and size != expected_size:
            raise UserError(self._truncated_message(filename, size, expected_size))
        return mimetype

    @api.model
    def _too_large_message(self, filename):
        return _(
            "%(name)s is larger than the limit of %(limit)s bytes.",
            name=filename,
            limit=self._max_bytes(),
        )

    @api.model
    def _truncated_message(self, filename, got, expected):
        return _(
            "%(name)s arrived truncated: %(got)s of %(expected)s bytes.",
            name=filename,
            got=got,
            expected=expected,
        )

    @api.model
    def _ingest_part(self, part_path, filename, expected_size):
        """The facts of a resumable upload's complete part file, stored: hashed where it
        lies (its chunks were written and synced already) and linked into place, never
        copied, in the local filestore; copied once to the object store when one was
        configured since the upload began."""
        if self.env["hr.enforcement.object.store"]._get() is not None:
            with open(part_path, "rb") as stream:
                return self._ingest(stream, filename, expected_size)
        # hashed while it arrived; its last bytes (perhaps appended by a request that died
        # before acknowledging them, synced now) are hashed too: nothing appends any more
        with open(part_path, "rb") as part:
            os.fsync(part.fileno())
            exact = os.fstat(part.fileno()).st_size == expected_size
        hashed = None
        if exact:  # else refused below, as read
            upload_hashing.acknowledge(part_path, expected_size, expected_size, self._max_bytes())
            hashed = upload_hashing.wait_for_result(part_path)
        if hashed:
            facts = self._facts_of_hashed(hashed, filename, expected_size)
        else:  # its follower died meanwhile (or it is not the length announced): read here
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
    def _facts_of_hashed(self, hashed, filename, expected_size):
        """The facts of a file that an upload follower hashed as it arrived (its result:
        size, head, digests), checked as an upload is checked (type, size)."""
        return {
            "sha256": hashed["sha256"],
            "sm3": hashed["sm3"],
            "file_size": hashed["size"],
            "mimetype": self._check_received(
                filename, hashed["size"], bytes.fromhex(hashed["head"]), expected_size
            ),
        }

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
        sink = self._open_sink(filename, keep=False)
        sink.fill(chunks)
        facts = self._finish_sink(sink, filename, expected_size)
        del facts["store_fname"]
        return facts

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
