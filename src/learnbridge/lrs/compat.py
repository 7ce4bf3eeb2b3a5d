"""The known deviations of popular tools, normalised before validation for a client an L&D admin switched
to compatibility (`LrsClient.compatibility`, off by default: strict conformance stays the rule).

Each deviation accepted here is a confirmed one, and each is stored in its conformant form with what was
sent kept in an extension under the LRS's own IRIs, so nothing the tool said is lost:

- H5P's `interactionType: "compound"` (Question Set, Interactive Video, Course Presentation ...), and any
  other interactionType outside xAPI 1.0.3 Part 2, 2.4.4.1's list, becomes `other`; the original value is
  kept under `{base_url}/xapi/extensions/original-interaction-type`, and the component lists `other` does
  not allow (2.4.4.1 Interaction Components) under `.../original-interaction-components`.
- H5P's score for content worth no points, `{"min": 0, "max": 0, "raw": 0}` (H5P.XAPIEvent
  setScoredResult with maxScore 0), breaks 2.4.5.1 ("max: greater than min"): min and max are dropped,
  raw is kept, and the score as sent is kept in `result.extensions` under `.../original-score`.

A signed statement is never changed: its signature covers the statement as sent (Part 2, 2.6)."""

from __future__ import annotations

from typing import Any

from learnbridge.lrs.activity import COMPONENT_LISTS, INTERACTION_TYPES
from learnbridge.lrs.signature import SIGNATURE_USAGE

ORIGINAL_INTERACTION_TYPE = "/xapi/extensions/original-interaction-type"
ORIGINAL_COMPONENTS = "/xapi/extensions/original-interaction-components"
ORIGINAL_SCORE = "/xapi/extensions/original-score"
_LISTS = frozenset().union(*COMPONENT_LISTS.values())


def extension_iri(base_url: str, path: str) -> str:
    """One of the LRS's own extension IRIs, under the site's base URL."""
    return base_url.rstrip("/") + path


def normalise_statements(items: list[Any], *, base_url: str) -> list[Any]:
    """A compatibility client's statements with the known deviations put in conformant form (the module
    docstring lists them); anything else, valid or not, is left for validation to judge."""
    return [normalise_statement(item, base_url=base_url) for item in items]


def normalise_statement(item: object, *, base_url: str) -> object:
    if not isinstance(item, dict) or _signed(item):
        return item
    return _body(item, base_url)


def _signed(statement: dict[str, Any]) -> bool:
    attachments = statement.get("attachments")
    return isinstance(attachments, list) and any(
        isinstance(a, dict) and a.get("usageType") == SIGNATURE_USAGE for a in attachments
    )


def _body(body: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A Statement or SubStatement: its object, context activities and result."""
    out = dict(body)
    target = out.get("object")
    if isinstance(target, dict):
        kind = target.get("objectType", "Activity")
        if kind == "Activity":
            out["object"] = _activity(target, base_url)
        elif kind == "SubStatement":
            out["object"] = _body(target, base_url)
    context = out.get("context")
    if isinstance(context, dict) and isinstance(groups := context.get("contextActivities"), dict):
        groups = {name: _activities(group, base_url) for name, group in groups.items()}
        out["context"] = {**context, "contextActivities": groups}
    result = out.get("result")
    if isinstance(result, dict):
        out["result"] = _result(result, base_url)
    return out


def _activities(group: object, base_url: str) -> object:
    """A contextActivities entry: one activity or a list of them (2.4.6.2)."""
    if isinstance(group, list):
        return [_activity(a, base_url) if isinstance(a, dict) else a for a in group]
    return _activity(group, base_url) if isinstance(group, dict) else group


def _activity(activity: dict[str, Any], base_url: str) -> dict[str, Any]:
    """An unknown interactionType becomes `other`, the original and the lists `other` cannot carry kept."""
    definition = activity.get("definition")
    if not isinstance(definition, dict):
        return activity
    kind, extensions = definition.get("interactionType"), definition.get("extensions", {})
    if not isinstance(kind, str) or kind in INTERACTION_TYPES or not isinstance(extensions, dict):
        return activity
    allowed = COMPONENT_LISTS.get("other", frozenset())
    removed = {name: definition[name] for name in sorted(_LISTS - allowed) if name in definition}
    kept = {key: value for key, value in definition.items() if key not in removed}
    extensions = {**extensions, extension_iri(base_url, ORIGINAL_INTERACTION_TYPE): kind}
    if removed:
        extensions[extension_iri(base_url, ORIGINAL_COMPONENTS)] = removed
    return {**activity, "definition": {**kept, "interactionType": "other", "extensions": extensions}}


def _result(result: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A score whose max equals its min loses both (raw stays); the score as sent goes to an extension."""
    score, extensions = result.get("score"), result.get("extensions", {})
    if not isinstance(score, dict) or not isinstance(extensions, dict) or not _empty_range(score):
        return result
    kept = {key: value for key, value in score.items() if key not in ("min", "max")}
    extensions = {**extensions, extension_iri(base_url, ORIGINAL_SCORE): score}
    return {**result, "score": kept, "extensions": extensions}


def _empty_range(score: dict[str, Any]) -> bool:
    low, high = score.get("min"), score.get("max")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high))
    return numbers and low == high
