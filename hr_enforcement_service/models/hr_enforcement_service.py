from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

DEFAULT_NOTICE_DAYS = 30

SIGNER_RELATIONS = [
    ("recipient", "The recipient"),
    ("family", "Adult family member living with the recipient"),
    ("staff", "Person in charge of documents of the organisation"),
    ("agent", "Authorised agent"),
]
# the receipt and its return are kept current by the application after the service is done
RECEIPT_FIELDS = frozenset(
    {
        "return_signer_type",
        "return_tracking_number",
        "return_record_id",
        "receipt_version",
        "receipt_code",
        "receipt_doc_hash",
        "receipt_qr",
        "returned",
        "returned_on",
        "return_signer_name",
        "return_signed",
    }
)
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
    # 行政处罚法 第六十一条第二款: by fax or e-mail only with the party's signed consent
    "electronic": (
        "R14.6",
        [
            "consent_record_id",
            "electronic_reason",
            "address_used",
            "server_id",
            "witness_name",
            "av_record_id",
        ],
    ),
}


class HrEnforcementService(models.Model):
    """The service of one served document on one recipient, by one method of article 14
    (R14.1–R14.6). Officers on the case record it; each method's required facts are checked
    in the model when the service is registered as done, for every entry point. Once done or
    failed, a service record no longer changes (R22.3)."""

    _name = "hr.enforcement.service"
    _description = "Service of a Document"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _order = "id desc"
    _period_deadline_fields = ("service_deadline",)
    _rec_names_search = ["case_id.name", "document_id.name", "recipient_id.name"]
    _guard_parent_fields = ("case_id",)
    _guard_immutable_fields = frozenset({"case_id"})
    _guard_rule_ref = "R14, R22.3"
    _guard_open_states = ("draft",)
    _guard_closed_writable = RECEIPT_FIELDS

    # computed in the reader's language (the document and method labels), never stored
    name = fields.Char(compute="_compute_name")
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
    signer_relation = fields.Selection(SIGNER_RELATIONS, tracking=True)
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
    consent_record_id = fields.Many2one(
        "hr.enforcement.text.record",
        "Party's Consent to Electronic Service",
        domain="[('case_id', '=', case_id),"
        " ('document_type_id.code', '=', 'electronic_service_consent')]",
        tracking=True,
        help="The confirmation the party signed, agreeing to service by fax or e-mail at the "
        "address it gave (行政处罚法 art. 61 (2)).",
    )
    failure_reason = fields.Text(tracking=True)
    # receipt (送达回证) and its return
    receipt_version = fields.Integer(readonly=True, copy=False)
    receipt_code = fields.Char(readonly=True, copy=False, index=True)
    receipt_doc_hash = fields.Char(readonly=True, copy=False)
    receipt_qr = fields.Binary(
        "Receipt QR Code",
        attachment=False,
        readonly=True,
        copy=False,
        help="The QR code of the current receipt as a PNG of one pixel per module, made "
        "when the receipt version is issued: printing draws it as it is.",
    )
    returned = fields.Boolean("Receipt Returned", readonly=True, copy=False, tracking=True)
    returned_on = fields.Date("Receipt Returned On", readonly=True, copy=False, tracking=True)
    return_signer_name = fields.Char(readonly=True, copy=False, tracking=True)
    return_signed = fields.Selection(
        [("signed", "Signed"), ("refused", "Refused to sign")],
        readonly=True,
        copy=False,
        tracking=True,
    )
    return_signer_type = fields.Selection(
        SIGNER_RELATIONS,
        "Signed By",
        readonly=True,
        copy=False,
    )
    return_tracking_number = fields.Char(
        "EMS No. of the Return", readonly=True, copy=False, tracking=True
    )
    return_record_id = fields.Many2one(
        "hr.enforcement.text.record", "Returned Receipt", readonly=True, copy=False
    )

    @api.model
    def _default_notice_days(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("hr_enforcement.public_notice_days")
        )
        return int(value) if value else DEFAULT_NOTICE_DAYS

    @api.depends("document_id", "recipient_id", "method")
    @api.depends_context("lang")
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
        """A penalty decision is served within 7 working days of the decision
        (行政处罚法 第六十一条、第八十五条; the table of periods)."""
        calendar = self.env["hr.enforcement.holiday"]
        for service in self:
            decided = service.case_id.date_decided
            is_decision = service.document_id.document_type_id.is_decision
            service.service_deadline = (
                calendar._period_end("penalty_service", decided)
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

    @api.constrains("consent_record_id", "service_date", "address_used")
    def _check_consent(self):
        for service in self.filtered("consent_record_id"):
            consent = service.consent_record_id.sudo()
            if (
                consent.case_id != service.case_id
                or consent.document_type_id.code != "electronic_service_consent"
                or not consent.party_signed
                or (
                    service.service_date
                    and consent.date
                    and consent.date.date() > service.service_date
                )
            ):
                raise ValidationError(
                    _(
                        "Fax or e-mail service needs the party's signed consent, of this case, "
                        "given before the service (行政处罚法 art. 61 (2); R14.6)."
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

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        if self.filtered(lambda s: s.state != "draft"):
            raise UserError(_("A registered service is never deleted (R22.3)."))

    def action_register_served(self):
        for service in self:
            if service.method == "public_notice" and not service.service_date:
                service.service_date = service.deemed_served_date
        self._app().write({"state": "served"})

    def action_register_failed(self):
        for service in self:
            if not service.failure_reason:
                raise UserError(_("Write why the service failed (R14.4)."))
        self._app().write({"state": "failed"})
