"""Statement validation: the xAPI data rules, pure Python, no database.

Follows xAPI 1.0.3 Part 2 (Data) and IEEE 9274.1.1 (xAPI 2.0) where it differs. Section numbers in
comments refer to Part 2 of 1.0.3 unless they say otherwise. The validator copies what it accepts into a
new, normalised dict (lower-case UUIDs, UTC timestamps, contextActivities as arrays), so callers never
store what they did not check.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from learnbridge.lrs.activity import check_activity
from learnbridge.lrs.format import (
    accept_languages,
    activities_in,
    agents_in,
    equivalent,
    formatted,
    ifi_of,
)
from learnbridge.lrs.values import (
    StatementInvalid,
    array,
    at,
    boolean,
    check_object,
    duration,
    extensions,
    fail,
    iri,
    language,
    language_map,
    number,
    string,
    timestamp,
    uuid,
)

# What the LRS derives from a statement lives in lrs.format; re-exported so callers need one import.
__all__ = [
    "StatementInvalid",
    "accept_languages",
    "activities_in",
    "agents_in",
    "equivalent",
    "formatted",
    "ifi_of",
    "validate_statement",
]

VOIDED = "http://adlnet.gov/expapi/verbs/voided"

_MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_SHA2 = re.compile(r"^(?:[0-9a-fA-F]{56}|[0-9a-fA-F]{64}|[0-9a-fA-F]{96}|[0-9a-fA-F]{128})$")
_VERSION = re.compile(r"^(?:1\.0|2\.0)(?:\.\d+)?$")

_AGENT_KEYS = frozenset({"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"})
_GROUP_KEYS = _AGENT_KEYS | {"member"}
_IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
_CONTEXT_KEYS = frozenset(
    {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
     "statement", "extensions"}
)  # fmt: skip
_CONTEXT_KEYS_2 = _CONTEXT_KEYS | {"contextAgents", "contextGroups"}
_SUB_KEYS = frozenset(
    {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
)
_STATEMENT_KEYS = (_SUB_KEYS - {"objectType"}) | {"id", "stored", "authority", "version"}
_ATTACHMENT_KEYS = frozenset(
    {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}
)


# Actor, Agent, Group (2.4.2) ------------------------------------------------------------------------


def _ifis(value: dict[str, Any], path: str, out: dict[str, Any]) -> int:
    """Copies the inverse functional identifiers (2.4.2.3) into `out`; returns how many there were."""
    found = 0
    for key in _IFI_KEYS:
        if key not in value:
            continue
        found += 1
        item, where = value[key], at(path, key)
        if key == "mbox":
            if not isinstance(item, str) or not _MBOX.match(item):
                fail(f"{where}: must be a mailto IRI")
            out[key] = item
        elif key == "mbox_sha1sum":
            if not isinstance(item, str) or not _SHA1.match(item):
                fail(f"{where}: must be a hex-encoded SHA1")
            out[key] = item.lower()
        elif key == "openid":
            out[key] = iri(item, where)
        else:
            account = check_object(item, where, frozenset({"homePage", "name"}), ("homePage", "name"))
            out[key] = {"homePage": iri(account["homePage"], at(where, "homePage")),
                        "name": string(account["name"], at(where, "name"))}  # fmt: skip
    return found


def _agent(value: object, path: str, *, typed: bool = False) -> dict[str, Any]:
    """An Agent: exactly one IFI (2.4.2.1); objectType optional unless `typed` (object position)."""
    agent = check_object(value, path, _AGENT_KEYS)
    kind = agent.get("objectType")
    if kind is None and typed:
        fail(f"{at(path, 'objectType')}: required")
    if kind not in (None, "Agent"):
        fail(f"{at(path, 'objectType')}: must be 'Agent'")
    out: dict[str, Any] = {"objectType": "Agent"} if kind else {}
    if "name" in agent:
        out["name"] = string(agent["name"], at(path, "name"))
    if _ifis(agent, path, out) != 1:
        fail(f"{path}: an Agent must have exactly one of mbox, mbox_sha1sum, openid, account")
    return out


def _group(value: dict[str, Any], path: str) -> dict[str, Any]:
    """A Group (2.4.2.2): identified (one IFI) or anonymous (no IFI, members required); members are Agents."""
    group = check_object(value, path, _GROUP_KEYS)
    out: dict[str, Any] = {"objectType": "Group"}
    if "name" in group:
        out["name"] = string(group["name"], at(path, "name"))
    found = _ifis(group, path, out)
    if found > 1:
        fail(f"{path}: a Group must have at most one of mbox, mbox_sha1sum, openid, account")
    if found == 0 and "member" not in group:
        fail(f"{at(path, 'member')}: required for an anonymous Group")
    if "member" in group:
        where = at(path, "member")
        members = array(group["member"], where)
        if found == 0 and not members:
            fail(f"{where}: an anonymous Group must list its members")
        out["member"] = [_member(item, at(where, i)) for i, item in enumerate(members)]
    return out


def _member(value: object, path: str) -> dict[str, Any]:
    if isinstance(value, dict) and value.get("objectType") == "Group":
        fail(f"{path}: a Group's members must be Agents, not Groups")
    return _agent(value, path)


def _actor(value: object, path: str, *, typed: bool = False) -> dict[str, Any]:
    """An Agent or a Group (objectType "Group" is required for a Group)."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        return _group(value, path)
    return _agent(value, path, typed=typed)


# Verb, Object (2.4.3, 2.4.4) -------------------------------------------------------------------------


def _verb(value: object, path: str) -> dict[str, Any]:
    verb = check_object(value, path, frozenset({"id", "display"}), ("id",))
    out: dict[str, Any] = {"id": iri(verb["id"], at(path, "id"))}
    if "display" in verb:
        out["display"] = language_map(verb["display"], at(path, "display"))
    return out


def _statement_ref(value: object, path: str) -> dict[str, Any]:
    ref = check_object(value, path, frozenset({"objectType", "id"}), ("objectType", "id"))
    if ref["objectType"] != "StatementRef":
        fail(f"{at(path, 'objectType')}: must be 'StatementRef'")
    return {"objectType": "StatementRef", "id": uuid(ref["id"], at(path, "id"))}


def _object(value: object, path: str, version: str, *, nested: bool) -> dict[str, Any]:
    """The statement's object (2.4.4): Activity (the default), Agent, Group, StatementRef, SubStatement."""
    if not isinstance(value, dict):
        fail(f"{path}: must be an object")
    kind = value.get("objectType", "Activity")
    if kind == "Activity":
        return check_activity(value, path)
    if kind in ("Agent", "Group"):
        return _actor(value, path, typed=True)
    if kind == "StatementRef":
        return _statement_ref(value, path)
    if kind == "SubStatement":
        if nested:
            fail(f"{at(path, 'objectType')}: a SubStatement cannot contain a SubStatement")
        return _body(value, path, version, _SUB_KEYS, nested=True)
    fail(f"{at(path, 'objectType')}: unknown value {kind!r}")


# Result, Context, Attachments (2.4.5, 2.4.6, 2.4.11) ---------------------------------------------------


def _score(value: object, path: str) -> dict[str, Any]:
    """2.4.5.1: scaled in -1..1, min < max, raw between min and max."""
    score = check_object(value, path, frozenset({"scaled", "raw", "min", "max"}))
    out = {key: number(item, at(path, key)) for key, item in score.items()}
    if "scaled" in out and not -1 <= out["scaled"] <= 1:
        fail(f"{at(path, 'scaled')}: must be between -1 and 1")
    low, high, raw = out.get("min"), out.get("max"), out.get("raw")
    if low is not None and high is not None and not low < high:
        fail(f"{at(path, 'max')}: must be greater than min")
    if raw is not None and low is not None and raw < low:
        fail(f"{at(path, 'raw')}: must not be less than min")
    if raw is not None and high is not None and raw > high:
        fail(f"{at(path, 'raw')}: must not be greater than max")
    return out


_RESULT_FIELDS: dict[str, Callable[[object, str], Any]] = {
    "score": _score,
    "success": boolean,
    "completion": boolean,
    "response": string,
    "duration": duration,
    "extensions": extensions,
}


def _result(value: object, path: str) -> dict[str, Any]:
    result = check_object(value, path, frozenset(_RESULT_FIELDS))
    return {key: _RESULT_FIELDS[key](item, at(path, key)) for key, item in result.items()}


def _context_activities(value: object, path: str) -> dict[str, list[dict[str, Any]]]:
    """2.4.6.2: a single Activity or an array of them per key; always returned as arrays."""
    groups = check_object(value, path, frozenset({"parent", "grouping", "category", "other"}))
    out = {}
    for key, item in groups.items():
        where = at(path, key)
        items = item if isinstance(item, list) else [item]
        out[key] = [check_activity(activity, at(where, i)) for i, activity in enumerate(items)]
    return out


def _team(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("objectType") != "Group":
        fail(f"{path}: must be a Group")
    return _group(value, path)


def _relevant_types(value: object, path: str) -> list[str]:
    types = array(value, path)
    if not types:
        fail(f"{path}: must not be empty")
    return [iri(item, at(path, i)) for i, item in enumerate(types)]


def _context_members(value: object, path: str, kind: str, key: str) -> list[dict[str, Any]]:
    """xAPI 2.0 (9274.1.1 5.2.2.6) contextAgents and contextGroups."""
    out = []
    for i, item in enumerate(array(value, path)):
        where = at(path, i)
        entry = check_object(
            item, where, frozenset({"objectType", key, "relevantTypes"}), ("objectType", key)
        )
        if entry["objectType"] != kind:
            fail(f"{at(where, 'objectType')}: must be {kind!r}")
        member = _team(entry[key], at(where, key)) if key == "group" else _agent(entry[key], at(where, key))
        made: dict[str, Any] = {"objectType": kind, key: member}
        if "relevantTypes" in entry:
            made["relevantTypes"] = _relevant_types(entry["relevantTypes"], at(where, "relevantTypes"))
        out.append(made)
    return out


_CONTEXT_FIELDS: dict[str, Callable[[object, str], Any]] = {
    "registration": uuid,
    "instructor": _actor,
    "team": _team,
    "contextActivities": _context_activities,
    "revision": string,
    "platform": string,
    "language": language,
    "statement": _statement_ref,
    "extensions": extensions,
    "contextAgents": lambda value, path: _context_members(value, path, "contextAgent", "agent"),
    "contextGroups": lambda value, path: _context_members(value, path, "contextGroup", "group"),
}


def _context(value: object, path: str, version: str, object_kind: str) -> dict[str, Any]:
    context = check_object(value, path, _CONTEXT_KEYS_2 if version.startswith("2.") else _CONTEXT_KEYS)
    out = {key: _CONTEXT_FIELDS[key](item, at(path, key)) for key, item in context.items()}
    # 2.4.6: revision and platform only describe an Activity.
    for key in ("revision", "platform"):
        if key in out and object_kind != "Activity":
            fail(f"{at(path, key)}: only allowed when the object is an Activity")
    return out


def _attachment(value: object, path: str) -> dict[str, Any]:
    """2.4.11: the metadata of an attachment (the content travels in the multipart request)."""
    required = ("usageType", "display", "contentType", "length", "sha2")
    attachment = check_object(value, path, _ATTACHMENT_KEYS, required)
    out: dict[str, Any] = {
        "usageType": iri(attachment["usageType"], at(path, "usageType")),
        "display": language_map(attachment["display"], at(path, "display")),
        "contentType": string(attachment["contentType"], at(path, "contentType")),
    }
    if "description" in attachment:
        out["description"] = language_map(attachment["description"], at(path, "description"))
    length = attachment["length"]
    if isinstance(length, bool) or not isinstance(length, int) or length < 0:
        fail(f"{at(path, 'length')}: must be a non-negative integer")
    out["length"] = length
    sha2 = attachment["sha2"]
    if not isinstance(sha2, str) or not _SHA2.match(sha2):
        fail(f"{at(path, 'sha2')}: must be a hex-encoded SHA-2 hash")
    out["sha2"] = sha2.lower()
    if "fileUrl" in attachment:
        out["fileUrl"] = iri(attachment["fileUrl"], at(path, "fileUrl"))
    return out


# Statement (2.4) -----------------------------------------------------------------------------------------


def _body(
    value: dict[str, Any], path: str, version: str, allowed: frozenset[str], *, nested: bool
) -> dict[str, Any]:
    """What a Statement and a SubStatement share: actor, verb, object, result, context, timestamp,
    attachments (2.4.12: a SubStatement has no id, stored, version or authority)."""
    body = check_object(value, path, allowed, ("actor", "verb", "object"))
    out: dict[str, Any] = {"objectType": "SubStatement"} if nested else {}
    out["actor"] = _actor(body["actor"], at(path, "actor"))
    out["verb"] = _verb(body["verb"], at(path, "verb"))
    out["object"] = _object(body["object"], at(path, "object"), version, nested=nested)
    if out["verb"]["id"] == VOIDED and out["object"]["objectType"] != "StatementRef":
        fail(f"{at(path, 'object')}: a voiding statement's object must be a StatementRef")
    if "result" in body:
        out["result"] = _result(body["result"], at(path, "result"))
    if "context" in body:
        kind = out["object"]["objectType"]
        out["context"] = _context(body["context"], at(path, "context"), version, kind)
    if "timestamp" in body:
        out["timestamp"] = timestamp(body["timestamp"], at(path, "timestamp"), version)
    if "attachments" in body:
        where = at(path, "attachments")
        items = array(body["attachments"], where)
        out["attachments"] = [_attachment(item, at(where, i)) for i, item in enumerate(items)]
    return out


def validate_statement(data: object, *, version: str) -> dict[str, Any]:
    """Checks `data` against every xAPI statement rule and returns the normalised statement; raises
    StatementInvalid naming the first offending property. `version` is the request's
    X-Experience-API-Version (2.0 allows contextAgents/contextGroups and requires timestamp offsets).
    `stored` and `authority` are checked here but the LRS overwrites them (2.4.8, 2.4.9)."""
    if not isinstance(data, dict):
        fail("statement: must be an object")
    if data.get("objectType") is not None:
        fail("unexpected property 'objectType' in statement")
    out = _body(data, "", version, _STATEMENT_KEYS, nested=False)
    if "id" in data:
        out["id"] = uuid(data["id"], "id")
    if "stored" in data:
        out["stored"] = timestamp(data["stored"], "stored", version)
    if "authority" in data:
        out["authority"] = _authority(data["authority"])
    if "version" in data:
        given = data["version"]
        # 2.4.10: a 1.0 LRS refuses versions not starting "1.0."; 2.0 (9274.1.1) also takes "2.0.".
        if not isinstance(given, str) or not _VERSION.match(given):
            fail("version: must be 1.0.x or 2.0.x")
        if given.startswith("2.") and not version.startswith("2."):
            fail("version: must be 1.0.x under X-Experience-API-Version 1.0")
        out["version"] = data["version"]
    return out


def _authority(value: object) -> dict[str, Any]:
    """2.4.9: an Agent, or (3-legged OAuth) an anonymous Group of exactly two Agents, the application
    identified by an account."""
    checked = _actor(value, "authority")
    if checked.get("objectType") != "Group":
        return checked
    members = checked.get("member", ())
    if ifi_of(checked) is not None:
        fail("authority: an authority Group must be anonymous (the OAuth application and its user)")
    if len(members) != 2:
        fail("authority.member: an authority Group must have exactly two Agents")
    if not any("account" in member for member in members):
        fail("authority.member: one Agent must be the OAuth application, identified by an account")
    return checked
