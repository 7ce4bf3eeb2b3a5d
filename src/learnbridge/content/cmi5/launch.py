"""Launching a cmi5 AU (cmi5 section 8, and 10 for the state the LMS writes first).

A launch, in one transaction: earlier sessions of the registration that never terminated are abandoned
(9.3.6); a launch session with a one-time fetch token is opened in the LRS (lrs.launch); the
`LMS.LaunchData` state document (10.0) and, when missing, the `cmi5LearnerPreferences` agent profile
(11.0) are written; the `launched` statement is stored (9.3.1); and the launch URL is built (8.1):
`<AU url>?endpoint=...&fetch=...&actor=...&registration=...&activityId=...`, the AU's own query string
kept (13.1.4 url)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.content.cmi5 import progress, statements
from learnbridge.content.models import Attempt, ContentKind
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, Invalid, NotFound
from learnbridge.lrs import documents
from learnbridge.lrs.documents import DocumentKey, Preconditions
from learnbridge.lrs.format import ifi_of
from learnbridge.lrs.launch import CMI5, end_session, open_launch, sessions_in
from learnbridge.lrs.launch_rules import LAUNCH_DATA, SESSION_ID
from learnbridge.lrs.models import LaunchSession, Statement
from learnbridge.lrs.statements import queue_writers
from learnbridge.people.models import Person
from learnbridge.records.completions import CompletionChange

PREFERENCES = "cmi5LearnerPreferences"
LAUNCH_PARAMETERS = ("endpoint", "fetch", "actor", "registration", "activityId")


@dataclass(frozen=True)
class AuLaunch:
    """Where the AU opens: `url` with the launch parameters; `own_window` when the AU asked for its own
    window (OwnWindow) or lives on another site, else it opens in the player's frame."""

    url: str
    own_window: bool
    session_id: str
    change: CompletionChange = field(default_factory=CompletionChange)


def fetch_path(token: str) -> str:
    return f"/content/cmi5/fetch/{token}"


def launch_au(
    db: Session, attempt: Attempt, *, index: int, base_url: str, files_url: str, site_url: str | None = None
) -> AuLaunch:
    """Launch AU `index` of the attempt's course for its learner (see the module's docstring). A finished
    attempt's AUs open in Review mode (10.0), which records nothing. Identifiers (activity ids, the
    actor's home page) are under `base_url`, the platform's stable address; the URLs the browser opens
    (the AU, endpoint, fetch, returnURL) under `site_url`, where the learner reached us (the same unless
    the site answers at several addresses)."""
    version = attempt.version
    if version.kind != ContentKind.cmi5.value:
        raise NotFound("This content is not a cmi5 course.")
    aus = version.spec.get("aus") or []
    if not 0 <= index < len(aus):
        raise Invalid(field="au", message=f"must be an AU of the course, 0 to {len(aus) - 1}")
    au = aus[index]
    person = db.get(Person, attempt.person_id)
    if person is None:
        raise Conflict("The attempt's learner no longer exists.")
    base, site = base_url.rstrip("/"), (site_url or base_url).rstrip("/")
    actor = statements.actor_of(person.external_id, base)
    activity_id = statements.au_activity_id(base, version.id, index)
    abandon_open_sessions(db, attempt, base_url=base)
    change = CompletionChange()
    if "cmi5" not in attempt.data:  # the registration's first launch (9.6.1)
        change = progress.evaluate(db, attempt, progress.state_of(attempt), base_url=base)
    session_id, mode = str(uuid.uuid4()), "Review" if attempt.finished else "Normal"
    rules = {"sessionId": session_id, "launchMode": mode, "masteryScore": au.get("masteryScore"), "au": index}
    launched = open_launch(
        db,
        base_url=base,
        profile=CMI5,
        actor=actor,
        registration=attempt.registration,
        activity_id=activity_id,
        rules=rules,
    )
    au_url = au["url"] if urlsplit(au["url"]).scheme else f"{site}{files_url}{au['url']}"
    own_window = au["launchMethod"] == "OwnWindow" or not au_url.startswith(site + "/")
    _write_launch_data(
        db,
        attempt,
        au=au,
        actor=actor,
        activity_id=activity_id,
        session_id=session_id,
        mode=mode,
        return_url=f"{site}/attempts/{attempt.id}" if own_window else None,
    )
    _write_preferences(db, actor)
    statement = statements.launched(
        attempt,
        actor=actor,
        au=au,
        activity_id=activity_id,
        session_id=session_id,
        launch_mode=mode,
        launch_url=au_url,
        at=utcnow(),
    )
    statements.store(db, [statement], base_url=base)
    assert launched.fetch_token is not None
    parameters = {
        "endpoint": f"{site}/xapi/",
        "fetch": site + fetch_path(launched.fetch_token),
        "actor": json.dumps(actor, separators=(",", ":")),
        "registration": attempt.registration,
        "activityId": activity_id,
    }
    return AuLaunch(with_parameters(au_url, parameters), own_window, session_id, change)


def with_parameters(url: str, parameters: dict[str, str]) -> str:
    """The AU's URL with the launch parameters added to its own query (which may not reuse their names)."""
    parts = urlsplit(url)
    own = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in parameters]
    return urlunsplit(parts._replace(query=urlencode(own + list(parameters.items()))))


def _write_launch_data(
    db: Session,
    attempt: Attempt,
    *,
    au: dict[str, Any],
    actor: dict[str, Any],
    activity_id: str,
    session_id: str,
    mode: str,
    return_url: str | None,
) -> None:
    """10.0: the contextTemplate holds the session id (9.6.3.1) and the publisher id in grouping
    (9.6.2.3); the cmi5 category stays out of it, since the AU adds it only to cmi5 defined statements
    (7.1.3), not to the "cmi5 allowed" ones it builds on the same template."""
    data: dict[str, Any] = {
        "contextTemplate": {
            "contextActivities": {"grouping": [{"id": au["id"]}]},
            "extensions": {SESSION_ID: session_id},
        },
        "launchMode": mode,
        "moveOn": au["moveOn"],
        "launchMethod": au["launchMethod"],
    }
    if au.get("launchParameters"):
        data["launchParameters"] = au["launchParameters"]
    if au.get("masteryScore") is not None:
        data["masteryScore"] = au["masteryScore"]
    if au.get("entitlementKey"):
        data["entitlementKey"] = {"courseStructure": au["entitlementKey"]}
    if return_url:
        data["returnURL"] = return_url
    key = DocumentKey(documents.STATE, activity_id, _ifi(actor), attempt.registration)
    documents.put_document(
        db,
        key=key,
        document_id=LAUNCH_DATA,
        content=json.dumps(data).encode(),
        content_type="application/json",
        pre=Preconditions(),
    )


def _write_preferences(db: Session, actor: dict[str, Any]) -> None:
    """11.0: the AU reads the learner's preferences at start-up; the platform's are English, audio on.
    Written once; what the AU writes later is kept."""
    key = DocumentKey(documents.AGENT_PROFILE, "", _ifi(actor), "")
    if documents.list_document_ids(db, key=key)[0]:
        return
    content = json.dumps({"languagePreference": "en-GB,en", "audioPreference": "on"}).encode()
    documents.put_document(
        db,
        key=key,
        document_id=PREFERENCES,
        content=content,
        content_type="application/json",
        pre=Preconditions(if_none_match="*"),
    )


def _ifi(actor: dict[str, Any]) -> str:
    ifi = ifi_of(actor)
    assert ifi is not None
    return ifi


def abandon_open_sessions(db: Session, attempt: Attempt, *, base_url: str) -> int:
    """9.3.6: a new launch in the registration abandons every earlier session that never terminated
    (once, with the session's time as duration); their credentials stop working. The statement writers'
    turn comes first: an AU's `terminated` still being stored holds it and then ends its session, so a
    launch that took the session's row first and then waited for the turn deadlocked with it on
    PostgreSQL (the next AU, started as the first finished, failed to open). Waiting for the turn first
    also lets the launch see that session terminated, and abandon nothing."""
    queue_writers(db)
    open_ones = [s for s in sessions_in(db, registration=attempt.registration) if s.terminated_at is None]
    aus = attempt.version.spec.get("aus") or []
    now = utcnow()
    built = []
    for session in open_ones:
        au = aus[int(session.rules.get("au", 0))]
        built.append(
            statements.abandoned(
                attempt,
                actor=session.actor,
                au=au,
                activity_id=session.activity_id,
                session_id=str(session.rules.get("sessionId")),
                seconds=_session_seconds(db, session),
                at=now,
            )
        )
        end_session(session)
    statements.store(db, built, base_url=base_url)
    return len(built)


def _session_seconds(db: Session, session: LaunchSession) -> int:
    """From the launch to the session's last statement (9.5.4.2), in whole seconds."""
    last = db.scalar(
        select(func.max(Statement.stored)).where(
            Statement.registration == session.registration,
            Statement.object_activity_id == session.activity_id,
            Statement.client_id == session.client_id,
        )
    )
    return int(((last or session.created_at) - session.created_at).total_seconds())
