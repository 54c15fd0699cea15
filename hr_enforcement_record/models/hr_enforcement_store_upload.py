import contextlib
import json
import logging
import os
from datetime import datetime, timezone

import psycopg2

from odoo import _, api, models
from odoo.exceptions import UserError
from odoo.service.model import retrying
from odoo.tools import SQL

from ..tools import object_store, upload_hashing
from ..tools.object_store import MIN_PART_BYTES, ObjectStoreError
from .hr_enforcement_filestore import UploadMismatch

_logger = logging.getLogger(__name__)

RECEIVING, COMPLETE, FINISHED = "receiving", "complete", "finished"
TABLE = "hr_enforcement_store_upload"


class UploadBusy(Exception):
    """Another request (on any node) holds the upload: it appends a chunk or finishes."""


class HrEnforcementStoreUpload(models.AbstractModel):
    """Resumable uploads straight onto the object store, with their state in the database,
    so that every Odoo node takes the next chunk (R18.2, R22.3).

    One row per upload, locked (``FOR UPDATE NOWAIT``) by the request that appends a chunk
    or finishes it — PostgreSQL releases it when that request's process dies. Chunks become
    the parts of one S3 multipart upload; a chunk smaller than S3's 5 MiB minimum part is
    kept in the row (``tail``) and sent with the next one. The node that takes the chunks
    hashes them (SHA-256 and SM3) as they arrive, from a copy on its own disk; at the last
    byte the object is completed (and committed as such) and registered exactly once, then
    locked. Where the chunks went to several nodes (or the hashing node died) the finisher
    reads the object back once by streaming to hash it. A row is technical state, never
    business data: no model, no RPC, no access right reaches it."""

    _name = "hr.enforcement.store.upload"
    _description = "Resumable Upload on the Object Store"

    def init(self):
        self.env.cr.execute(
            SQL(
                """CREATE TABLE IF NOT EXISTS %s (
                       token varchar PRIMARY KEY,
                       uid integer NOT NULL,
                       meta jsonb NOT NULL,
                       object_key varchar NOT NULL,
                       multipart_id varchar,
                       parts jsonb NOT NULL DEFAULT '[]',
                       tail bytea NOT NULL DEFAULT '',
                       upload_offset bigint NOT NULL DEFAULT 0,
                       state varchar NOT NULL DEFAULT 'receiving',
                       version varchar,
                       result jsonb,
                       expires timestamp NOT NULL
                   )""",
                SQL.identifier(TABLE),
            )
        )
        # the copy (its path) that holds every chunk committed so far: see `_copy_chunk`
        self.env.cr.execute(
            SQL("ALTER TABLE %s ADD COLUMN IF NOT EXISTS copier varchar", SQL.identifier(TABLE))
        )

    # ------------------------------------------------------------------ rows
    @api.model
    def _open(self, token, meta):
        store = self.env["hr.enforcement.object.store"]._require()
        expires = datetime.fromisoformat(meta["expires"]).astimezone(timezone.utc)
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (token, uid, meta, object_key, expires) "
                "VALUES (%s, %s, %s, %s, %s)",
                SQL.identifier(TABLE),
                token,
                meta["uid"],
                json.dumps(meta),
                store.new_key(),
                expires.replace(tzinfo=None),
            )
        )

    @api.model
    def _get(self, token, lock=False):
        """The upload's row as a dict, or None; with `lock`, held until the transaction
        ends, or UploadBusy when another request holds it."""
        query = SQL(
            "SELECT token, uid, meta, object_key, multipart_id, parts, tail, upload_offset, "
            "state, version, result, expires, copier FROM %s WHERE token = %s %s",
            SQL.identifier(TABLE),
            token,
            SQL("FOR UPDATE NOWAIT") if lock else SQL(""),
        )
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(query)
                row = self.env.cr.dictfetchone()  # before the savepoint's own statement
        except psycopg2.errors.LockNotAvailable as error:
            raise UploadBusy(token) from error
        if row:
            row["tail"] = bytes(row["tail"])
        return row

    @api.model
    def _update(self, token, **values):
        assignments = SQL(", ").join(
            SQL(
                "%s = %s",
                SQL.identifier(name),
                json.dumps(value) if name in ("parts", "result", "meta") else value,
            )
            for name, value in values.items()
        )
        self.env.cr.execute(
            SQL("UPDATE %s SET %s WHERE token = %s", SQL.identifier(TABLE), assignments, token)
        )

    # ------------------------------------------------------------------ receiving
    @api.model
    def _append(self, row, block):
        """Send `block` (the chunk at the row's offset; the row locked) to the store; the
        new offset. A failure leaves the row as it was (the part is sent again)."""
        store = self.env["hr.enforcement.object.store"]._require()
        copier = self._copy_chunk(row, block)
        length = row["meta"]["length"]
        offset = row["upload_offset"] + len(block)
        data = row["tail"] + block
        last = offset >= length
        key, parts, upload_id = row["object_key"], list(row["parts"]), row["multipart_id"]
        if last and not parts:  # the whole file in one go
            version = store._call("put_object", Key=key, Body=data)["VersionId"]
            self._update(
                row["token"],
                upload_offset=offset,
                tail=b"",
                state=COMPLETE,
                version=version,
                copier=copier,
            )
            return offset
        if last or len(data) >= MIN_PART_BYTES:
            if not upload_id:
                upload_id = store._call("create_multipart_upload", Key=key)["UploadId"]
            number = len(parts) + 1  # the same number again if this chunk is resent
            etag = store._call(
                "upload_part", Key=key, UploadId=upload_id, PartNumber=number, Body=data
            )["ETag"]
            parts.append({"PartNumber": number, "ETag": etag})
            data = b""
        values = {
            "upload_offset": offset,
            "tail": data,
            "parts": parts,
            "multipart_id": upload_id,
            "copier": copier,
        }
        if last:
            values.update(
                state=COMPLETE,
                version=store._call(
                    "complete_multipart_upload",
                    Key=key,
                    UploadId=upload_id,
                    MultipartUpload={"Parts": parts},
                )["VersionId"],
            )
        self._update(row["token"], **values)
        return offset

    # ------------------------------------------------------------------ hashing on arrival
    @api.model
    def _copy_path(self, token):
        """Where this node copies upload `token`'s chunks to hash them as they arrive
        (R22.3), or None where the machine's boot cannot be told. A folder per boot: the
        copy is never synced, so bytes that a crash cut off are never hashed after it."""
        boot = upload_hashing.boot_id()
        if not boot:
            return None
        directory = os.path.join(self.env["hr.enforcement.filestore"]._root(), "hashing", boot)
        return os.path.join(directory, f"{token}.part")

    @api.model
    def _copy_chunk(self, row, block):
        """Copy the chunk at the row's offset (the row locked) into this node's copy, and
        hand the follower thread (`upload_hashing`) the chunks before it: committed before
        this request took the lock, they are what the store keeps. Returns the copy's path,
        which the row then names (`copier`) with the chunk committed, or None.

        The copy only serves hashing, never as evidence (the store's object is), and only
        while the row names it: every committed chunk then went through it, bytes for bytes.
        A node whose copy is not named (another node took a chunk, perhaps the very chunk
        that this node copied before its request failed) drops its copy, and the finisher
        reads the object back."""
        path, offset = self._copy_path(row["token"]), row["upload_offset"]
        try:
            size = os.path.getsize(path) if path and os.path.exists(path) else None
            if offset and (size is None or size < offset or row["copier"] != path):
                self._drop_copy(row["token"])
                return None
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "r+b" if size is not None else "wb") as copy:
                copy.truncate(offset)  # a chunk whose request failed: never acknowledged
                copy.seek(offset)
                copy.write(block)
            if offset:
                upload_hashing.acknowledge(
                    path,
                    offset,
                    row["meta"]["length"],
                    self.env["hr.enforcement.filestore"]._max_bytes(),
                )
        except OSError as error:  # costs speed only: the finisher reads the store back
            _logger.info("Upload %s not hashed on arrival: %s", row["token"], error)
            self._drop_copy(row["token"])
            return None
        return path

    @api.model
    def _facts_of_copy(self, row):
        """The facts of the complete upload as this node's follower hashed them, or None
        when this node holds no complete copy or its follower died."""
        meta, path = row["meta"], self._copy_path(row["token"])
        Store = self.env["hr.enforcement.filestore"]
        try:
            if not path or row["copier"] != path or os.path.getsize(path) != meta["length"]:
                return None
        except OSError:
            return None
        upload_hashing.acknowledge(path, meta["length"], meta["length"], Store._max_bytes())
        hashed = upload_hashing.wait_for_result(path)
        return hashed and Store._facts_of_hashed(hashed, meta["filename"], meta["length"])

    @api.model
    def _drop_copy(self, token):
        path = self._copy_path(token)
        if path:
            with contextlib.suppress(OSError):
                upload_hashing.discard(path)

    # ------------------------------------------------------------------ finishing
    @api.model
    def _finish(self, token):
        """Hash and register the complete upload `token` once (its row locked by the
        caller); returns the result headers. Raises UploadMismatch or UserError (the caller
        then discards it: it never becomes evidence) or OSError (kept complete, to be
        finished by the next request or the hourly job)."""
        row = self._get(token)
        if row["state"] == FINISHED:
            return row["result"]
        meta = row["meta"]
        store_fname = object_store.location(row["object_key"], row["version"])
        facts = self._facts_of_copy(row) or self.env["hr.enforcement.filestore"]._facts_of_stored(
            store_fname, meta["filename"], meta["length"]
        )
        facts["store_fname"] = store_fname
        if meta.get("sha256") and meta["sha256"].lower() != facts["sha256"]:
            raise UploadMismatch(_("The file does not match the SHA-256 announced."))
        self.env["hr.enforcement.object.store"]._lock_new(store_fname)
        facts["upload_token"] = token
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, self.env.uid, self.env.context)
            result = retrying(
                lambda: env["hr.enforcement.filestore"]._register_upload(token, meta, facts), env
            )
        self._update(token, state=FINISHED, result=result, tail=b"")
        self._drop_copy(token)
        return result

    @api.model
    def _discard(self, row):
        """Forget an upload; bytes that never became evidence are removed from the store."""
        store = self.env["hr.enforcement.object.store"]._get()
        if store is not None and row["state"] != FINISHED:
            try:
                if row["version"]:
                    store.delete_version(row["object_key"], row["version"])
                elif row["multipart_id"]:
                    store._call(
                        "abort_multipart_upload",
                        Key=row["object_key"],
                        UploadId=row["multipart_id"],
                    )
            except (ObjectStoreError, FileNotFoundError) as error:
                _logger.warning("Upload %s: its bytes stay on the store: %s", row["token"], error)
        self._drop_copy(row["token"])
        self.env.cr.execute(
            SQL("DELETE FROM %s WHERE token = %s", SQL.identifier(TABLE), row["token"])
        )

    @api.model
    def _cron_expire(self):
        """Each upload alone: a complete one left unregistered (its node died) is finished
        now; an abandoned one past its expiry is removed, bytes included; a finished one
        is forgotten once expired. Returns how many were handled."""
        self.env.cr.execute(
            SQL(
                "SELECT token, uid, state, expires < now() at time zone 'utc' FROM %s",
                SQL.identifier(TABLE),
            )
        )
        done = 0
        for token, uid, state, expired in self.env.cr.fetchall():
            if not expired and state != COMPLETE:
                continue  # being received, or finished and still answering its client
            try:
                with self.env.cr.savepoint():
                    row = self._get(token, lock=True)
                    if row["state"] == COMPLETE:
                        self.with_user(uid)._finish(token)
                    elif expired:
                        self._discard(row)
                done += 1
            except UploadBusy:
                continue  # a request is on it right now
            except UserError as error:  # not the file announced, or no longer allowed
                _logger.warning("Upload %s refused by the hourly job: %s", token, error)
                self._discard(self._get(token))
                done += 1
            except OSError as error:
                _logger.warning("Upload %s not finished by the hourly job: %s", token, error)
        return done
