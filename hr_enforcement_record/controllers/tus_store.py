"""tus 1.0 onto the object store: the upload's state in the database, its chunks parts of one
S3 multipart upload, so that any Odoo node takes the next chunk and a node that dies while
receiving one loses only that chunk (R18.2, R22.3). The protocol's answers are those of the
filestore's uploads (`tus.TusProtocol`)."""

import contextlib
from datetime import datetime, timezone

from werkzeug.exceptions import ClientDisconnected

from odoo import _
from odoo.exceptions import AccessError, UserError
from odoo.http import request

from ..models.hr_enforcement_filestore import UploadMismatch
from ..models.hr_enforcement_store_upload import COMPLETE, FINISHED, UploadBusy


class TusStoreProtocol:
    """Mixed into TusProtocol, which gives `_answer`, `_expiry`, `_checksum`,
    `_storage_failed`, `_refused_meta` and `upload_url`."""

    def _store_create(self, token, meta):
        try:
            request.env["hr.enforcement.store.upload"]._open(token, meta)
        except OSError as error:
            return self._storage_failed(error)
        return self._answer(201, Location=f"{self.upload_url}{token}", **self._expiry(meta))

    def _store_row(self, token):
        """The current user's upload `token` on the store, or None (another user's alike);
        an abandoned one is removed, one whose bytes are all in is kept until registered."""
        Uploads = request.env["hr.enforcement.store.upload"].sudo()
        row = Uploads._get(token)
        if not row or row["uid"] != request.env.uid:
            return None
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        if row["expires"] <= now and row["state"] != COMPLETE:
            with contextlib.suppress(UploadBusy):  # a request on it now: the next one will
                Uploads._discard(Uploads._get(token, lock=True))
            return None
        return row

    def _store_serve(self, token, row):
        method = request.httprequest.method
        if row["state"] == FINISHED:
            return self._store_finished(row, method)
        if method == "HEAD" and row["state"] != COMPLETE:
            return self._store_offset(row)
        Uploads = request.env["hr.enforcement.store.upload"].sudo()
        try:
            row = Uploads._get(token, lock=True)
        except UploadBusy:
            if row["state"] == COMPLETE:
                return self._answer(423, _("The file is being registered."), Retry_After=5)
            return self._answer(409, _("Another request is writing this upload."))
        try:
            if row["state"] == FINISHED:
                return self._store_finished(row, method)
            if method == "DELETE":
                Uploads._discard(row)
                return self._answer(204)
            if row["state"] == COMPLETE:  # its finisher died: take it up
                return self._store_complete(token, row, method)
            if method == "HEAD":
                return self._store_offset(row)
            return self._store_patch(token, row)
        except OSError as error:  # the store cannot be read or written
            return self._storage_failed(error)

    def _store_offset(self, row):
        return self._answer(
            200,
            Upload_Offset=row["upload_offset"],
            Upload_Length=row["meta"]["length"],
            **self._expiry(row["meta"]),
        )

    def _store_finished(self, row, method):
        if method == "DELETE":
            request.env["hr.enforcement.store.upload"].sudo()._discard(row)
            return self._answer(204)
        length = row["meta"]["length"]
        return self._answer(
            200 if method == "HEAD" else 204,
            Upload_Offset=length,
            Upload_Length=length,
            **self._expiry(row["meta"]),
            **(row["result"] or {}),
        )

    def _store_patch(self, token, row):
        httprequest = request.httprequest
        refused = self._refused_chunk(row["meta"])
        if refused:
            return refused
        checksum = self._checksum(httprequest.headers.get("Upload-Checksum"))
        if checksum is False:
            return self._answer(400, _("Unsupported checksum algorithm."))
        offset = row["upload_offset"]
        if httprequest.headers.get("Upload-Offset") != str(offset):
            return self._answer(409, Upload_Offset=offset)
        try:
            block = httprequest.get_data(cache=False)
        except ClientDisconnected:
            block = None
        if block is None or len(block) > row["meta"]["length"] - offset:
            return self._answer(400, Upload_Offset=offset)
        if checksum:
            checksum[0].update(block)
            if checksum[0].digest() != checksum[1]:
                return self._answer(460, Upload_Offset=offset)
        offset = request.env["hr.enforcement.store.upload"].sudo()._append(row, block)
        if offset < row["meta"]["length"]:
            return self._answer(204, Upload_Offset=offset, **self._expiry(row["meta"]))
        # complete on the store: committed as such before the file is read back, so that
        # another node or the hourly job finishes it if this one dies now
        request.env.cr.commit()
        try:
            row = request.env["hr.enforcement.store.upload"].sudo()._get(token, lock=True)
        except UploadBusy:
            return self._answer(423, _("The file is being registered."), Retry_After=5)
        return self._store_complete(token, row, "PATCH")

    def _store_complete(self, token, row, method):
        Uploads = request.env["hr.enforcement.store.upload"]
        try:
            result = Uploads._finish(token)
        except UploadMismatch as error:
            Uploads.sudo()._discard(row)
            return self._answer(460, error.args[0])
        except (UserError, AccessError) as error:
            Uploads.sudo()._discard(row)
            return self._answer(403 if isinstance(error, AccessError) else 400, error.args[0])
        length = row["meta"]["length"]
        return self._answer(
            200 if method == "HEAD" else 204,
            Upload_Offset=length,
            Upload_Length=length,
            **self._expiry(row["meta"]),
            **result,
        )
