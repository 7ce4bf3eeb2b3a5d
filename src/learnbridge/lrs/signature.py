"""Signed statements (xAPI 1.0.3 Part 2, 2.6; IEEE 9274.1.1 4.2.6): a JWS (RFC 7515, compact form)
attached with the signature usageType. The LRS checks the attachment's content type, that the JWS is well
formed, that its algorithm is RS256, RS384 or RS512, and that its payload is the statement as it was
before the signature was added. When the JWS header carries an X.509 certificate (`x5c`), the signature
must verify with the first certificate's key, and each certificate in the chain must be signed by the next
one; no trusted root is required, since the LRS has no trust store for signers (2.6.5: "If the JWS header
includes an X.509 certificate, validate the signature against that certificate as defined in JWS").
Without `x5c` there is no key to verify with, so the signature is accepted as well formed."""

from __future__ import annotations

import base64
import binascii
import itertools
import json
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from learnbridge.lrs.format import equivalent
from learnbridge.lrs.validate import StatementInvalid, validate_statement

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
ALGORITHMS = ("RS256", "RS384", "RS512")
# RFC 7518, 3.3: RSASSA-PKCS1-v1_5 with the SHA-2 function each name ends in.
HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}


def check_signatures(statement: dict[str, Any], parts: dict[str, tuple[str, bytes]], *, version: str) -> None:
    """Refuse (400) a statement whose signature attachment is not a valid JWS of the statement itself."""
    for n, attachment in enumerate(statement.get("attachments") or []):
        if attachment.get("usageType") != SIGNATURE_USAGE:
            continue
        where = f"attachments[{n}]"
        if attachment["contentType"].split(";")[0].strip().lower() != "application/octet-stream":
            raise StatementInvalid(f"{where}.contentType: a signature is application/octet-stream")
        part = parts.get(attachment["sha2"])
        if part is None:
            raise StatementInvalid(f"{where}: the signature must be sent as an attachment part")
        header, payload = _decode(part[1], where)
        if header.get("alg") not in ALGORITHMS:
            raise StatementInvalid(f"{where}: the JWS algorithm must be one of {', '.join(ALGORITHMS)}")
        if "x5c" in header:
            _verify_with_x5c(part[1], header, where)
        try:
            signed = validate_statement(payload, version=version)
        except StatementInvalid as exc:
            raise StatementInvalid(
                f"{where}: the JWS payload is not a valid statement ({exc.message})"
            ) from None
        if not equivalent(signed, statement):
            raise StatementInvalid(f"{where}: the JWS payload is not the statement that carries it")


def _decode(token: bytes, where: str) -> tuple[dict[str, Any], Any]:
    pieces = token.strip().split(b".")
    if len(pieces) != 3 or not all(pieces):
        raise StatementInvalid(f"{where}: the signature is not a JWS in compact serialization")
    try:
        header = json.loads(_b64url(pieces[0]))
        payload = json.loads(_b64url(pieces[1]))
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise StatementInvalid(f"{where}: the JWS header or payload is not base64url-encoded JSON") from None
    if not isinstance(header, dict):
        raise StatementInvalid(f"{where}: the JWS header is not a JSON object")
    return header, payload


def _b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64decode(data + b"=" * (-len(data) % 4))


def _verify_with_x5c(token: bytes, header: dict[str, Any], where: str) -> None:
    """RFC 7515, 4.1.6: `x5c` is the signer's certificate first, then each one that certifies the
    previous; 5.2: the signature is over the ASCII `header.payload` exactly as sent."""
    chain = _certificates(header["x5c"], where)
    for n, (cert, issuer) in enumerate(itertools.pairwise(chain)):
        try:
            cert.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature):
            raise StatementInvalid(f"{where}: x5c[{n}] is not issued and signed by x5c[{n + 1}]") from None
    try:
        key = chain[0].public_key()
    except ValueError:  # a key type the library cannot load
        key = None
    if not isinstance(key, rsa.RSAPublicKey):
        raise StatementInvalid(
            f"{where}: the x5c certificate's key is not an RSA key, as {header['alg']} needs"
        )
    signing_input, _, encoded = token.strip().rpartition(b".")
    try:
        key.verify(_b64url(encoded), signing_input, padding.PKCS1v15(), HASHES[header["alg"]]())
    except (InvalidSignature, binascii.Error, ValueError):
        raise StatementInvalid(f"{where}: the signature does not verify with the x5c certificate") from None


def _certificates(x5c: Any, where: str) -> list[x509.Certificate]:
    """The chain from `x5c`: a non-empty array of base64 (not base64url) DER certificates."""
    if not isinstance(x5c, list) or not x5c or not all(isinstance(c, str) for c in x5c):
        raise StatementInvalid(f"{where}: the JWS x5c header must be an array of base64 DER certificates")
    chain = []
    for n, encoded in enumerate(x5c):
        try:
            chain.append(x509.load_der_x509_certificate(base64.b64decode(encoded, validate=True)))
        except (ValueError, binascii.Error):
            raise StatementInvalid(f"{where}: x5c[{n}] is not a base64 DER X.509 certificate") from None
    return chain
