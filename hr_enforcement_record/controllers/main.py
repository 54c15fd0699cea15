import json
import logging
import os

import werkzeug.exceptions
from markupsafe import Markup
from werkzeug.exceptions import ClientDisconnected

from odoo import _, api, http
from odoo.exceptions import AccessError, UserError
from odoo.http import Response, content_disposition, request
from odoo.service.model import retrying

from ..models.hr_enforcement_evidence_file import EvidenceDamaged
from ..tools import object_store
from ..tools.evidence_bytes import IngestSink, clean_filename

_logger = logging.getLogger(__name__)

RECORD_MODELS = ("hr.enforcement.text.record", "hr.enforcement.av.record")
FORM_OVERHEAD = 64 * 1024  # the multipart headers around the file


def storage_failure(error):
    """What a client is told, in the user's language, when the evidence store could not
    write an upload (a full disk, an unreachable object store); nothing of the request's
    transaction is kept and the failure is logged."""
    request.env.cr.rollback()
    _logger.warning("Evidence store failed during an upload: %s", error)
    return _(
        "The evidence store cannot write the file now (%s). Try again later.",
        error.strerror or type(error).__name__,
    )


class EvidenceController(http.Controller):
    @http.route(
        "/hr_enforcement/evidence/upload/<string:model>/<int:record_id>",
        type="http",
        # Scripts post with an API key (Authorization: Bearer); a session alone is taken
        # only for a same-origin navigation (Sec-Fetch headers), so a page elsewhere
        # cannot make one of our users post a form here: that is the CSRF protection.
        auth="bearer",
        methods=["POST"],
        csrf=False,
        # Odoo calls it before it reads the form: our limit (hr_enforcement.evidence_max_bytes)
        # and where the file part goes
        max_content_length=lambda controller: controller._prepare_form_upload(),
    )
    def upload(self, model, record_id, filename=None, **kwargs):
        """One request, one file (the multipart field `file`), for scripts and small files;
        large files go through the resumable route. werkzeug's form parser writes the file
        part straight into the evidence store while it is hashed, in one pass (see
        `_prepare_form_upload`); a broken or refused upload leaves nothing registered
        (R22.3, R22.4)."""
        httprequest = request.httprequest
        if model not in RECORD_MODELS:
            return self._reply(404, _("Unknown record type."))
        if httprequest.mimetype != "multipart/form-data":
            return self._reply(415, _("Send the file as multipart/form-data, field 'file'."))
        try:
            record = request.env[model].search([("id", "=", record_id)])
            if not record:
                return self._reply(404, _("The record does not exist."))
            record.check_access("write")
            record._check_can_add_file()
            upload = httprequest.files.get("file")
            if not upload:
                return self._reply(400, _("The file is missing (multipart field 'file')."))
            filename = clean_filename(filename or upload.filename or "")
            Store = request.env["hr.enforcement.filestore"]
            if isinstance(upload.stream, IngestSink):
                facts = Store._finish_sink(upload.stream, filename)
            else:  # the store could not take it while the form was read: it tells why now
                facts = Store._ingest(upload.stream, filename)
            request.env.cr.rollback()  # nothing of the request's own transaction is kept
            evidence_id = self._register(model, record_id, facts, filename)
        except (UserError, AccessError) as error:
            request.env.cr.rollback()
            return self._reply(403 if isinstance(error, AccessError) else 400, error.args[0])
        except ClientDisconnected:
            request.env.cr.rollback()
            _logger.info("Evidence upload onto %s,%s broken off by the client", model, record_id)
            return self._reply(400, _("The upload was broken off; nothing was stored."))
        except OSError as error:  # a full disk, an unreachable object store: nothing stored
            return self._reply(507, storage_failure(error))
        finally:
            for parts in httprequest.files.listvalues():
                for part in parts:
                    part.close()  # an unfinished sink (a refused record) keeps nothing
        return self._reply(
            201,
            _("Stored."),
            id=evidence_id,
            sha256=facts["sha256"],
            size=int(facts["file_size"]),
        )

    def _prepare_form_upload(self):
        """Called by Odoo before it reads the form (as the route's max_content_length):
        the largest body taken, and the form's first file part streamed into the evidence
        store as werkzeug parses it (`IngestSink`), hashed on the way, instead of spooled
        to a temporary file and read again (R22.3). Other file parts are spooled as usual."""
        limit = self._upload_limit()
        # werkzeug's own hook for where file parts go, on the request Odoo wraps (Odoo's
        # bus reaches the wrapped request's socket the same way)
        wrapped = request.httprequest._HTTPRequest__wrapped
        spool, sinks = wrapped._get_file_stream, []
        Store = request.env["hr.enforcement.filestore"]

        def stream_factory(total_content_length, content_type, filename=None, content_length=None):
            if not sinks:
                try:
                    sinks.append(Store._open_sink(None))
                    return sinks[0]
                except OSError as error:  # told by the route, which tries the store again
                    sinks.append(error)
                    _logger.warning("Evidence store not ready for a form upload: %s", error)
            return spool(total_content_length, content_type, filename, content_length)

        wrapped._get_file_stream = stream_factory
        return limit

    def _upload_limit(self):
        """The largest body the single-request route takes. Odoo parses the form before
        the route runs: a declared length over it is refused here at once, in the user's
        language, without reading a byte of the body; an undeclared (chunked) body is cut
        by werkzeug at the same limit (R22.3)."""
        env = request.env
        limit = env["hr.enforcement.filestore"].sudo()._max_bytes()
        if (request.httprequest.content_length or 0) > limit + FORM_OVERHEAD:
            # the user's context is not loaded yet at this point: their language is
            env = env(context=dict(env.context, lang=env.user.lang))
            response = self._reply(
                413, env._("The file is larger than the limit of %s bytes.", limit)
            )
            response.headers["Connection"] = "close"
            werkzeug.exceptions.abort(response)
        return limit + FORM_OVERHEAD

    @staticmethod
    def _register(model, record_id, facts, filename):
        """Register stored bytes in a short transaction of their own, retried on a
        serialisation failure (a colleague logging on the same case): the request body,
        already consumed, is never read twice (R22.3)."""
        with request.env.registry.cursor() as cr:
            env = api.Environment(cr, request.env.uid, request.env.context)

            def register():
                record = env[model].browse(record_id)
                record.check_access("write")
                return (
                    env["hr.enforcement.evidence.file"]._register_stored(facts, filename, record).id
                )

            return retrying(register, env)

    def _reply(self, status, message, **extra):
        body = json.dumps(dict(extra, message=message), ensure_ascii=False)
        return request.make_response(
            body, headers=[("Content-Type", "application/json; charset=utf-8")], status=status
        )

    @staticmethod
    def _damaged_page(message):
        """The page shown instead of a damaged file (R22.4): what was registered and when
        it was last found intact, in the user's language."""
        title = _("This evidence file is not served")
        hint = _(
            "The file on disk is not the one that was registered. Report it to the "
            "archivist; a manager may fetch the bytes for forensic work, with a purpose."
        )
        body = Markup(
            "<!DOCTYPE html><html><head><meta charset='utf-8'/><title>%s</title></head>"
            "<body><h1>%s</h1><p>%s</p><p>%s</p></body></html>"
        ) % (title, title, message, hint)
        return request.make_response(
            str(body), headers=[("Content-Type", "text/html; charset=utf-8")], status=409
        )

    @http.route(
        "/hr_enforcement/evidence/<int:file_id>/download", type="http", auth="user", methods=["GET"]
    )
    def download(self, file_id, purpose=None, inline=None, forensic=None, **kwargs):
        """Stream a stored file to whoever may read it, as a download or shown in the browser
        (`inline=1`); every view and download is logged with its purpose (R22.2)."""
        # unknown and unreadable files answer alike: nothing says that a file exists (R20.1)
        evidence = request.env["hr.enforcement.evidence.file"]._get_for_download(file_id, kwargs)
        if not evidence:
            return request.not_found()
        try:
            location = evidence._get_download_location(
                purpose, inline=bool(inline), forensic=bool(forensic)
            )
        except EvidenceDamaged as error:
            # no rollback: the damage just found is recorded, alerted and logged
            return self._damaged_page(error.args[0])
        except (UserError, AccessError) as error:
            request.env.cr.rollback()
            return request.make_response(
                error.args[0], headers=[("Content-Type", "text/plain; charset=utf-8")], status=403
            )
        store = request.env["hr.enforcement.filestore"]
        try:
            # what is stored now: a forensic copy of an altered file has its own size
            with store._open(location) as handle:
                size = handle.seek(0, os.SEEK_END)
        except OSError:
            # gone or unreadable since it was checked, or fetched for forensic work: a page
            # that says so, never a server error
            request.env.cr.rollback()
            return self._damaged_page(
                _(
                    "The stored bytes of %(name)s (SHA-256 %(sha256)s) cannot be read from "
                    "the file store: they are missing or unreadable.",
                    name=evidence.name,
                    sha256=evidence.sha256,
                )
            )
        name = clean_filename(evidence.name)
        if object_store.is_stored_there(location):
            # streamed from the store's version, never held whole in memory (R22.4)
            response = Response(
                store._iter_bytes(location),
                mimetype=evidence.mimetype,
                direct_passthrough=True,
                headers=[
                    ("Content-Length", str(size)),
                    (
                        "Content-Disposition",
                        content_disposition(name).replace("attachment", "inline", 1)
                        if inline
                        else content_disposition(name),
                    ),
                    ("X-Content-Type-Options", "nosniff"),
                ],
            )
            return response
        return http.Stream(
            type="path",
            path=store._full_path(location),
            mimetype=evidence.mimetype,
            download_name=name,
            as_attachment=not inline,
            size=size,
        ).get_response()
