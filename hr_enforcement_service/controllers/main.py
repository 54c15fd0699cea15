import tempfile

from werkzeug.wsgi import wrap_file

from odoo import _, http
from odoo.http import Response, request

from ..models.hr_enforcement_service_receipt import MAX_RECEIPTS

SPOOL_BYTES = 16 * 1024 * 1024


class ServiceReceiptController(http.Controller):
    @http.route("/hr_enforcement/service/receipts", type="http", auth="user", methods=["GET"])
    def receipts(self, ids="", **kwargs):
        """The service receipts (送达回证) of `ids` as one PDF, spooled to disk past 16 MiB
        and streamed to the browser. Codes are issued by `action_print_receipts()`; this
        route only renders them, for whoever may read the services."""
        try:
            service_ids = list(dict.fromkeys(int(part) for part in ids.split(",") if part))
        except ValueError:
            return request.not_found()
        if len(service_ids) > MAX_RECEIPTS:
            return request.make_response(
                _("Print at most %(max)s receipts at a time.", max=MAX_RECEIPTS),
                headers=[("Content-Type", "text/plain; charset=utf-8")],
                status=413,
            )
        # receipts the user may not read are left out as if they did not exist (R20.1)
        Service = request.env["hr.enforcement.service"]
        readable = set(Service.search([("id", "in", service_ids)]).ids)
        services = Service.browse([sid for sid in service_ids if sid in readable])
        if not services:
            return request.not_found()
        # closed by the response once streamed, hence no `with`
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
        services._render_receipts(spool)
        size = spool.tell()
        spool.seek(0)
        name = "receipts.pdf" if len(services) > 1 else f"receipt-{services.id}.pdf"
        return Response(
            wrap_file(request.httprequest.environ, spool),
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Length", str(size)),
                ("Content-Disposition", f'inline; filename="{name}"'),
            ],
            direct_passthrough=True,
        )
