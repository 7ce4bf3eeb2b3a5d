"""What the LRS derives from valid statements: IFIs, the agents and activities each filter matches, the
GET formats, and statement equivalence; with property-based round trips for IFIs, UUIDs, timestamps."""

from __future__ import annotations

import copy
import datetime as dt
import uuid
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from learnbridge.lrs.format import accept_languages, best_language
from learnbridge.lrs.validate import (
    activities_in,
    agents_in,
    equivalent,
    formatted,
    ifi_of,
    validate_statement,
)
from learnbridge.lrs.values import format_timestamp, parse_timestamp

ANN = {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"}
BOB = {"name": "Bob", "account": {"homePage": "http://lms.example.com", "name": "bob"}}
COURSE = "http://example.com/course"


def valid(**changes: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "actor": ANN,
        "verb": {
            "id": "http://adlnet.gov/expapi/verbs/completed",
            "display": {"en-US": "completed", "de": "fertig"},
        },
        "object": {"id": COURSE, "definition": {"name": {"en-US": "Course", "fr": "Cours"}}},
    }
    statement.update(changes)
    return validate_statement(statement, version="1.0.3")


def test_ifi_of_each_kind() -> None:
    assert ifi_of({"mbox": "mailto:a@x.y"}) == "mbox:mailto:a@x.y"
    assert ifi_of({"mbox_sha1sum": "ABC"}) == "mbox_sha1sum:abc"
    assert ifi_of({"openid": "http://x.y/me"}) == "openid:http://x.y/me"
    assert ifi_of(BOB) == "account:http://lms.example.com|bob"
    assert ifi_of({"objectType": "Group", "member": [ANN]}) is None


def test_agents_in_separates_the_agent_filter_from_related_agents() -> None:
    team = {"objectType": "Group", "mbox": "mailto:team@x.y", "member": [{"mbox": "mailto:m@x.y"}]}
    sub = {"objectType": "SubStatement", "actor": {"mbox": "mailto:s@x.y"}, "verb": {"id": "http://x.y/v"},
           "object": {"objectType": "Agent", "mbox": "mailto:so@x.y"},
           "context": {"instructor": {"mbox": "mailto:si@x.y"}}}  # fmt: skip
    statement = valid(
        actor={"objectType": "Group", "member": [ANN, BOB]},
        object=sub,
        context={"instructor": {"mbox": "mailto:i@x.y"}, "team": team},
        authority={"mbox": "mailto:auth@x.y"},
    )
    assert dict(agents_in(statement)) == {
        "mbox:mailto:ann@example.com": True,
        "account:http://lms.example.com|bob": True,
        "mbox:mailto:i@x.y": False,
        "mbox:mailto:team@x.y": False,
        "mbox:mailto:m@x.y": False,
        "mbox:mailto:auth@x.y": False,
        "mbox:mailto:s@x.y": False,
        "mbox:mailto:so@x.y": False,
        "mbox:mailto:si@x.y": False,
    }
    as_object = valid(
        object={"objectType": "Agent", "mbox": "mailto:o@x.y"}, authority={"mbox": "mailto:a@x.y"}
    )
    assert dict(agents_in(as_object))["mbox:mailto:o@x.y"] is True


def test_an_agent_named_twice_keeps_the_direct_match() -> None:
    statement = valid(context={"instructor": ANN}, authority=ANN)
    assert agents_in(statement) == [("mbox:mailto:ann@example.com", True)]


def test_activities_in_separates_the_object_from_related_activities() -> None:
    groups = {"parent": {"id": "http://x.y/p"}, "grouping": [{"id": "http://x.y/g"}],
              "category": [{"id": "http://x.y/c"}], "other": [{"id": COURSE}]}  # fmt: skip
    context = {"contextActivities": groups}
    assert dict(activities_in(valid(context=context))) == {
        COURSE: True,
        "http://x.y/p": False,
        "http://x.y/g": False,
        "http://x.y/c": False,
    }
    sub = {"objectType": "SubStatement", "actor": ANN, "verb": {"id": "http://x.y/v"}, "object": {"id": "http://x.y/s"},
           "context": {"contextActivities": {"other": [{"id": "http://x.y/so"}]}}}  # fmt: skip
    assert dict(activities_in(valid(object=sub))) == {"http://x.y/s": False, "http://x.y/so": False}
    assert activities_in(valid(object={"objectType": "Agent", "mbox": "mailto:o@x.y"})) == []


def test_ids_format_keeps_only_identifiers() -> None:
    statement = valid(
        actor={"objectType": "Group", "name": "Anon", "member": [ANN, BOB]},
        context={
            "instructor": ANN,
            "contextActivities": {"parent": [{"id": "http://x.y/p", "definition": {}}]},
        },
    )
    ids = formatted(statement, format="ids", languages=[])
    assert ids["actor"] == {"objectType": "Group", "member": [
        {"objectType": "Agent", "mbox": "mailto:ann@example.com"},
        {"account": {"homePage": "http://lms.example.com", "name": "bob"}},
    ]}  # fmt: skip
    assert ids["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}
    assert ids["object"] == {"id": COURSE}  # the ADL suite counts the keys
    assert ids["context"]["instructor"] == {"objectType": "Agent", "mbox": "mailto:ann@example.com"}
    assert ids["context"]["contextActivities"]["parent"] == [{"id": "http://x.y/p"}]
    assert statement["actor"]["name"] == "Anon"  # the stored statement is untouched


def test_identified_group_in_ids_format_drops_its_members() -> None:
    group = {"objectType": "Group", "mbox": "mailto:g@x.y", "member": [ANN]}
    assert formatted(valid(actor=group), format="ids", languages=[])["actor"] == {
        "objectType": "Group",
        "mbox": "mailto:g@x.y",
    }


def test_exact_format_returns_the_statement_unchanged() -> None:
    statement = valid()
    assert formatted(statement, format="exact", languages=["fr"]) == statement


def test_canonical_format_keeps_one_language_per_map() -> None:
    definition = {"name": {"en-US": "Course", "fr": "Cours"}, "interactionType": "choice",
                  "choices": [{"id": "a", "description": {"en-US": "A", "fr-CA": "Ah"}}]}  # fmt: skip
    statement = valid(object={"id": COURSE, "definition": definition})
    french = formatted(statement, format="canonical", languages=["fr", "en"])
    assert french["object"]["definition"]["name"] == {"fr": "Cours"}
    assert french["object"]["definition"]["choices"][0]["description"] == {"fr-CA": "Ah"}
    assert french["verb"]["display"] == {"en-US": "completed"}
    assert french["actor"] == statement["actor"]


def test_best_language_follows_accept_language() -> None:
    texts = {"en-US": "color", "en-GB": "colour", "de": "Farbe", "und": "?"}
    assert best_language(texts, accept_languages("en-GB,en;q=0.8")) == {"en-GB": "colour"}
    assert best_language(texts, accept_languages("de-AT, en;q=0.5")) == {"de": "Farbe"}
    assert best_language(texts, accept_languages("fr;q=0.9, en;q=0.1")) == {"en-US": "color"}
    assert best_language(texts, accept_languages("ja")) == {"und": "?"}
    assert best_language({"ja": "iro"}, ["en"]) == {"ja": "iro"}
    assert accept_languages("da, en-gb;q=0.8, en;q=0.7, fr;q=0") == ["da", "en-gb", "en"]
    assert accept_languages(None) == []


def test_equivalent_ignores_what_the_lrs_assigns_and_serialisation() -> None:
    sent = valid(
        id="ec531277-b57b-4c15-8d91-d292c5b2b8f7", actor={"objectType": "Group", "member": [ANN, BOB]}
    )
    stored = copy.deepcopy(sent)
    stored.update(stored="2020-01-01T00:00:00.000Z", timestamp="2020-01-01T00:00:00.000Z", version="1.0.0",
                  authority={"mbox": "mailto:lrs@x.y"})  # fmt: skip
    stored["actor"]["member"].reverse()
    stored["actor"]["member"][1]["mbox"] = "mailto:ANN@example.com"
    stored["verb"]["display"] = {"en": "done"}
    del stored["object"]["definition"]
    stored["object"].pop("objectType")
    assert equivalent(stored, sent)
    assert equivalent(sent, stored)


def test_equivalent_notices_a_real_difference() -> None:
    sent = valid(result={"success": True, "duration": "PT1H"})
    assert not equivalent(sent, valid(result={"success": False, "duration": "PT1H"}))
    assert not equivalent(sent, valid(result={"success": True, "duration": "PT60M"}))
    assert not equivalent(valid(timestamp="2020-01-01T00:00:00Z"), valid(timestamp="2020-01-01T00:00:01Z"))
    assert equivalent(valid(timestamp="2020-01-01T01:00:00+01:00"), valid(timestamp="2020-01-01T00:00:00Z"))
    assert not equivalent(valid(), valid(verb={"id": "http://x.y/other"}))


# Round trips --------------------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(dt.UTC)
)
offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).filter(bool)


@given(moments, offsets)
def test_timestamps_round_trip_through_any_offset(moment: dt.datetime, minutes: int) -> None:
    zone = dt.timezone(dt.timedelta(minutes=minutes))
    text = moment.astimezone(zone).isoformat()
    assert parse_timestamp(text) == moment
    normal = format_timestamp(parse_timestamp(text))
    assert normal.endswith("Z")
    assert parse_timestamp(normal) == moment
    assert valid(timestamp=text)["timestamp"] == normal


@given(st.uuids())
def test_uuids_are_accepted_in_any_case_and_stored_lower_case(value: uuid.UUID) -> None:
    upper = str(value).upper()
    statement = valid(id=upper, context={"registration": upper})
    assert statement["id"] == str(value)
    assert statement["context"]["registration"] == str(value)


names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=20)


@given(names, names)
def test_every_ifi_kind_survives_validation(local: str, name: str) -> None:
    agents: list[dict[str, Any]] = [
        {"mbox": f"mailto:{local}@example.com"},
        {"mbox_sha1sum": (local.encode().hex() * 40)[:40]},
        {"openid": f"http://openid.example.com/{local}"},
        {"account": {"homePage": "http://example.com", "name": name}},
    ]
    for agent in agents:
        statement = valid(actor=agent)
        assert ifi_of(statement["actor"]) == ifi_of(agent)
        assert agents_in(statement) == [(ifi_of(agent), True)]


def test_durations_compare_to_hundredths_of_a_second() -> None:
    exact = valid(result={"duration": "PT1M2.3456S"})
    assert equivalent(exact, valid(result={"duration": "PT1M2.34S"}))
    assert equivalent(valid(result={"duration": "PT1.20S"}), valid(result={"duration": "PT1.2S"}))
    assert not equivalent(exact, valid(result={"duration": "PT1M2.35S"}))
