"""Signed statements (xAPI 1.0.3 Part 2, 2.6; IEEE 9274.1.1 4.2.6): a JWS (RFC 7515, compact form)
attached with the signature usageType. The LRS checks what it can without the signer's trust chain:
the attachment's content type, that the JWS is well formed, that its algorithm is RS256, RS384 or RS512,
and that its payload is the statement as it was before the signature was added."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from learnbridge.records.xapi_format import equivalent
from learnbridge.records.xapi_validate import StatementInvalid, validate_statement

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
ALGORITHMS = ("RS256", "RS384", "RS512")


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
