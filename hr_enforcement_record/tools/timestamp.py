"""RFC 3161 time-stamp requests, responses and token verification (R22.3).

ASN.1 with asn1crypto and signatures with cryptography, both already required by Odoo
18.0 itself. (`rfc3161-client` needs cryptography >= 43, which Odoo 18.0 pins at 3.4.8 on
Python 3.11, for pyOpenSSL.) Nothing here imports Odoo: the outsider's verifier uses it too.

A token is accepted only when every one of these holds: the response is granted; the
token is CMS SignedData over a TSTInfo; the TSTInfo imprints our digest (and our nonce,
when we asked); the signed attributes name TSTInfo and carry the digest of its bytes;
the signature verifies with the signer's certificate; that certificate is the one the
signing-certificate attribute names, is for time stamping only (critical extended key
usage) and chains, certificate by certificate, to one of the trusted authorities; every
certificate on the way was valid at the token's time."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.backends import default_backend
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import ExtendedKeyUsageOID

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}
MAX_CHAIN = 6


class TimestampError(Exception):
    """A token or a response that does not prove what it should; the message says why in
    English, `reason` in one word for a translated message: unreadable, refused,
    other_digest, altered, certificate or untrusted."""

    def __init__(self, message, reason="unreadable"):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class TokenInfo:
    gen_time: datetime  # UTC, naive
    serial: str
    policy: str
    authority: str  # the signer certificate's subject


def build_request(digest_hex):
    """(DER request, nonce) for the SHA-256 digest `digest_hex`, asking for the TSA's
    certificate in the token."""
    nonce = secrets.randbits(63)
    request = tsp.TimeStampReq(
        {
            "version": 1,
            "message_imprint": {
                "hash_algorithm": {"algorithm": "sha256"},
                "hashed_message": bytes.fromhex(digest_hex),
            },
            "nonce": nonce,
            "cert_req": True,
        }
    )
    return request.dump(), nonce


def token_of_response(response_der):
    """The DER token of a TSA's response, once its status says granted (not verified)."""
    try:
        response = tsp.TimeStampResp.load(response_der)
        status = response["status"]["status"].native
    except (ValueError, TypeError) as exc:
        raise TimestampError(f"not a time-stamp response ({exc})") from exc
    if status not in ("granted", "granted_with_mods"):
        text = response["status"]["status_string"].native or []
        raise TimestampError(f"the authority refused: {status} {' '.join(text)}".strip(), "refused")
    return response["time_stamp_token"].dump()


def token_from_response(response_der, digest_hex, nonce, trusted_pem):
    """The DER token of a TSA's response, once verified; TimestampError otherwise."""
    token = token_of_response(response_der)
    verify_token(token, digest_hex, trusted_pem, nonce=nonce)
    return token


def load_certificates(pem):
    """The certificates of a PEM bundle (str or bytes)."""
    data = pem.encode() if isinstance(pem, str) else pem
    marker = b"-----END CERTIFICATE-----"
    blocks = [block + marker for block in data.split(marker) if b"-----BEGIN" in block]
    return [x509.load_pem_x509_certificate(block, default_backend()) for block in blocks]


def verify_token(token_der, digest_hex, trusted_pem, nonce=None):
    """TokenInfo of a DER time-stamp token that proves `digest_hex` existed at its time,
    signed under one of the authorities of `trusted_pem`; TimestampError otherwise."""
    signed_data, tst_info, content = _parse_token(token_der)
    imprint = tst_info["message_imprint"]
    if imprint["hash_algorithm"]["algorithm"].native != "sha256":
        raise TimestampError("the token does not imprint a SHA-256 digest")
    if imprint["hashed_message"].native != bytes.fromhex(digest_hex):
        raise TimestampError("the token is for another digest", "other_digest")
    if nonce is not None and tst_info["nonce"].native != nonce:
        raise TimestampError("the token answers another request (nonce)", "other_digest")
    gen_time = tst_info["gen_time"].native.astimezone(timezone.utc).replace(tzinfo=None)
    signer_info = signed_data["signer_infos"][0]
    embedded = [
        x509.load_der_x509_certificate(choice.chosen.dump(), default_backend())
        for choice in signed_data["certificates"] or []
        if choice.name == "certificate"
    ]
    signer = _signer_certificate(signer_info, embedded)
    _check_signed_attributes(signer_info, content, signer)
    _check_signature(signer.public_key(), signer_info)
    _check_time_stamping_only(signer)
    _check_chain(signer, embedded, load_certificates(trusted_pem), gen_time)
    return TokenInfo(
        gen_time=gen_time,
        serial=str(tst_info["serial_number"].native),
        policy=tst_info["policy"].dotted,
        authority=signer.subject.rfc4514_string(),
    )


def _parse_token(token_der):
    try:
        content_info = cms.ContentInfo.load(token_der)
        if content_info["content_type"].native != "signed_data":
            raise TimestampError("the token is not signed data")
        signed_data = content_info["content"]
        encap = signed_data["encap_content_info"]
        if encap["content_type"].native != "tst_info":
            raise TimestampError("the token does not hold time-stamp information")
        content = encap["content"].contents
        tst_info = tsp.TSTInfo.load(content)
        _all = tst_info.native  # parses every field now: a malformed token fails here
    except (ValueError, TypeError, KeyError) as exc:
        raise TimestampError(f"the token cannot be read ({exc})") from exc
    if len(signed_data["signer_infos"]) != 1:
        raise TimestampError("the token must have exactly one signer")
    return signed_data, tst_info, content


def _signer_certificate(signer_info, embedded):
    sid = signer_info["sid"]
    for cert in embedded:
        if sid.name == "issuer_and_serial_number":
            issuer_serial = sid.chosen
            if (
                cert.serial_number == issuer_serial["serial_number"].native
                and cert.issuer.public_bytes(default_backend()) == issuer_serial["issuer"].dump()
            ):
                return cert
        else:
            try:
                ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier)
            except x509.ExtensionNotFound:
                continue
            if ski.value.digest == sid.chosen.native:
                return cert
    raise TimestampError("the token does not carry its signer's certificate", "certificate")


def _attribute(signer_info, name):
    for attribute in signer_info["signed_attrs"] or []:
        if attribute["type"].native == name:
            return attribute["values"][0]
    return None


def _check_signed_attributes(signer_info, content, signer):
    algorithm = signer_info["digest_algorithm"]["algorithm"].native
    if algorithm not in HASHES:
        raise TimestampError(f"unsupported digest algorithm {algorithm}")
    content_type = _attribute(signer_info, "content_type")
    if content_type is None or content_type.native != "tst_info":
        raise TimestampError("the signed attributes do not name time-stamp information", "altered")
    message_digest = _attribute(signer_info, "message_digest")
    if message_digest is None or message_digest.native != hashlib.new(algorithm, content).digest():
        raise TimestampError("the time-stamp information was changed after signing", "altered")
    cert_der = signer.public_bytes(Encoding.DER)
    v2 = _attribute(signer_info, "signing_certificate_v2")
    v1 = _attribute(signer_info, "signing_certificate")
    if v2 is not None:
        cert_id = v2["certs"][0]
        hash_name = cert_id["hash_algorithm"]["algorithm"].native
        expected = hashlib.new(hash_name, cert_der).digest()
    elif v1 is not None:
        cert_id = v1["certs"][0]
        expected = hashlib.sha1(cert_der).digest()
    else:
        raise TimestampError("the token does not name its signing certificate", "altered")
    if cert_id["cert_hash"].native != expected:
        raise TimestampError("the token names another signing certificate", "altered")


def _check_signature(public_key, signer_info):
    # the signature covers the DER of the signed attributes as a SET OF (tag 0x31), not
    # with the [0] tag they carry inside SignerInfo (RFC 5652, 5.4)
    signed = b"\x31" + signer_info["signed_attrs"].dump()[1:]
    signature = signer_info["signature"].native
    hash_algorithm = HASHES[signer_info["digest_algorithm"]["algorithm"].native]()
    _verify(public_key, signature, signed, hash_algorithm)


def _verify(public_key, signature, data, hash_algorithm):
    try:
        if isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
        elif isinstance(public_key, ec.EllipticCurvePublicKey):
            public_key.verify(signature, data, ec.ECDSA(hash_algorithm))
        else:
            raise TimestampError("unsupported signature key type")
    except InvalidSignature as exc:
        raise TimestampError("the signature does not verify", "altered") from exc


def _check_time_stamping_only(cert):
    try:
        usage = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    except x509.ExtensionNotFound as exc:
        raise TimestampError(
            "the signer's certificate is not for time stamping", "certificate"
        ) from exc
    if not usage.critical or list(usage.value) != [ExtendedKeyUsageOID.TIME_STAMPING]:
        raise TimestampError(
            "the signer's certificate is not for time stamping only", "certificate"
        )


def _check_valid_at(cert, moment):
    if not cert.not_valid_before <= moment <= cert.not_valid_after:
        raise TimestampError(
            f"the certificate {cert.subject.rfc4514_string()} was not valid at {moment}",
            "certificate",
        )


def _check_chain(signer, embedded, trusted, moment):
    if not trusted:
        raise TimestampError("no trusted time-stamping authority is configured", "untrusted")
    current = signer
    for _depth in range(MAX_CHAIN):
        _check_valid_at(current, moment)
        for anchor in trusted:
            if anchor.subject == current.issuer and _signed_by(current, anchor):
                _check_valid_at(anchor, moment)
                return
        if any(current == anchor for anchor in trusted):
            return
        issuers = [
            cert
            for cert in embedded
            if cert.subject == current.issuer and cert != current and _signed_by(current, cert)
        ]
        if not issuers:
            break
        current = issuers[0]
    raise TimestampError(
        "the signer's certificate does not chain to a trusted authority", "untrusted"
    )


def _signed_by(cert, issuer):
    try:
        _verify(
            issuer.public_key(),
            cert.signature,
            cert.tbs_certificate_bytes,
            cert.signature_hash_algorithm,
        )
    except TimestampError:
        return False
    return True


def describe(token_der):
    """Human-readable essentials of a token without verifying it (for printouts)."""
    _signed_data, tst_info, _content = _parse_token(token_der)
    return {
        "gen_time": tst_info["gen_time"].native.isoformat(),
        "serial": str(tst_info["serial_number"].native),
        "policy": tst_info["policy"].dotted,
        "imprint": tst_info["message_imprint"]["hashed_message"].native.hex(),
    }
