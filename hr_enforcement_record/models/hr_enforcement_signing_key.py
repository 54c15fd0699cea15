import base64
import logging

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import pdf_signer
from ..tools.pdf_archival import to_pdfa
from .hr_enforcement_event_head import TSA_TIMEOUT, TSA_URL

_logger = logging.getLogger(__name__)


class HrEnforcementSigningKey(models.Model):
    """The bureau's electronic seal (R12.1, R14; 电子签名法 第十三条: the signing key is held
    by the signatory alone): a PKCS#12 certificate and the image of the seal, configured by
    a manager. The archive and its passphrase are written through the form and never read
    back by anyone: the fields that hold them belong to the system group, and issuing signs
    with them on the server.

    Issuing a document signs its PDF (PAdES) with the company's active key and, when an
    RFC 3161 authority is configured (the one that stamps the chain heads), its time stamp.

    A certificate with a holder is that person's own: when they take a step of an approval
    (propose, review, approve, reject) their opinion is signed with it, on the server, as
    they act — never by anyone else (R21.1)."""

    _name = "hr.enforcement.signing.key"
    _description = "Signing Certificate"
    _inherit = ["hr.enforcement.guard", "mail.thread"]
    _guard_case_field = None
    _guard_app_fields = frozenset(
        {"subject", "issuer", "serial", "valid_from", "valid_to", "fingerprint", "key_data"}
    )
    _order = "valid_to desc, id desc"

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, tracking=True
    )
    active = fields.Boolean(default=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        "Holder",
        tracking=True,
        help="Empty for the bureau's seal. A person's own certificate signs their opinions "
        "on approvals when they act.",
    )
    pkcs12_file = fields.Binary(
        "Certificate (PKCS#12)",
        compute="_compute_pkcs12_file",
        inverse="_inverse_pkcs12_file",
        help="The .p12 / .pfx file with the seal's private key and certificate. It is kept on "
        "the server and never shown again.",
    )
    pkcs12_filename = fields.Char("File Name", tracking=True)
    passphrase = fields.Char(
        compute="_compute_pkcs12_file",
        inverse="_inverse_pkcs12_file",
        help="The passphrase of the PKCS#12 file; kept on the server, never shown again.",
    )
    key_data = fields.Binary(attachment=False, groups="base.group_system", copy=False)
    key_passphrase = fields.Char(groups="base.group_system", copy=False)
    seal_image = fields.Image(
        max_width=600,
        max_height=600,
        help="The image of the seal (PNG with a transparent background), drawn over the "
        "authority's name and date at the foot of every issued document.",
    )
    subject = fields.Char(readonly=True, tracking=True)
    issuer = fields.Char(readonly=True)
    serial = fields.Char("Serial Number", readonly=True)
    valid_from = fields.Datetime(readonly=True)
    valid_to = fields.Datetime(readonly=True, tracking=True)
    fingerprint = fields.Char("SHA-256 Fingerprint", readonly=True, tracking=True)

    @api.depends("key_data")
    def _compute_pkcs12_file(self):
        for key in self:
            key.pkcs12_file = False
            key.passphrase = False

    def _inverse_pkcs12_file(self):
        for key in self:
            if not key.pkcs12_file:
                continue
            data = base64.b64decode(key.pkcs12_file)
            try:
                _private, cert, _others = pdf_signer.read_pkcs12(data, key.passphrase)
            except pdf_signer.SigningError as exc:
                raise ValidationError(
                    _(
                        "The certificate file cannot be opened with this passphrase, or it "
                        "holds no private key: %(why)s",
                        why=exc,
                    )
                ) from exc
            info = pdf_signer.describe(cert)
            key._app().write(
                {
                    "subject": info.subject,
                    "issuer": info.issuer,
                    "serial": info.serial,
                    "valid_from": info.not_before,
                    "valid_to": info.not_after,
                    "fingerprint": info.fingerprint,
                }
            )
            key.sudo()._app().write({"key_data": base64.b64encode(data)})
            key.sudo().key_passphrase = key.passphrase or False

    @api.constrains("active", "company_id", "user_id")
    def _check_one_active_per_company(self):
        for key in self.filtered("active"):
            domain = [
                ("company_id", "=", key.company_id.id),
                ("user_id", "=", key.user_id.id),
                ("active", "=", True),
            ]
            if self.search_count(domain) > 1:
                raise ValidationError(
                    _(
                        "%(holder)s has an active signing certificate already: archive it "
                        "before adding another.",
                        holder=key.user_id.name or key.company_id.name,
                    )
                )

    @api.constrains("seal_image", "user_id")
    def _check_seal_image(self):
        for key in self:
            if not key.user_id and not key.seal_image:
                raise ValidationError(
                    _("The bureau's certificate needs the image of its seal (R12.1).")
                )

    # ------------------------------------------------------------------ signing
    @api.model
    def _active_for(self, company):
        key = self.sudo().search(
            [("company_id", "=", company.id), ("user_id", "=", False), ("active", "=", True)],
            limit=1,
        )
        if not key or not key.key_data:
            raise UserError(
                _(
                    "%(company)s has no signing certificate: documents are issued signed and "
                    "sealed (R12.1). A manager adds it in Configuration → Signing "
                    "Certificates.",
                    company=company.name,
                )
            )
        now = fields.Datetime.now()
        if not key.valid_from <= now <= key.valid_to:
            raise UserError(
                _(
                    "The signing certificate %(name)s of %(company)s is valid from %(start)s "
                    "to %(end)s: a document cannot be sealed with it now. A manager adds a "
                    "valid one.",
                    name=key.name,
                    company=company.name,
                    start=key.valid_from,
                    end=key.valid_to,
                )
            )
        return key

    @api.model
    def _sign_as_user(self, text):
        """(CMS signature of `text`, signer's subject) with the current user's own valid
        certificate, or (False, False) when they have none (R21.1; 电子签名法 第十三条)."""
        now = fields.Datetime.now()
        key = self.sudo().search(
            [
                ("user_id", "=", self.env.uid),
                ("company_id", "in", self.env.user.company_ids.ids),
                ("active", "=", True),
                ("valid_from", "<=", now),
                ("valid_to", ">=", now),
            ],
            limit=1,
        )
        if not key.key_data:
            return False, False
        signature = pdf_signer.sign_text(base64.b64decode(key.key_data), key.key_passphrase, text)
        return signature, key.subject

    @api.model
    def _seal_drawn_pdf(self, company, pdf_bytes, placement, title):
        """A document as the writer drew it, made PDF/A-2b and sealed: (signed PDF, the
        time-stamp problem or "")."""
        archival = to_pdfa(pdf_bytes, title, company.name)
        return self._seal_pdf(company, archival, placement)

    @api.model
    def _seal_pdf(self, company, pdf_bytes, placement):
        """(signed PDF, time-stamp problem or ""): `pdf_bytes` signed with the company's
        active key, its seal at `placement`, time-stamped by the configured authority. When
        the authority cannot be reached the document is still sealed, without the time
        stamp, and the problem is returned so that the issuer sees it (B-B, R22.3)."""
        key = self._active_for(company)
        url = (self.env["ir.config_parameter"].sudo().get_param(TSA_URL) or "").strip()
        signer = pdf_signer.PadesSigner(
            base64.b64decode(key.key_data),
            key.key_passphrase,
            seal_png=base64.b64decode(key.seal_image) if key.seal_image else None,
            tsa_url=url or None,
            tsa_timeout=TSA_TIMEOUT,
        )
        if not url:
            return signer.sign(pdf_bytes, placement, with_timestamp=False), _(
                "no time-stamping authority is configured"
            )
        try:
            return signer.sign(pdf_bytes, placement), ""
        except OSError as exc:  # pyHanko's request errors and requests' are IOErrors
            _logger.warning("time-stamping a signed document failed: %s", exc)
            return signer.sign(pdf_bytes, placement, with_timestamp=False), str(exc)
