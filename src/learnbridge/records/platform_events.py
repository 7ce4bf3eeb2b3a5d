"""Platform events: what people do on Learnbridge itself (book a seat, attend, set a plan goal, open a
resource, get assigned a requirement, have a completion recorded by hand) written to the LRS as xAPI
statements, each with the origin of the learning (self, recommendation, plan, manager, requirement) in
the context extension `{base_url}/xapi/extensions/origin`, so that push and pull can be told apart from
the statements alone.

`emit` writes no statement: it queues one job (`records.platform_events`) in the caller's transaction.
The event exists exactly when the caller commits, and a request never waits for the LRS's writers (who
take turns on a lock, see `lrs.statements`). The job stores the statements as the platform's own client
(`platform_statements.store_events`).

Each event names a stable `key`; its statement id is a UUID5 of the key, so an event handled twice (a
retried job, a repeated call) is stored once.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.core.jobs import enqueue
from learnbridge.records.models import Origin
from learnbridge.records.platform_iris import VERBS

JOB = "records.platform_events"
# Fixed for ever: statement ids and registrations are derived from it.
NAMESPACE = uuid.UUID("6fba00f1-a1ab-4cf9-b433-d86d6608fdcb")


def statement_id(key: str) -> str:
    """The id of the statement an event with this key becomes."""
    return str(uuid.uuid5(NAMESPACE, key))


def registration_for(key: str) -> uuid.UUID:
    """A registration (xAPI 1.0.3 Part 2, 2.4.6) for what `key` names, e.g. "booking:12"."""
    return uuid.uuid5(NAMESPACE, f"registration:{key}")


@dataclass(frozen=True)
class ActivityRef:
    """An activity: `id` and `type` are IRIs or paths under the base URL (see `platform_iris.resolve`)."""

    id: str
    name: str
    type: str


@dataclass(frozen=True)
class PlatformEvent:
    """Person `person_id` did `verb` (a key of `platform_iris.VERBS`) to `activity` at `timestamp`,
    for the reason `origin`."""

    key: str
    person_id: int
    verb: str
    activity: ActivityRef
    origin: Origin
    timestamp: dt.datetime
    registration: uuid.UUID | None = None
    parents: tuple[ActivityRef, ...] = ()
    result: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.verb not in VERBS:
            raise ValueError(f"unknown platform verb {self.verb!r}")


@dataclass(frozen=True)
class Withdrawal:
    """The platform's earlier `verb` statements in `registration`, made at or before `timestamp`, no longer
    hold (an attendance turned into a no-show): they are voided (xAPI 1.0.3 Part 2, 2.3.2)."""

    key: str
    registration: uuid.UUID
    verb: str
    timestamp: dt.datetime


Event = PlatformEvent | Withdrawal


def emit(db: Session, events: Sequence[Event]) -> None:
    """Queue the job that writes these events as statements once the caller's transaction commits."""
    if events:
        enqueue(db, JOB, {"events": [to_payload(event) for event in events]})


def _activity(activity: ActivityRef) -> dict[str, str]:
    return {"id": activity.id, "name": activity.name, "type": activity.type}


def to_payload(event: Event) -> dict[str, Any]:
    """An event as plain JSON."""
    if isinstance(event, Withdrawal):
        return {
            "kind": "withdrawal",
            "key": event.key,
            "registration": str(event.registration),
            "verb": event.verb,
            "timestamp": event.timestamp.astimezone(dt.UTC).isoformat(),
        }
    return {
        "kind": "statement",
        "key": event.key,
        "person_id": event.person_id,
        "verb": event.verb,
        "activity": _activity(event.activity),
        "origin": Origin(event.origin).value,
        "timestamp": event.timestamp.astimezone(dt.UTC).isoformat(),
        "registration": str(event.registration) if event.registration else None,
        "parents": [_activity(parent) for parent in event.parents],
        "result": dict(event.result) if event.result is not None else None,
    }


def from_payload(data: Mapping[str, Any]) -> Event:
    """The event `to_payload` wrote."""
    timestamp = dt.datetime.fromisoformat(data["timestamp"])
    if data["kind"] == "withdrawal":
        registration = uuid.UUID(data["registration"])
        return Withdrawal(key=data["key"], registration=registration, verb=data["verb"], timestamp=timestamp)
    return PlatformEvent(
        key=data["key"],
        person_id=int(data["person_id"]),
        verb=data["verb"],
        activity=ActivityRef(**data["activity"]),
        origin=Origin(data["origin"]),
        timestamp=timestamp,
        registration=uuid.UUID(data["registration"]) if data.get("registration") else None,
        parents=tuple(ActivityRef(**parent) for parent in data.get("parents") or ()),
        result=data.get("result"),
    )
