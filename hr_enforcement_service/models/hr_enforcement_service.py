import hashlib
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.hr_enforcement_record.models.hr_enforcement_approval_mixin import SYSTEM_WRITE

DEFAULT_NOTICE_DAYS = 30
PENALTY_SERVICE_DAYS = 7

RECEIPT_FIELDS = {
    "receipt_version",
    "receipt_code",
    "receipt_doc_hash",
    "returned",
    "returned_on",
    "return_signer_name",
    "return_signed",
}
# R14.x: the facts each method of service must record before the service counts as done.
METHOD_FACTS = {
    "direct": ("R14.1", ["server_id", "signer_name", "signer_relation", "signed"]),
    "postal": (
        "R14.2",
        [
            "postal_kind",
            "tracking_number",
            "mail_register_ref",
            "postage_voucher_ref",
            "receipt_proof",
        ],
    ),
    "lodged": (
        "R14.3",
        [
            "refusal_reason",
            "server_id",
            "witness_name",
            "server_signed",
            "witness_signed",
            "av_record_id",
        ],
    ),
    "public_notice": (
        "R14.4",
        ["failed_attempt_ids", "notice_medium", "publication_date", "notice_text", "av_record_id"],
    ),
    "entrusted": (
        "R14.5",
        ["delegation_reason", "intermediary", "server_id", "signer_name", "signed"],
    ),
    "electronic": (
        "R14.6",
        ["electronic_reason", "address_used", "server_id", "witness_name", "av_record_id"],
    ),
}


class HrEnforcementService(models.Model):
    """The service of one served document on one recipient, by one method of article 14
    (R14.1–R14.6). Officers on the case record it; each method's required facts are checked
    in the model when the service is registered as done, for every entry point. Once done or
    failed, a service record no longer changes (R22.3)."""

    _name = "hr.enforcement.service"
    _description = "Service of a Document"
    _inherit = ["mail.thread"]
    _order = "id desc"

    name = fields.Char(compute="_compute_name", store=True)
    case_id = fields.Many2one(
        "hr.enforcement.case", required=True, index=True, ondelete="restrict", tracking=True
    )
    company_id = fields.Many2one(related="case_id.company_id", store=True)
    document_id = fields.Many2one(
        "hr.enforcement.text.record",
        "Served Document",
        required=True,
        ondelete="restrict",
        tracking=True,
        domain="[('case_id', '=', case_id), ('sealed', '=', True)]",
    )
    document_number = fields.Char(related="document_id.document_number", string="Document No.")
    recipient_id = fields.Many2one("res.partner", required=True, tracking=True)
    method = fields.Selection(
        [
            ("direct", "Direct service"),
            ("postal", "Postal service"),
            ("lodged", "Lodged service"),
            ("public_notice", "Public notice"),
            ("entrusted", "Entrusted or transferred service"),
            ("electronic", "Fax or e-mail"),
        ],
        required=True,
        tracking=True,
    )
    state = fields.Selection(
        [("draft", "To serve"), ("served", "Served"), ("failed", "Failed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    service_date = fields.Date(tracking=True)
    service_deadline = fields.Date(compute="_compute_service_deadline", store=True)
    served_late = fields.Boolean(compute="_compute_service_deadline", store=True)
    place = fields.Char()
    server_id = fields.Many2one("hr.employee", tracking=True)
    signer_name = fields.Char(tracking=True)
    signer_relation = fields.Selection(
        [
            ("recipient", "The recipient"),
            ("family", "Adult family member living with the recipient"),
            ("staff", "Person in charge of documents of the organisation"),
            ("agent", "Authorised agent"),
        ],
        tracking=True,
    )
    signed = fields.Boolean("Signed or Sealed", tracking=True)
    # postal (R14.2)
    postal_kind = fields.Selection(
        [
            ("registered", "Registered letter"),
            ("ems", "EMS express"),
            ("ordinary", "Ordinary mail"),
        ],
        tracking=True,
    )
    tracking_number = fields.Char(tracking=True)
    mail_register_ref = fields.Char("Mailing Register Entry", tracking=True)
    postage_voucher_ref = fields.Char(
        "Postage Voucher",
        help="The voucher names the document and its number (文号).",
        tracking=True,
    )
    receipt_proof = fields.Char("Proof of Receipt", tracking=True)
    returned_by_post = fields.Boolean(tracking=True)
    return_reason = fields.Char(tracking=True)
    # lodged (R14.3)
    refusal_reason = fields.Text(tracking=True)
    witness_name = fields.Char(tracking=True)
    server_signed = fields.Boolean(tracking=True)
    witness_signed = fields.Boolean(tracking=True)
    av_record_id = fields.Many2one("hr.enforcement.av.record", "AV Record", tracking=True)
    # public notice (R14.4)
    failed_attempt_ids = fields.Many2many(
        "hr.enforcement.service",
        "hr_enforcement_service_failed_rel",
        "notice_id",
        "attempt_id",
        string="Failed Attempts",
    )
    notice_medium = fields.Char(tracking=True)
    publication_date = fields.Date(tracking=True)
    notice_period_days = fields.Integer(default=lambda self: self._default_notice_days())
    notice_text = fields.Text("Text of the Notice")
    deemed_served_date = fields.Date(compute="_compute_deemed_served_date", store=True)
    # entrusted (R14.5) and fax / e-mail (R14.6)
    delegation_reason = fields.Text(tracking=True)
    intermediary = fields.Char(tracking=True)
    electronic_reason = fields.Text(tracking=True)
    address_used = fields.Char(tracking=True)
    failure_reason = fields.Text(tracking=True)
    # receipt (送达回证) and its return
    receipt_version = fields.Integer(readonly=True, copy=False)
    receipt_code = fields.Char(readonly=True, copy=False, index=True)
    receipt_doc_hash = fields.Char(readonly=True, copy=False)
    returned = fields.Boolean("Receipt Returned", readonly=True, copy=False, tracking=True)
    returned_on = fields.Date("Receipt Returned On", readonly=True, copy=False, tracking=True)
    return_signer_name = fields.Char(readonly=True, copy=False, tracking=True)
    return_signed = fields.Selection(
        [("signed", "Signed"), ("refused", "Refused to sign")],
        readonly=True,
        copy=False,
        tracking=True,
    )

    @api.model
    def _default_notice_days(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("hr_enforcement.public_notice_days")
        )
        return int(value) if value else DEFAULT_NOTICE_DAYS

    @api.depends("document_id", "recipient_id", "method")
    def _compute_name(self):
        labels = dict(self._fields["method"]._description_selection(self.env))
        for service in self:
            service.name = " / ".join(
                filter(
                    None,
                    [
                        service.document_id.name,
                        service.recipient_id.name,
                        labels.get(service.method),
                    ],
                )
            )

    @api.depends("case_id.date_decided", "case_id.enforcement_type", "document_id", "service_date")
    def _compute_service_deadline(self):
        """A penalty decision is served within 7 days of the decision."""
        calendar = self.env["hr.enforcement.holiday"]
        for service in self:
            decided = service.case_id.date_decided
            is_decision = service.document_id.document_type_id.is_decision
            service.service_deadline = (
                calendar._add_calendar_days(decided, PENALTY_SERVICE_DAYS)
                if decided and is_decision and service.case_id.enforcement_type == "penalty"
                else False
            )
            service.served_late = bool(
                service.service_deadline
                and service.service_date
                and service.service_date > service.service_deadline
            )

    @api.depends("method", "publication_date", "notice_period_days")
    def _compute_deemed_served_date(self):
        """R14.4: served when the notice period after publication has passed."""
        for service in self:
            service.deemed_served_date = (
                service.publication_date + timedelta(days=service.notice_period_days)
                if service.method == "public_notice" and service.publication_date
                else False
            )

    @api.constrains("postal_kind")
    def _check_postal_kind(self):
        """R14.2: registered letter or EMS only."""
        for service in self:
            if service.postal_kind == "ordinary":
                raise ValidationError(
                    _(
                        "Postal service uses a registered letter or EMS only, never ordinary "
                        "mail (R14.2)."
                    )
                )

    @api.constrains("document_id", "case_id")
    def _check_document(self):
        for service in self:
            document = service.document_id
            if document.case_id != service.case_id:
                raise ValidationError(_("The served document belongs to another case."))
            if not document.sealed or (
                document.document_type_id.is_decision and not service.case_id.date_decided
            ):
                raise ValidationError(
                    _(
                        "%(document)s is not approved and sealed yet; it cannot be served "
                        "(R13.5, R22.3).",
                        document=document.name,
                    )
                )

    @api.constrains("state", "method", "failed_attempt_ids")
    def _check_method_facts(self):
        """R14.1–R14.6: a service counts as done only with its method's facts."""
        for service in self:
            if service.state != "served":
                continue
            missing = service._get_missing_facts()
            if missing:
                ref = METHOD_FACTS[service.method][0]
                raise ValidationError(
                    _(
                        "This service cannot be registered as done without: %(missing)s (%(ref)s).",
                        missing=", ".join(missing),
                        ref=ref,
                    )
                )

    def _get_missing_facts(self):
        self.ensure_one()
        _ref, names = METHOD_FACTS[self.method]
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in names
            if not self[name]
        ]
        if not self.service_date and self.method != "public_notice":
            missing.append(self._fields["service_date"].get_description(self.env)["string"])
        if self.method == "public_notice" and self.failed_attempt_ids.filtered(
            lambda s: s.state != "failed"
        ):
            missing.append(_("failed attempts that really failed"))
        return missing

    def write(self, vals):
        system = self.env.context.get("hr_enforcement_system") is SYSTEM_WRITE
        if not system and ({"state"} | RECEIPT_FIELDS) & set(vals):
            raise UserError(_("Register the service with its buttons (R14)."))
        registered = self.filtered(lambda s: s.state != "draft")
        if not system and registered and set(vals) - {"message_main_attachment_id"}:
            raise UserError(_("A registered service no longer changes (R22.3)."))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda s: s.state != "draft"):
            raise UserError(_("A registered service is never deleted (R22.3)."))

    def action_register_served(self):
        for service in self:
            if service.method == "public_notice" and not service.service_date:
                service.service_date = service.deemed_served_date
        self.with_context(hr_enforcement_system=SYSTEM_WRITE).write({"state": "served"})

    def action_register_failed(self):
        for service in self:
            if not service.failure_reason:
                raise UserError(_("Write why the service failed (R14.4)."))
        self.with_context(hr_enforcement_system=SYSTEM_WRITE).write({"state": "failed"})

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
        """Print or reprint: a new version, a new code; older codes are revoked."""
        Token = self.env["hr.enforcement.receipt.token"]
        for service in self:
            if service.returned:
                raise UserError(
                    _("The receipt of %(service)s is back already.", service=service.name)
                )
            version = service.receipt_version + 1
            prefix = service._document_hash_prefix()
            service.with_context(hr_enforcement_system=SYSTEM_WRITE).write(
                {
                    "receipt_version": version,
                    "receipt_doc_hash": prefix.hex(),
                    "receipt_code": Token._encode(service.id, version, prefix),
                }
            )

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
        self.env["hr.enforcement.receipt.scan"].sudo().create(
            {
                "user_id": self.env.uid,
                "code": (code or "")[:64],
                "service_id": service.id,
                "result": result,
            }
        )
        return service if result == "valid" else self.browse(), result

    def action_register_return(self, returned_on, signer_name, signed):
        """Register the signed (or refused) receipt that came back."""
        self.ensure_one()
        if self.returned:
            raise UserError(_("The return of this receipt is registered already."))
        if not (returned_on and signer_name and signed in ("signed", "refused")):
            raise UserError(
                _("Give the return date, the signer and whether the receipt was signed.")
            )
        self.with_context(hr_enforcement_system=SYSTEM_WRITE).write(
            {
                "returned": True,
                "returned_on": returned_on,
                "return_signer_name": signer_name,
                "return_signed": signed,
            }
        )
