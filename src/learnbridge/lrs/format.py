"""What the LRS derives from a valid statement: the identifiers its filters index (agents, activities),
the GET formats (ids, exact, canonical), and statement equivalence for id conflicts.

Pure functions over statements already normalised by `lrs.validate.validate_statement`.
"""

from __future__ import annotations

import re
from typing import Any

_GROUP_KINDS = ("Agent", "Group")


def ifi_of(agent: dict[str, Any]) -> str | None:
    """The agent's or group's inverse functional identifier as one string, or None for an anonymous
    group: "mbox:mailto:x", "mbox_sha1sum:hex", "openid:uri", "account:homePage|name" (2.4.2.3)."""
    if "mbox" in agent:
        return f"mbox:{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"mbox_sha1sum:{agent['mbox_sha1sum'].lower()}"
    if "openid" in agent:
        return f"openid:{agent['openid']}"
    if "account" in agent:
        account = agent["account"]
        return f"account:{account['homePage']}|{account['name']}"
    return None


def _with_members(agent: dict[str, Any]) -> list[str]:
    """An agent's IFI, or a group's IFI (if identified) and its members' (Part 3, 2.1.3: groups whose
    members match the agent match the `agent` filter)."""
    found = [ifi for ifi in [ifi_of(agent)] if ifi]
    found.extend(ifi for member in agent.get("member", ()) if (ifi := ifi_of(member)))
    return found


def _is_agent(thing: dict[str, Any]) -> bool:
    return thing.get("objectType") in _GROUP_KINDS


def agents_in(statement: dict[str, Any]) -> list[tuple[str, bool]]:
    """Every agent a statement names, as (ifi, as_actor): as_actor is True for the actor and an agent or
    group object (what the plain `agent` filter matches), False for authority, instructor, team and
    everything inside a SubStatement (only `related_agents=true` matches those; Part 3, 2.1.3)."""
    found: dict[str, bool] = {}

    def add(agent: dict[str, Any] | None, direct: bool) -> None:
        for ifi in _with_members(agent) if agent else ():
            found[ifi] = found.get(ifi, False) or direct

    add(statement.get("actor"), True)
    target = statement.get("object", {})
    if _is_agent(target):
        add(target, True)
    add(statement.get("authority"), False)
    _related_agents(statement, add)
    if target.get("objectType") == "SubStatement":
        add(target.get("actor"), False)
        if _is_agent(target.get("object", {})):
            add(target["object"], False)
        _related_agents(target, add)
    return list(found.items())


def _related_agents(statement: dict[str, Any], add: Any) -> None:
    context = statement.get("context", {})
    add(context.get("instructor"), False)
    add(context.get("team"), False)


def activities_in(statement: dict[str, Any]) -> list[tuple[str, bool]]:
    """Every activity a statement names, as (activity id, is_object): is_object is True only for the
    statement's own Activity object (the plain `activity` filter); context activities and everything in a
    SubStatement match only with `related_activities=true` (Part 3, 2.1.3)."""
    found: dict[str, bool] = {}
    target = statement.get("object", {})
    if target.get("objectType", "Activity") == "Activity" and "id" in target:
        found[target["id"]] = True
    _context_activity_ids(statement, found)
    if target.get("objectType") == "SubStatement":
        inner = target.get("object", {})
        if inner.get("objectType", "Activity") == "Activity" and "id" in inner:
            found.setdefault(inner["id"], False)
        _context_activity_ids(target, found)
    return list(found.items())


def _context_activity_ids(statement: dict[str, Any], found: dict[str, bool]) -> None:
    groups = statement.get("context", {}).get("contextActivities", {})
    for activities in groups.values():
        for activity in activities if isinstance(activities, list) else [activities]:
            found.setdefault(activity["id"], False)


# GET formats (Part 3, 2.1.3 "format") ------------------------------------------------------------------


def accept_languages(header: str | None) -> list[str]:
    """The language ranges of an Accept-Language header, most preferred first (RFC 2616 14.4)."""
    ranked = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(ranked)]


def best_language(texts: dict[str, str], languages: list[str]) -> dict[str, str]:
    """The one entry of a language map that best matches `languages` (exact tag, then a prefix either
    way, as RFC 2616 14.4 matches ranges); with no match, "und" or the first entry."""
    if len(texts) <= 1:
        return dict(texts)
    lowered = {tag.lower(): tag for tag in texts}
    for wanted in (language.lower() for language in languages):
        if wanted == "*":
            break
        if wanted in lowered:
            return {lowered[wanted]: texts[lowered[wanted]]}
        for low, tag in lowered.items():
            if low.startswith(wanted + "-") or wanted.startswith(low + "-"):
                return {tag: texts[tag]}
    tag = lowered.get("und", next(iter(texts)))
    return {tag: texts[tag]}


def formatted(statement: dict[str, Any], *, format: str, languages: list[str]) -> dict[str, Any]:
    """The statement as GET returns it for `format`: "exact" unchanged; "ids" with agents and groups
    reduced to their IFIs (anonymous groups to their members'), activities and verbs to their ids;
    "canonical" with each activity and verb language map reduced to the best match for `languages`
    (the caller substitutes the LRS's canonical activity definitions first)."""
    if format == "ids":
        return _ids(statement)
    if format == "canonical":
        return _canonical(statement, languages)
    return statement


_ID_KEYS = ("objectType", "mbox", "mbox_sha1sum", "openid", "account")


def _agent_ids(agent: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {key: agent[key] for key in _ID_KEYS if key in agent}
    if ifi_of(agent) is None and "member" in agent:
        out["member"] = [_agent_ids(member) for member in agent["member"]]
    return out


def _object_ids(target: dict[str, Any]) -> dict[str, Any]:
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": target["id"]}  # Part 3, 2.1.3 format=ids: only the id (objectType defaults)
    if kind in _GROUP_KINDS:
        return _agent_ids(target)
    if kind == "SubStatement":
        return _ids(target)
    return target


def _ids(statement: dict[str, Any]) -> dict[str, Any]:
    out = dict(statement, actor=_agent_ids(statement["actor"]), verb={"id": statement["verb"]["id"]})
    out["object"] = _object_ids(statement["object"])
    if "authority" in statement:
        out["authority"] = _agent_ids(statement["authority"])
    if "context" in statement:
        out["context"] = _context_ids(statement["context"])
    return out


def _context_ids(context: dict[str, Any]) -> dict[str, Any]:
    out = dict(context)
    for key in ("instructor", "team"):
        if key in context:
            out[key] = _agent_ids(context[key])
    if "contextActivities" in context:
        out["contextActivities"] = {
            key: [_object_ids(activity) for activity in activities]
            for key, activities in context["contextActivities"].items()
        }
    for key, inner in (("contextAgents", "agent"), ("contextGroups", "group")):
        if key in context:
            out[key] = [dict(entry, **{inner: _agent_ids(entry[inner])}) for entry in context[key]]
    return out


_COMPONENT_LISTS = ("choices", "scale", "source", "target", "steps")


def _canonical(statement: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    out = dict(statement)
    if "display" in statement["verb"]:
        out["verb"] = dict(statement["verb"], display=best_language(statement["verb"]["display"], languages))
    out["object"] = _canonical_object(statement["object"], languages)
    groups = statement.get("context", {}).get("contextActivities")
    if groups:
        activities = {key: [_canonical_object(a, languages) for a in items] for key, items in groups.items()}
        out["context"] = dict(statement["context"], contextActivities=activities)
    return out


def _canonical_object(target: dict[str, Any], languages: list[str]) -> dict[str, Any]:
    if target.get("objectType") == "SubStatement":
        return _canonical(target, languages)
    if "definition" not in target:
        return target
    definition = dict(target["definition"])
    for key in ("name", "description"):
        if key in definition:
            definition[key] = best_language(definition[key], languages)
    for key in _COMPONENT_LISTS:
        if key in definition:
            definition[key] = [
                dict(c, description=best_language(c["description"], languages)) if "description" in c else c
                for c in definition[key]
            ]
    return dict(target, definition=definition)


# Statement comparison (Part 2, 2.3.1) ------------------------------------------------------------------

# Set or assigned by the LRS, or not part of the immutable statement (2.3.1).
_NOT_COMPARED = ("id", "authority", "stored", "version", "attachments")


def equivalent(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two normalised statements are the same statement by 2.3.1's comparison rules: ignoring what
    the LRS assigns (id, authority, stored, version, a missing timestamp), attachments, activity
    definitions, verb displays, the order of group members, default objectTypes and mbox case."""
    left: dict[str, Any] = _comparable(a)
    right: dict[str, Any] = _comparable(b)
    for name in _NOT_COMPARED:
        left.pop(name, None)
        right.pop(name, None)
    if "timestamp" not in left or "timestamp" not in right:
        left.pop("timestamp", None)
        right.pop("timestamp", None)
    return left == right


def _comparable(value: Any) -> Any:
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    if not isinstance(value, dict):
        return value
    out: dict[str, Any] = {}
    for key, item in value.items():
        if key in ("definition", "display") or (key == "objectType" and item in ("Agent", "Activity")):
            continue
        if key == "extensions":
            out[key] = item
        elif key == "member":
            out[key] = sorted((_comparable(member) for member in item), key=repr)
        elif key == "mbox":
            out[key] = item.lower()
        elif key == "duration" and isinstance(item, str):
            out[key] = _SECONDS.sub(_hundredths, item)
        else:
            out[key] = _comparable(item)
    return out


# IEEE 9274.1.1 (xAPI 2.0) 4.2.7: durations compare to 0.01 s; further digits are not compared.
_SECONDS = re.compile(r"(\d+)[.,](\d+)(?=S$)")


def _hundredths(match: re.Match[str]) -> str:
    fraction = match.group(2)[:2].rstrip("0")
    return f"{match.group(1)}.{fraction}" if fraction else match.group(1)
