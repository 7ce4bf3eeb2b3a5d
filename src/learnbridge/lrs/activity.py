"""Activity objects and their definitions, interaction activities included (xAPI 1.0.3 Part 2, 2.4.4.1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from learnbridge.lrs.values import (
    array,
    at,
    check_object,
    extensions,
    fail,
    iri,
    language_map,
    string,
)

INTERACTION_TYPES = frozenset(
    {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing", "likert",
     "numeric", "other"}
)  # fmt: skip
# 2.4.4.1 Interaction Components: the component lists each interactionType supports.
COMPONENT_LISTS: dict[str, frozenset[str]] = {
    "choice": frozenset({"choices"}),
    "sequencing": frozenset({"choices"}),
    "likert": frozenset({"scale"}),
    "matching": frozenset({"source", "target"}),
    "performance": frozenset({"steps"}),
}
_ALL_LISTS = frozenset({"choices", "scale", "source", "target", "steps"})

_DEFINITION_KEYS = (
    frozenset(
        {
            "name",
            "description",
            "type",
            "moreInfo",
            "extensions",
            "interactionType",
            "correctResponsesPattern",
        }
    )
    | _ALL_LISTS
)


def check_activity(value: object, path: str) -> dict[str, Any]:
    activity = check_object(value, path, frozenset({"objectType", "id", "definition"}), ("id",))
    if activity.get("objectType", "Activity") != "Activity":
        fail(f"{at(path, 'objectType')}: must be 'Activity'")
    out: dict[str, Any] = {"objectType": "Activity", "id": iri(activity["id"], at(path, "id"))}
    if "definition" in activity:
        out["definition"] = _definition(activity["definition"], at(path, "definition"))
    return out


_DEFINITION_FIELDS: dict[str, Callable[[object, str], Any]] = {
    "name": language_map,
    "description": language_map,
    "type": iri,
    "moreInfo": iri,
    "extensions": extensions,
}


def _definition(value: object, path: str) -> dict[str, Any]:
    """Activity Definition (2.4.4.1), including the interaction properties."""
    definition = check_object(value, path, _DEFINITION_KEYS)
    out = {key: check(definition[key], at(path, key)) for key, check in _DEFINITION_FIELDS.items()
           if key in definition}  # fmt: skip
    kind = definition.get("interactionType")
    lists = _ALL_LISTS.intersection(definition)
    if kind is None:
        if lists or "correctResponsesPattern" in definition:
            fail(f"{at(path, 'interactionType')}: required with interaction properties")
        return out
    if not isinstance(kind, str) or kind not in INTERACTION_TYPES:
        fail(f"{at(path, 'interactionType')}: unknown value {kind!r}")
    out["interactionType"] = kind
    for name in lists:
        if name not in COMPONENT_LISTS.get(kind, frozenset()):
            fail(f"{at(path, name)}: not allowed for interactionType {kind!r}")
        out[name] = _components(definition[name], at(path, name))
    if "correctResponsesPattern" in definition:
        where = at(path, "correctResponsesPattern")
        patterns = array(definition["correctResponsesPattern"], where)
        out["correctResponsesPattern"] = [string(item, at(where, i)) for i, item in enumerate(patterns)]
    return out


def _components(value: object, path: str) -> list[dict[str, Any]]:
    """Interaction components: an id each, distinct within the list (2.4.4.1)."""
    seen: set[str] = set()
    out = []
    for i, item in enumerate(array(value, path)):
        where = at(path, i)
        component = check_object(item, where, frozenset({"id", "description"}), ("id",))
        ident = string(component["id"], at(where, "id"))
        if ident in seen:
            fail(f"{at(where, 'id')}: duplicate id {ident!r}")
        seen.add(ident)
        entry: dict[str, Any] = {"id": ident}
        if "description" in component:
            entry["description"] = language_map(component["description"], at(where, "description"))
        out.append(entry)
    return out
