"""Playing a launched cmi5 AU or xAPI package from tests: follow the launch URL's parameters, fetch the
auth token (cmi5 8.2), and send statements the way an AU does, with its launch credentials."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from learnbridge.lrs.launch_rules import CATEGORY_CMI5, CATEGORY_MOVEON, SESSION_ID, VERBS

VERSION = {"X-Experience-API-Version": "1.0.3"}


def cmi5_course(*aus: dict[str, str], blocks: str = "") -> bytes:
    """A course structure with these AUs (attributes as given, relative urls au{n}/index.html)."""
    body = "".join(
        f'<au id="https://example.org/fire/au/{n}" {" ".join(f"{k}={v!r}" for k, v in attrs.items())}>'
        f"<title><langstring>Part {n}</langstring></title><description><langstring>x</langstring>"
        f"</description><url>au{n}/index.html</url></au>"
        for n, attrs in enumerate(aus)
    )
    return (
        '<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">'
        '<course id="https://example.org/fire"><title><langstring>Fire safety</langstring></title>'
        f"<description><langstring>d</langstring></description></course>{body}{blocks}</courseStructure>"
    ).encode()


@dataclass
class Au:
    """An AU as launched: its launch parameters and, once fetched, its Authorization header."""

    url: str
    params: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)
    launch_data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_url(cls, url: str) -> Au:
        query = parse_qs(urlsplit(url).query)
        return cls(url, {k: v[0] for k, v in query.items()})

    @property
    def actor(self) -> dict[str, Any]:
        value: dict[str, Any] = json.loads(self.params["actor"])
        return value

    def start(self, client: TestClient) -> Au:
        """POST the fetch URL, read LMS.LaunchData with the token, as @xapi/cmi5's initialize does."""
        token = client.post(path(self.params["fetch"])).json()["auth-token"]
        self.headers = {"Authorization": f"Basic {token}", **VERSION}
        response = client.get(
            "/xapi/activities/state",
            params={
                "activityId": self.params["activityId"],
                "agent": self.params["actor"],
                "registration": self.params["registration"],
                "stateId": "LMS.LaunchData",
            },
            headers=self.headers,
        )
        assert response.status_code == 200, response.text
        self.launch_data = response.json()
        return self

    def statement(self, verb: str, **result: Any) -> dict[str, Any]:
        """A cmi5 defined statement on the launch data's context template (9.6)."""
        template = self.launch_data["contextTemplate"]
        categories = [{"id": CATEGORY_CMI5}]
        if {"success", "completion"} & set(result):
            categories.append({"id": CATEGORY_MOVEON})
        built: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "actor": self.actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": {"objectType": "Activity", "id": self.params["activityId"]},
            "context": {
                "registration": self.params["registration"],
                "contextActivities": {**template["contextActivities"], "category": categories},
                "extensions": dict(template["extensions"]),
            },
        }
        if result:
            built["result"] = result
        return built

    def send(self, client: TestClient, *statements: dict[str, Any]) -> Any:
        return client.post("/xapi/statements", json=list(statements), headers=self.headers)


def path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def session_id(au: Au) -> str:
    value: str = au.launch_data["contextTemplate"]["extensions"][SESSION_ID]
    return value
