import base64
import hashlib
import io

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date, split_every

from ..report.service_receipt_pdf import ReceiptWriter, qr_png

MAX_RECEIPTS = 1000  # one print run; a worker renders 1,000 receipts in about a second
RECEIPTS_REPORT = "hr_enforcement_service.report_service_receipts"
# what a receipt prints of its service, and the facts its remarks state per method
RECEIPT_FIELDS = [
    "company_id",
    "case_id",
    "document_id",
    "recipient_id",
    "place",
    "method",
    "server_id",
    "witness_name",
    "receipt_code",
    "receipt_qr",
    "receipt_version",
]
REMARK_FIELDS = {
    "postal": ("tracking_number",),
    "lodged": ("refusal_reason",),
    "public_notice": ("notice_medium", "notice_text"),
    "entrusted": ("delegation_reason", "intermediary"),
    "electronic": ("electronic_reason", "address_used"),
}


# the service is one model split by topic, each file under 500 lines (STYLE.md)
class HrEnforcementService(models.Model):
    """The service receipt (送达回证) of a service: numbered and QR-coded per version of the
    served document, printed in batches, scanned when it comes back signed, and its return
    registered with the scan of the signed paper (R14.1–R14.6, R22.3)."""

    _inherit = "hr.enforcement.service"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------ receipts
    def _document_hash_prefix(self):
        """Four bytes of the served document's fingerprint: its first file's SHA-256."""
        self.ensure_one()
        digest = self.document_id.file_ids[-1:].sha256
        if not digest:
            seed = f"{self.document_id.id}:{self.document_id.document_number or ''}"
            digest = hashlib.sha256(seed.encode()).hexdigest()
        return bytes.fromhex(digest)[:4]

    def action_issue_receipt(self):
        """A new receipt version and code for each service; older codes are revoked."""
        Token = self.env["hr.enforcement.receipt.token"]
        for service in self:
            if service.returned:
                raise UserError(
                    _("The receipt of %(service)s is back already.", service=service.name)
                )
            version = service.receipt_version + 1
            prefix = service._document_hash_prefix()
            code = Token._encode(service.id, version, prefix)
            service._app().write(
                {
                    "receipt_version": version,
                    "receipt_doc_hash": prefix.hex(),
                    "receipt_code": code,
                    # the QR matrix is computed once per version, never at printing time
                    "receipt_qr": base64.b64encode(qr_png(code)),
                }
            )

    def _check_printable(self):
        if not self:
            raise UserError(_("Select the services whose receipts you want to print."))
        if len(self) > MAX_RECEIPTS:
            raise UserError(_("Print at most %(max)s receipts at a time.", max=MAX_RECEIPTS))
        self._check_receipt_font()

    def _receipts_report_action(self):
        return self.env.ref("hr_enforcement_service.action_report_service_receipts").report_action(
            self
        )

    def _render_reportlab_batch(self, report_name):
        """The receipts of the selection drawn in one document (the frame once per batch),
        each service's code issued on its first print by someone who may change it; a
        reader prints only receipts issued already (R14.1, R20.1)."""
        if report_name != RECEIPTS_REPORT:
            return super()._render_reportlab_batch(report_name)
        self._check_printable()
        # one query: reading the codes through the records would load every column
        unissued = self.search([("id", "in", self.ids), ("receipt_code", "=", False)])
        if unissued:
            try:
                unissued.check_access("write")
            except AccessError as exc:
                raise UserError(
                    _(
                        "The receipts of %(services)s are not issued yet: the officers of "
                        "their cases print them first.",
                        services=", ".join(unissued.mapped("name")),
                    )
                ) from exc
            unissued.action_issue_receipt()
        stream = io.BytesIO()
        self._render_receipts(stream)
        return stream.getvalue()

    def action_print_receipts(self):
        """Print the 送达回证 of the selection as one PDF: each service's current receipt, its
        code issued on the first print. Printing again (or refreshing the PDF) shows the same
        receipt, so a paper already handed over still scans; a new one is a reprint (R14.1)."""
        self._check_printable()
        self.filtered(lambda service: not service.receipt_code).action_issue_receipt()
        return self._receipts_report_action()

    def action_reprint_receipts(self):
        """Issue a new receipt for each service (a lost or spoilt paper): the code printed
        before is refused when scanned from now on; said on the service and its case."""
        self._check_printable()
        printed = self.filtered("receipt_code")
        previous = {service: service.receipt_version for service in printed}
        self.action_issue_receipt()
        for service, version in previous.items():
            body = _(
                "Service receipt reprinted as version %(new)s by %(user)s: the paper of "
                "version %(old)s is refused when scanned (R14.1).",
                new=service.receipt_version,
                user=self.env.user.name,
                old=version,
            )
            service._app("mail.message").message_post(body=body, subtype_xmlid="mail.mt_note")
            service.case_id._app("mail.message").message_post(
                body=_("%(service)s: %(what)s", service=service.name, what=body),
                subtype_xmlid="mail.mt_note",
            )
        return self._receipts_report_action()

    @api.model
    def _check_receipt_font(self):
        return self.env["hr.enforcement.case"]._get_pdf_font()

    def _get_receipt_labels(self):

        return {
            "title": _("Service Receipt"),
            "case": _("Case No."),
            "document": _("Document served and its number"),
            "recipient": _("Recipient"),
            "place": _("Place of service"),
            "method": _("Method of service"),
            "recipient_sign": _("Signature or seal of the recipient"),
            "proxy_sign": _("Signer on behalf of the recipient and reason"),
            "server_sign": _("Signature of the server"),
            "witness_sign": _("Signature of the witness"),
            "remarks": _("Remarks"),
            "date_line": _("Date:        (Y)      (M)      (D)"),
            "issuer": _("Issuing authority (seal)"),
            "issued_on": _("Issued on"),
            "seal": _("(Seal)"),
        }

    def _get_receipt_remarks(self):
        """The facts of the method of service that the receipt's remarks state; only the
        method's own fields are read (a print run reads hundreds of services)."""
        self.ensure_one()
        values = [self[name] for name in REMARK_FIELDS.get(self.method, ())]
        if self.method == "lodged":
            values = [_("Refused: %s", values[0] or "")]
        return " ".join(filter(None, values))

    def _get_receipt_batch(self):
        """What the receipts of one print run share, computed once for the run: the method
        labels, the date of issue and the footer's wording."""
        return {
            "methods": dict(self._fields["method"]._description_selection(self.env)),
            "issued_on": format_date(self.env, fields.Date.context_today(self)),
            "footer": _(
                "Receipt code %(code)s, version %(version)s. Scan it when the signed receipt "
                "comes back."
            ),
        }

    def _get_receipt_data(self, batch=None):
        self.ensure_one()
        batch = batch or self._get_receipt_batch()

        document = self.document_id
        return {
            "authority": self.company_id.name or "",
            "issued_on": batch["issued_on"],
            "case": self.case_id.name or "",
            "document": " ".join(filter(None, [document.name, document.document_number])),
            "recipient": self.recipient_id.name or "",
            "place": self.place or "",
            "method": batch["methods"].get(self.method, ""),
            "server": self.server_id.name or "",
            "witness": self.witness_name or "",
            "remarks": self._get_receipt_remarks(),
            "code": self.receipt_code,
            "qr_png": base64.b64decode(self.receipt_qr) if self.receipt_qr else None,
            "footer": batch["footer"]
            % {"code": self.receipt_code, "version": self.receipt_version},
        }

    def _fetch_receipt_data(self):
        """Read what the receipts of `self` print, and only that, in one query per model
        (the services' other columns and their co-models' are not loaded)."""
        self.fetch(RECEIPT_FIELDS + [name for names in REMARK_FIELDS.values() for name in names])
        self.company_id.fetch(["name"])
        self.case_id.fetch(["name"])
        self.recipient_id.fetch(["name"])
        self.server_id.fetch(["name"])
        self.document_id.fetch(["name", "document_number"])

    def _render_receipts(self, stream, batch_size=MAX_RECEIPTS):
        """Write the receipts of `self` (codes issued) as one PDF into `stream`. A print
        run (at most MAX_RECEIPTS) is read in one query per model; larger selections would
        be read `batch_size` services at a time, the cache emptied between batches."""
        writer = ReceiptWriter(
            stream,
            self._check_receipt_font(),
            self._get_receipt_labels(),
            _("Service Receipts"),
            self.env.company.name,
        )
        shared = self._get_receipt_batch()
        for ids in split_every(batch_size, self.ids):
            services = self.browse(ids)
            services._fetch_receipt_data()
            for service in services:
                if not service.receipt_code:
                    raise UserError(_("Issue the receipt codes before rendering the receipts."))
                writer.add(service._get_receipt_data(shared))
            self.env.invalidate_all()
        writer.close()

    @api.model
    def _lookup_receipt(self, code):
        """(service, result) for a scanned code, in one indexed query; never raises."""
        try:
            service_id, version, prefix = self.env["hr.enforcement.receipt.token"]._decode(code)
        except ValueError as error:
            return self.browse(), error.args[0]
        rows = self.search_fetch(
            [("id", "=", service_id)], ["receipt_version", "receipt_doc_hash", "returned"]
        )
        if not rows:
            return self.browse(), "forged"
        if version != rows.receipt_version:
            return rows, "revoked"
        if prefix.hex() != rows.receipt_doc_hash:
            return rows, "stale"
        if rows.returned:
            return rows, "replayed"
        return rows, "valid"

    @api.model
    def _scan_receipt(self, code):
        """Resolve a scanned code and log the scan, whatever its outcome (R22.2)."""
        service, result = self._lookup_receipt(code)
        # sudo: every scan is logged, including by users who may not read the log
        self.env["hr.enforcement.receipt.scan"].sudo()._app().create(
            {
                "user_id": self.env.uid,
                "code": (code or "")[:64],
                "service_id": service.id,
                "result": result,
            }
        )
        return service if result == "valid" else self.browse(), result

    @api.model
    def action_scan_code(self, code):
        """Entry point of the scanning screen: the return form of a valid code, or a
        message that names nothing but what is wrong with the code (R22.2)."""
        service, result = self._scan_receipt(code)
        if result == "valid":
            return {
                "type": "ir.actions.act_window",
                "name": _("Register the Returned Receipt"),
                "res_model": "hr.enforcement.receipt.return",
                "view_mode": "form",
                "views": [(False, "form")],
                "target": "new",
                "context": {"default_service_id": service.id, "default_code": code.strip()},
            }
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("Receipt code refused"),
                "message": self._scan_messages()[result],
                "type": "danger",
                "sticky": False,
            },
        }

    @api.model
    def _scan_messages(self):
        return {
            "malformed": _("This is not a service receipt code. Scan the QR code again."),
            "forged": _(
                "No receipt of this database matches this code, or you may not see it. "
                "The attempt has been logged."
            ),
            "revoked": _(
                "This receipt was reprinted; its code is no longer valid. Scan the newest "
                "printed receipt."
            ),
            "stale": _(
                "The served document changed after this receipt was printed; print a new receipt."
            ),
            "replayed": _("The return of this receipt is registered already."),
        }

    def action_register_return(self, values, scan_content=None, scan_name=None):
        """Register the signed (or refused) receipt that came back, with the scan of the
        paper stored as evidence (a sealed 送达回证 record of the case, R14.1-R14.6)."""
        self.ensure_one()
        if self.returned:
            raise UserError(self._scan_messages()["replayed"])
        required = ["returned_on", "return_signer_type", "return_signer_name", "return_signed"]
        if self.method == "postal":
            required.append("return_tracking_number")  # R14.2: the EMS number of the return
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in required
            if not values.get(name)
        ]
        if not scan_content:
            missing.append(_("the scan of the signed receipt"))
        if missing:
            raise UserError(
                _("Give %(missing)s to register the return.", missing=", ".join(missing))
            )
        record = self._store_returned_receipt(values["returned_on"], scan_content, scan_name)
        self._app().write(
            {name: values[name] for name in required}
            | {"returned": True, "return_record_id": record.id}
        )
        self._app("mail.message").message_post(
            body=_("Signed receipt returned and stored as %s.", record.name)
        )

    def _store_returned_receipt(self, returned_on, content, filename):
        kind = self.env.ref("hr_enforcement_service.document_type_service_receipt")
        record = self.env["hr.enforcement.text.record"].create(
            {
                "case_id": self.case_id.id,
                # a receipt has no 文号 of its own: it names the document it served
                "name": _(
                    "Service receipt: %s", " ".join(filter(None, [self.name, self.document_number]))
                ),
                "document_type_id": kind.id,
                "date": fields.Datetime.to_datetime(returned_on),
            }
        )
        self.env["hr.enforcement.evidence.file"]._create_from_stream(
            io.BytesIO(content), filename or "receipt.pdf", record, expected_size=len(content)
        )
        record.action_seal()
        return record
