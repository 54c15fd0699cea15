"""The electronic seal of issued documents (R12.1, R14; 电子签名法 第十三、十四条; DA/T 97's
电子签名 and 可信时间戳): a PAdES signature (ETSI EN 319 142-1, baseline B-T when a
time-stamping authority answers, B-B otherwise) made with pyHanko, the visible seal drawn
on the 落款.

One small interface, so that another signer (an SM2 seal under GB/T 38540, a hardware
token) can replace this one: `signer.sign(pdf_bytes, placement) -> signed bytes`; and a
person's own signature over a text (an opinion on an internal form): `sign_text()`.
Nothing here imports Odoo."""

import io
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12
from PIL import Image
from pyhanko import stamp
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers, timestamps
from pyhanko_certvalidator.registry import SimpleCertificateStore

SIGNATURE_FIELD = "Seal"
# the seal image fills its box, centred, without pyHanko's default 5 pt margins
SEAL_LAYOUT = layout.SimpleBoxLayoutRule(
    x_align=layout.AxisAlignment.ALIGN_MID,
    y_align=layout.AxisAlignment.ALIGN_MID,
    margins=layout.Margins(),
)


class SigningError(Exception):
    """The PKCS#12 archive cannot be used to sign; the message says why."""


@dataclass(frozen=True)
class Placement:
    """Where the visible seal goes: page index and box (x1, y1, x2, y2) in points."""

    page: int
    box: tuple
    reason: str = ""
    location: str = ""


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    issuer: str
    serial: str
    not_before: object  # naive UTC datetime
    not_after: object
    fingerprint: str  # SHA-256, hex


def read_pkcs12(data, passphrase):
    """(key, certificate, other certificates) of a PKCS#12 archive; SigningError when it
    cannot be opened with `passphrase` or holds no private key."""
    try:
        key, cert, others = pkcs12.load_key_and_certificates(
            data, (passphrase or "").encode() or None
        )
    except (ValueError, TypeError) as exc:
        raise SigningError(f"the PKCS#12 file cannot be opened ({exc})") from exc
    if key is None or cert is None:
        raise SigningError("the PKCS#12 file holds no private key and certificate")
    return key, cert, others or []


def describe(cert):
    """What a manager checks of a certificate."""
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc.replace(tzinfo=None),
        not_after=cert.not_valid_after_utc.replace(tzinfo=None),
        fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
    )


def sign_text(pkcs12_data, passphrase, text):
    """A detached CMS signature (RFC 5652, SHA-256, DER) of `text` in UTF-8 with the key of
    a PKCS#12 archive, carrying its certificates and the signing time: what `openssl cms
    -verify -binary -content` checks against the issuer's CA."""
    key, cert, others = read_pkcs12(pkcs12_data, passphrase)
    builder = (
        pkcs7.PKCS7SignatureBuilder().set_data(text.encode()).add_signer(cert, key, hashes.SHA256())
    )
    for other in others:
        builder = builder.add_certificate(other)
    return builder.sign(
        serialization.Encoding.DER,
        [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary],
    )


def _asn1_certificate(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class PadesSigner:
    """Signs with the key of a PKCS#12 archive; `seal_png` (bytes) is the visible seal,
    `tsa_url` the RFC 3161 authority whose token makes the signature B-T."""

    def __init__(self, pkcs12_data, passphrase, seal_png=None, tsa_url=None, tsa_timeout=10):
        key, cert, others = read_pkcs12(pkcs12_data, passphrase)
        self.certificate = cert
        # pyHanko works on asn1crypto's types: hand them over in DER
        key_der = key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._signer = signers.SimpleSigner(
            signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
            signing_cert=_asn1_certificate(cert),
            cert_registry=SimpleCertificateStore.from_certs(
                [_asn1_certificate(other) for other in others]
            ),
        )
        self._seal = Image.open(io.BytesIO(seal_png)).convert("RGBA") if seal_png else None
        self._timestamper = (
            timestamps.HTTPTimeStamper(tsa_url, timeout=tsa_timeout) if tsa_url else None
        )

    def sign(self, pdf_bytes, placement, with_timestamp=True):
        """The signed PDF: one incremental update adding the seal field and a PAdES
        signature (with the authority's time stamp unless `with_timestamp` is false)."""
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf_bytes), strict=False)
        fields.append_signature_field(
            writer,
            fields.SigFieldSpec(SIGNATURE_FIELD, on_page=placement.page, box=placement.box),
        )
        style = stamp.StaticStampStyle(
            background=PdfImage(self._seal) if self._seal else None,
            border_width=0,
            background_layout=SEAL_LAYOUT,
        )
        metadata = signers.PdfSignatureMetadata(
            field_name=SIGNATURE_FIELD,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=placement.reason or None,
            location=placement.location or None,
        )
        pdf_signer = signers.PdfSigner(
            metadata,
            signer=self._signer,
            timestamper=self._timestamper if with_timestamp else None,
            stamp_style=style,
        )
        return pdf_signer.sign_pdf(writer).getvalue()
