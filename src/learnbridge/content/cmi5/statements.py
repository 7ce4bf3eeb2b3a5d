"""The identifiers the LMS generates for a cmi5 course and the statements it writes itself (cmi5 9.3):
launched, satisfied and abandoned, stored in our LRS as the platform's client, at once (9.3.1: the
launched statement is in the LRS before the AU is launched).

Generated ids (8.1: an AU's activityId MUST NOT be its publisher id; 9.3.9: nor the course's or a
block's) live under the content version, so every registration of a version uses the same ones:
`{base_url}/content/{version_id}/cmi5/au/{index}`, `.../cmi5/block/{index}`, `.../cmi5/course`."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.content.models import Attempt
from learnbridge.lrs.clients import platform_client
from learnbridge.lrs.launch_rules import CATEGORY_CMI5, SESSION_ID, VERBS
from learnbridge.lrs.statements import iso, store_statements
from learnbridge.lrs.validate import validate_statement

EXTENSIONS = "https://w3id.org/xapi/cmi5/context/extensions/"
LAUNCH_MODE = EXTENSIONS + "launchmode"
LAUNCH_URL = EXTENSIONS + "launchurl"
MOVE_ON = EXTENSIONS + "moveon"
MASTERY_SCORE = EXTENSIONS + "masteryscore"
LAUNCH_PARAMETERS = EXTENSIONS + "launchparameters"
REASON = "https://w3id.org/xapi/cmi5/result/extensions/reason"
AU_TYPE = "https://w3id.org/xapi/cmi5/activitytype/au"
BLOCK_TYPE = "https://w3id.org/xapi/cmi5/activitytype/block"
COURSE_TYPE = "https://w3id.org/xapi/cmi5/activitytype/course"
_AU_ID = re.compile(r"/content/(\d+)/cmi5/au/(\d+)$")


def _root(base_url: str, version_id: int) -> str:
    return f"{base_url.rstrip('/')}/content/{version_id}/cmi5"


def au_activity_id(base_url: str, version_id: int, index: int) -> str:
    return f"{_root(base_url, version_id)}/au/{index}"


def block_activity_id(base_url: str, version_id: int, index: int) -> str:
    return f"{_root(base_url, version_id)}/block/{index}"


def course_activity_id(base_url: str, version_id: int) -> str:
    return f"{_root(base_url, version_id)}/course"


def au_of(activity_id: str | None, version_id: int) -> int | None:
    """The AU index an activity id generated for `version_id` names, else None."""
    found = _AU_ID.search(activity_id or "")
    if found is None or int(found.group(1)) != version_id:
        return None
    return int(found.group(2))


def actor_of(person_external_id: str, base_url: str) -> dict[str, Any]:
    """The learner as cmi5 wants them (9.2: an Agent with an account; 8.1: no sensitive PII): the
    platform's account by their stable external id, which the stream (push.xapi_completions) knows."""
    return {"objectType": "Agent", "account": {"homePage": base_url, "name": person_external_id}}


def _context(attempt: Attempt, au: dict[str, Any] | None, session_id: str) -> dict[str, Any]:
    activities: dict[str, Any] = {"category": [{"id": CATEGORY_CMI5}]}
    if au is not None:
        activities["grouping"] = [{"id": au["id"]}]  # 9.6.2.3: the publisher id
    return {
        "registration": attempt.registration,
        "contextActivities": activities,
        "extensions": {SESSION_ID: session_id},
    }


def _statement(
    actor: dict[str, Any], verb: str, target: dict[str, Any], context: dict[str, Any], at: dt.datetime
) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {"objectType": "Activity", **target},
        "context": context,
        "timestamp": iso(at),
    }


def launched(
    attempt: Attempt,
    *,
    actor: dict[str, Any],
    au: dict[str, Any],
    activity_id: str,
    session_id: str,
    launch_mode: str,
    launch_url: str,
    at: dt.datetime,
) -> dict[str, Any]:
    """9.3.1 with the context 9.6.3.2-9.6.3.7 asks of a launched statement."""
    context = _context(attempt, au, session_id)
    extensions = context["extensions"]
    extensions[LAUNCH_MODE], extensions[LAUNCH_URL], extensions[MOVE_ON] = (
        launch_mode,
        launch_url,
        au["moveOn"],
    )
    if au.get("masteryScore") is not None:
        extensions[MASTERY_SCORE] = au["masteryScore"]
    if au.get("launchParameters"):
        extensions[LAUNCH_PARAMETERS] = au["launchParameters"]
    return _statement(actor, "launched", _au_object(au, activity_id), context, at)


def abandoned(
    attempt: Attempt,
    *,
    actor: dict[str, Any],
    au: dict[str, Any],
    activity_id: str,
    session_id: str,
    seconds: int,
    at: dt.datetime,
) -> dict[str, Any]:
    """9.3.6: the session ended without terminated; duration is the session's time (9.5.4.2)."""
    statement = _statement(
        actor, "abandoned", _au_object(au, activity_id), _context(attempt, au, session_id), at
    )
    statement["result"] = {"duration": f"PT{max(seconds, 0)}S"}
    return statement


def satisfied(
    attempt: Attempt,
    *,
    actor: dict[str, Any],
    activity_id: str,
    kind: str,
    title: str,
    session_id: str,
    at: dt.datetime,
) -> dict[str, Any]:
    """9.3.9: a block's or the course's moveOn criteria are met (object: the generated id)."""
    definition: dict[str, Any] = {"type": BLOCK_TYPE if kind == "block" else COURSE_TYPE}
    if title:
        definition["name"] = {"en-US": title}
    target = {"id": activity_id, "definition": definition}
    return _statement(actor, "satisfied", target, _context(attempt, None, session_id), at)


def _au_object(au: dict[str, Any], activity_id: str) -> dict[str, Any]:
    definition = {"type": au.get("activityType") or AU_TYPE, "name": {"en-US": au["title"]}}
    return {"id": activity_id, "definition": definition}


def store(db: Session, statements: list[dict[str, Any]], *, base_url: str) -> list[str]:
    """Store the LMS's statements now, as the platform (no stream job: they report nothing to count)."""
    if not statements:
        return []
    valid = [validate_statement(s, version="1.0.3") for s in statements]
    return store_statements(
        db, statements=valid, client=platform_client(db, base_url=base_url), version="1.0.3"
    )
