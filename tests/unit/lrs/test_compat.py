"""lrs.compat: only the known deviations change, wherever an activity or a score may appear."""

from __future__ import annotations

from typing import Any

import pytest

from learnbridge.lrs.compat import normalise_statement
from learnbridge.lrs.signature import SIGNATURE_USAGE
from learnbridge.lrs.validate import StatementInvalid, validate_statement

BASE = "https://lb.example/"
TYPE = "https://lb.example/xapi/extensions/original-interaction-type"
LISTS = "https://lb.example/xapi/extensions/original-interaction-components"


def _activity(kind: object, **more: Any) -> dict[str, Any]:
    return {"id": "https://h5p.example/1", "definition": {"interactionType": kind, **more}}


def _statement(target: dict[str, Any], **more: Any) -> dict[str, Any]:
    verb = {"id": "http://adlnet.gov/expapi/verbs/answered"}
    return {"actor": {"mbox": "mailto:ann@example.com"}, "verb": verb, "object": target, **more}


def test_an_unknown_interaction_type_becomes_other_with_lists_kept_aside() -> None:
    choices = [{"id": "a"}]
    sent = _statement(_activity("compound", choices=choices, extensions={"https://x.example/e": 1}))
    out = normalise_statement(sent, base_url=BASE)
    assert isinstance(out, dict)
    definition = validate_statement(out, version="1.0.3")["object"]["definition"]
    assert definition == {
        "interactionType": "other",
        "extensions": {"https://x.example/e": 1, TYPE: "compound", LISTS: {"choices": choices}},
    }
    assert sent["object"]["definition"]["interactionType"] == "compound"  # what was sent is not changed


def test_context_activities_and_substatements_are_normalised_too() -> None:
    inner = _statement(_activity("drag-and-drop"))
    inner["objectType"] = "SubStatement"
    context = {"contextActivities": {"parent": _activity("compound"), "grouping": [_activity("compound")]}}
    out = normalise_statement(_statement(inner, context=context), base_url=BASE)
    checked = validate_statement(out, version="1.0.3")
    groups = checked["context"]["contextActivities"]
    assert groups["parent"][0]["definition"]["extensions"][TYPE] == "compound"
    assert groups["grouping"][0]["definition"]["interactionType"] == "other"
    assert checked["object"]["object"]["definition"]["extensions"][TYPE] == "drag-and-drop"


@pytest.mark.parametrize(
    "sent",
    [
        _statement(_activity("choice", choices=[{"id": "a"}])),  # already valid
        _statement(_activity(7)),  # not a tool's deviation: malformed
        _statement(_activity("compound", extensions=["not", "an", "object"])),
        _statement(_activity("compound"), attachments=[{"usageType": SIGNATURE_USAGE}]),  # signed
        _statement({"id": "https://h5p.example/1"}, result={"score": {"min": 0, "max": 1, "raw": 0}}),
        "not a statement",
    ],
)
def test_anything_else_is_left_for_validation(sent: object) -> None:
    assert normalise_statement(sent, base_url=BASE) == sent


def test_a_zero_point_score_keeps_raw_and_the_original() -> None:
    sent = _statement({"id": "https://h5p.example/1"}, result={"score": {"min": 0, "max": 0, "raw": 0}})
    with pytest.raises(StatementInvalid):
        validate_statement(sent, version="1.0.3")
    out = validate_statement(normalise_statement(sent, base_url=BASE), version="1.0.3")
    original = "https://lb.example/xapi/extensions/original-score"
    assert out["result"] == {"score": {"raw": 0}, "extensions": {original: {"min": 0, "max": 0, "raw": 0}}}
