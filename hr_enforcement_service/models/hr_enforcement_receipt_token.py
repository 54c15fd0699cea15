import base64
import binascii
import hashlib
import hmac
import secrets
import struct

from odoo import api, models

PREFIX = "HRE"
MAX_INPUT = 128
_HEADER = ">IH4s"  # service id, receipt version, served-document hash prefix
_MAC_BYTES = 10


class HrEnforcementReceiptToken(models.AbstractModel):
    """Opaque, signed codes printed as QR on service receipts (goal beyond R14).

    A code is "HRE" + upper-case base32 (A-Z, 2-7: nothing a keyboard layout or a Chinese
    IME changes) of: service id, receipt version and a prefix of the served document's hash,
    followed by an HMAC-SHA256 of those bytes keyed by a per-database secret. No name or ID
    number is in it; a reprint raises the version and so revokes older codes."""

    _name = "hr.enforcement.receipt.token"
    _description = "Receipt Token"

    @api.model
    def _secret(self):
        params = self.env["ir.config_parameter"].sudo()  # sudo: the key never leaves the server
        secret = params.get_param("hr_enforcement.receipt_secret")
        if not secret:
            secret = secrets.token_hex(32)
            params.set_param("hr_enforcement.receipt_secret", secret)
        uuid = params.get_param("database.uuid", "")
        return (secret + uuid).encode()

    @api.model
    def _sign(self, payload):
        return hmac.new(self._secret(), payload, hashlib.sha256).digest()[:_MAC_BYTES]

    @api.model
    def _encode(self, service_id, version, doc_hash_prefix):
        payload = struct.pack(_HEADER, service_id, version, doc_hash_prefix)
        raw = payload + self._sign(payload)
        return PREFIX + base64.b32encode(raw).decode().rstrip("=")

    @api.model
    def _decode(self, code):
        """(service_id, version, doc_hash_prefix) of a well-signed code; raises ValueError
        ("malformed" or "forged") otherwise. Constant-time comparison of the signature."""
        code = (code or "").strip().upper()
        if len(code) > MAX_INPUT or not code.startswith(PREFIX):
            raise ValueError("malformed")
        body = code[len(PREFIX) :]
        try:
            raw = base64.b32decode(body + "=" * (-len(body) % 8))
        except (binascii.Error, ValueError) as error:
            raise ValueError("malformed") from error
        size = struct.calcsize(_HEADER)
        if len(raw) != size + _MAC_BYTES:
            raise ValueError("malformed")
        payload, mac = raw[:size], raw[size:]
        if not hmac.compare_digest(mac, self._sign(payload)):
            raise ValueError("forged")
        return struct.unpack(_HEADER, payload)
