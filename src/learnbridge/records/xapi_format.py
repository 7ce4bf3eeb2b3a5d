"""What the LRS derives from a valid statement: the identifiers its filters index (agents, activities),
the GET formats (ids, exact, canonical), and statement equivalence for id conflicts.

Pure functions over statements already normalised by `xapi_validate.validate_statement`.
"""

from __future__ import annotations

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
