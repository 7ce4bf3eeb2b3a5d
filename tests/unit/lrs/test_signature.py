"""Signed statements: the signature attachment must be a JWS (RS256/384/512) of the statement itself,
and when its header carries `x5c` the signature must verify with that certificate."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from learnbridge.lrs.signature import SIGNATURE_USAGE, check_signatures
from learnbridge.lrs.validate import StatementInvalid, validate_statement
from tests.helpers.signatures import STATEMENT, b64, certificate, jws, rsa_key


def signed(*, alg: str = "RS256", payload: Any = None, content_type: str = "application/octet-stream",
           token: str | None = None) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:  # fmt: skip
    jws = token if token is not None else f"{b64({'alg': alg})}.{b64(payload or STATEMENT)}.c2ln"
    sha2 = hashlib.sha256(jws.encode()).hexdigest()
    attachment = {
        "usageType": SIGNATURE_USAGE,
        "display": {"en-US": "Signature"},
        "contentType": content_type,
        "length": len(jws),
        "sha2": sha2,
    }
    statement = validate_statement({**STATEMENT, "attachments": [attachment]}, version="1.0.3")
    return statement, {sha2: (content_type, jws.encode())}


@pytest.fixture(scope="module")
def keys() -> dict[str, rsa.RSAPrivateKey]:
    return {"signer": rsa_key(), "other": rsa_key(), "ca": rsa_key()}


def refused(token: str) -> str:
    with pytest.raises(StatementInvalid) as caught:
        check_signatures(*signed(token=token), version="1.0.3")
    assert caught.value.message.startswith("attachments[0]: ")
    return caught.value.message


def test_a_well_formed_signature_of_the_statement_passes() -> None:
    # Without x5c there is no key to verify with (the ADL suite signs this way): well formed is enough.
    check_signatures(*signed(), version="1.0.3")


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ({"content_type": "text/plain"}, "application/octet-stream"),
        ({"token": "not-a-jws"}, "compact serialization"),
        ({"token": "e30.!!!.c2ln"}, "base64url"),
        ({"alg": "HS256"}, "RS256"),
        (
            {"payload": {**STATEMENT, "verb": {"id": "http://adlnet.gov/expapi/verbs/failed"}}},
            "not the statement",
        ),
    ],
)
def test_bad_signatures_are_refused_by_name(case: dict[str, Any], message: str) -> None:
    with pytest.raises(StatementInvalid) as caught:
        check_signatures(*signed(**case), version="1.0.3")
    assert message in caught.value.message and caught.value.message.startswith("attachments[0]")


@pytest.mark.parametrize("alg", ["RS256", "RS384", "RS512"])
def test_a_signature_that_verifies_with_its_x5c_certificate_passes(
    keys: dict[str, rsa.RSAPrivateKey], alg: str
) -> None:
    signer = keys["signer"]
    token = jws(signer, x5c=[certificate("Simulator", signer)], alg=alg)
    check_signatures(*signed(token=token), version="2.0.0")


def test_a_tampered_signature_is_refused(keys: dict[str, rsa.RSAPrivateKey]) -> None:
    signer = keys["signer"]
    token = jws(signer, x5c=[certificate("Simulator", signer)])
    head, _, signature = token.rpartition(".")
    flipped = signature[:10] + ("A" if signature[10] != "A" else "B") + signature[11:]
    assert "does not verify with the x5c certificate" in refused(f"{head}.{flipped}")


def test_a_signature_by_another_key_than_the_certificates_is_refused(
    keys: dict[str, rsa.RSAPrivateKey],
) -> None:
    token = jws(keys["other"], x5c=[certificate("Simulator", keys["signer"])])
    assert "does not verify with the x5c certificate" in refused(token)


def test_a_payload_changed_after_signing_is_refused(keys: dict[str, rsa.RSAPrivateKey]) -> None:
    signer = keys["signer"]
    header, _, signature = jws(signer, x5c=[certificate("Simulator", signer)]).split(".")
    # The same statement serialised differently: equivalent, but not the bytes that were signed.
    compact = base64.urlsafe_b64encode(json.dumps(STATEMENT, separators=(",", ":")).encode()).decode()
    assert "does not verify" in refused(f"{header}.{compact.rstrip('=')}.{signature}")
    other = {**STATEMENT, "object": {"id": "http://example.com/other"}}
    assert "does not verify" in refused(f"{header}.{b64(other)}.{signature}")


@pytest.mark.parametrize(
    ("x5c", "message"),
    [
        ("MIIB", "must be an array"),
        ([], "must be an array"),
        ([42], "must be an array"),
        (["not base64 at all!"], "x5c[0] is not a base64 DER X.509 certificate"),
        ([base64.b64encode(b"certainly not DER").decode()], "x5c[0] is not a base64 DER"),
    ],
)
def test_a_malformed_x5c_is_refused(keys: dict[str, rsa.RSAPrivateKey], x5c: Any, message: str) -> None:
    token = jws(keys["signer"], x5c=[])
    _, payload, signature = token.split(".")
    assert message in refused(f"{b64({'alg': 'RS256', 'x5c': x5c})}.{payload}.{signature}")


def test_a_chain_is_checked_link_by_link_without_a_trusted_root(keys: dict[str, rsa.RSAPrivateKey]) -> None:
    signer, ca, other = keys["signer"], keys["ca"], keys["other"]
    leaf = certificate("Simulator", signer, issuer="Example CA", issuer_key=ca)
    root = certificate("Example CA", ca)
    check_signatures(*signed(token=jws(signer, x5c=[leaf, root])), version="1.0.3")
    impostor = certificate("Example CA", other)  # same name, another key: not the leaf's signer
    message = refused(jws(signer, x5c=[leaf, impostor]))
    assert "x5c[0] is not issued and signed by x5c[1]" in message
    stranger = certificate("Someone else", other)
    assert "x5c[0] is not issued" in refused(jws(signer, x5c=[leaf, stranger]))


def test_a_certificate_without_an_rsa_key_is_refused(keys: dict[str, rsa.RSAPrivateKey]) -> None:
    token = jws(keys["signer"], x5c=[certificate("EC signer", ec.generate_private_key(ec.SECP256R1()))])
    assert "not an RSA key" in refused(token)
