"""Signed xAPI statements for tests: RSA keys, X.509 certificates and compact JWS (RFC 7515), made
here with `cryptography` rather than committed."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

STATEMENT: dict[str, Any] = {
    "actor": {"mbox": "mailto:ann@example.com"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
    "object": {"id": "http://example.com/course"},
}
SHA: dict[str, type[hashes.SHA256 | hashes.SHA384 | hashes.SHA512]] = {
    "RS256": hashes.SHA256,
    "RS384": hashes.SHA384,
    "RS512": hashes.SHA512,
}


def b64(data: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def certificate(subject: str, key: Any, *, issuer: str | None = None, issuer_key: Any = None) -> str:
    """A base64 DER certificate for `key`, signed by `issuer_key` (itself when omitted), as x5c holds."""
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer or subject)]))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(issuer_key or key, hashes.SHA256())
    )
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


def jws(key: rsa.RSAPrivateKey, *, x5c: list[str], alg: str = "RS256", payload: Any = None) -> str:
    """A compact JWS (RFC 7515, 7.1) of the statement, really signed with `key`."""
    signing_input = f"{b64({'alg': alg, 'x5c': x5c})}.{b64(payload or STATEMENT)}"
    signature = key.sign(signing_input.encode(), padding.PKCS1v15(), SHA[alg]())
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).decode().rstrip('=')}"
