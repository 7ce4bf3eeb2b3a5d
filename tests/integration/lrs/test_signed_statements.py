"""POST /xapi/statements with a signed statement (Part 2, 2.6): one whose JWS verifies with its x5c
certificate is stored; one signed by another key is refused with 400 naming the attachment."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.lrs.signature import SIGNATURE_USAGE
from tests.helpers.lrs import lrs_headers
from tests.helpers.signatures import STATEMENT, certificate, jws, rsa_key

BOUNDARY = "signedboundary"


@pytest.fixture
def headers(db: Session) -> dict[str, str]:
    return lrs_headers(db)


def post_signed(client: TestClient, headers: dict[str, str], token: str) -> Any:
    signature = token.encode()
    sha2 = hashlib.sha256(signature).hexdigest()
    attachment = {
        "usageType": SIGNATURE_USAGE,
        "display": {"en-US": "Signature"},
        "contentType": "application/octet-stream",
        "length": len(signature),
        "sha2": sha2,
    }
    body = (
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n"
        f"{json.dumps({**STATEMENT, 'attachments': [attachment]})}\r\n"
        f"--{BOUNDARY}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n"
        f"X-Experience-API-Hash: {sha2}\r\n\r\n{token}\r\n--{BOUNDARY}--\r\n"
    ).encode()
    mixed = {**headers, "Content-Type": f"multipart/mixed; boundary={BOUNDARY}"}
    return client.post("/xapi/statements", content=body, headers=mixed)


def test_signed_statements_are_verified_against_their_x5c_certificate(
    client: TestClient, headers: dict[str, str]
) -> None:
    signer, other = rsa_key(), rsa_key()
    x5c = [certificate("Simulator", signer)]
    stored = post_signed(client, headers, jws(signer, x5c=x5c))
    assert stored.status_code == 200, stored.text
    forged = post_signed(client, headers, jws(other, x5c=x5c))
    assert forged.status_code == 400
    assert forged.json()["error"] == "attachments[0]: the signature does not verify with the x5c certificate"
    garbage = post_signed(client, headers, jws(signer, x5c=["%%%"]))
    assert garbage.status_code == 400 and "x5c[0]" in garbage.json()["error"]
