"""Talking to the LRS in tests: a client's Basic credentials, a statement, POST and GET."""

from __future__ import annotations

import base64
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.lrs.clients import create_client

COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


def lrs_headers(db: Session, scopes: list[str] | None = None, name: str = "Simulator") -> dict[str, str]:
    """A client's headers: scope `all` unless told otherwise."""
    client, secret = create_client(db, name=name, home_page="http://lms.example", scopes=scopes or ["all"])
    return {"Authorization": basic(client.key, secret), "X-Experience-API-Version": "1.0.3"}


def statement(
    actor: str = "ann@example.com",
    verb: str = COMPLETED,
    activity: str = "http://example.com/course/1",
    **extra: Any,
) -> dict[str, Any]:
    return {
        "actor": {"objectType": "Agent", "mbox": f"mailto:{actor}"},
        "verb": {"id": verb, "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": activity},
        **extra,
    }


def post(client: TestClient, headers: dict[str, str], body: Any) -> list[str]:
    response = client.post("/xapi/statements", json=body, headers=headers)
    assert response.status_code == 200, response.text
    ids: list[str] = response.json()
    return ids


def get(client: TestClient, headers: dict[str, str], **params: str) -> Any:
    response = client.get("/xapi/statements", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()
