"""Signed statements: the signature attachment must be a JWS (RS256/384/512) of the statement itself."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest

from learnbridge.records.xapi_signature import SIGNATURE_USAGE, check_signatures
from learnbridge.records.xapi_validate import StatementInvalid, validate_statement

STATEMENT: dict[str, Any] = {
    "actor": {"mbox": "mailto:ann@example.com"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
    "object": {"id": "http://example.com/course"},
}


def b64(data: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


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


def test_a_well_formed_signature_of_the_statement_passes() -> None:
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
