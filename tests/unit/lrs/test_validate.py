"""Statement validation against xAPI 1.0.3 Part 2 (and 2.0 where it differs): what is accepted, how it
is normalised, and that every refusal names the offending property."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from learnbridge.lrs.validate import StatementInvalid, validate_statement

ACTIVITY = "http://example.com/activities/course"


def base(**changes: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "actor": {"objectType": "Agent", "name": "Ann", "mbox": "mailto:ann@example.com"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {"objectType": "Activity", "id": ACTIVITY},
    }
    statement.update(changes)
    return statement


def refused(data: Any, *, version: str = "1.0.3") -> str:
    with pytest.raises(StatementInvalid) as caught:
        validate_statement(data, version=version)
    return caught.value.message


# The spec's long example (1.0.3 Part 2, Appendix A) and several smaller ones.
SPEC_EXAMPLE: dict[str, Any] = {
    "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
    "actor": {
        "name": "Team PB",
        "mbox": "mailto:teampb@example.com",
        "member": [
            {
                "name": "Andrew Downes",
                "account": {"homePage": "http://www.example.com", "name": "13936749"},
                "objectType": "Agent",
            },
            {"name": "Toby Nichols", "openid": "http://toby.openid.example.org/", "objectType": "Agent"},
            {
                "name": "Ena Hills",
                "mbox_sha1sum": "ebd31e95054c018b10727ccffd2ef2ec3a016ee9",
                "objectType": "Agent",
            },
        ],
        "objectType": "Group",
    },
    "verb": {
        "id": "http://adlnet.gov/expapi/verbs/attended",
        "display": {"en-GB": "attended", "en-US": "attended"},
    },
    "result": {
        "extensions": {
            "http://example.com/profiles/meetings/resultextensions/minuteslocation": "X:\\meetings"
        },
        "success": True,
        "completion": True,
        "response": "We agreed on some example actions.",
        "duration": "PT1H0M0S",
    },
    "context": {
        "registration": "ec531277-b57b-4c15-8d91-d292c5b2b8f7",
        "contextActivities": {
            "parent": [{"id": "http://www.example.com/meetings/series/267", "objectType": "Activity"}],
            "category": [
                {
                    "id": "http://www.example.com/meetings/categories/teammeeting",
                    "objectType": "Activity",
                    "definition": {
                        "name": {"en": "team meeting"},
                        "description": {"en": "A category."},
                        "type": "http://example.com/expapi/activities/meetingcategory",
                    },
                }
            ],
            "other": [{"id": "http://www.example.com/meetings/occurances/34257", "objectType": "Activity"}],
        },
        "instructor": {
            "name": "Andrew Downes",
            "account": {"homePage": "http://www.example.com", "name": "13936749"},
            "objectType": "Agent",
        },
        "team": {"name": "Team PB", "mbox": "mailto:teampb@example.com", "objectType": "Group"},
        "platform": "Example virtual meeting software",
        "language": "tlh",
        "statement": {"objectType": "StatementRef", "id": "6690e6c9-3ef0-4ed3-8b37-7f3964730bee"},
    },
    "timestamp": "2013-05-18T05:32:34.804+00:00",
    "stored": "2013-05-18T05:32:34.804+00:00",
    "authority": {
        "account": {"homePage": "http://cloud.scorm.com/", "name": "anonymous"},
        "objectType": "Agent",
    },
    "version": "1.0.0",
    "object": {
        "id": "http://www.example.com/meetings/occurances/34534",
        "definition": {
            "extensions": {
                "http://example.com/profiles/meetings/activitydefinitionextensions/room": {"name": "Kilby"}
            },
            "name": {"en-GB": "example meeting", "en-US": "example meeting"},
            "description": {"en-GB": "An example meeting.", "en-US": "An example meeting."},
            "type": "http://adlnet.gov/expapi/activities/meeting",
            "moreInfo": "http://virtualmeeting.example.com/345256",
        },
        "objectType": "Activity",
    },
}


def test_the_spec_example_is_accepted_and_normalised() -> None:
    result = validate_statement(copy.deepcopy(SPEC_EXAMPLE), version="1.0.3")
    assert result["timestamp"] == "2013-05-18T05:32:34.804Z"
    assert result["actor"]["member"][2]["mbox_sha1sum"] == "ebd31e95054c018b10727ccffd2ef2ec3a016ee9"
    assert result["context"]["contextActivities"]["parent"][0]["id"].endswith("/267")
    assert result["result"]["duration"] == "PT1H0M0S"


def test_minimal_statement_gets_activity_object_type_and_keeps_the_rest() -> None:
    result = validate_statement(base(object={"id": ACTIVITY}), version="1.0.3")
    assert result["object"] == {"objectType": "Activity", "id": ACTIVITY}
    assert result["actor"]["mbox"] == "mailto:ann@example.com"


def test_ids_and_registrations_are_lower_cased() -> None:
    upper = "AE5A7A1E-0000-4000-8000-00000000000A"
    result = validate_statement(base(id=upper, context={"registration": upper}), version="1.0.3")
    assert result["id"] == upper.lower()
    assert result["context"]["registration"] == upper.lower()


def test_context_activities_given_as_one_object_become_arrays() -> None:
    context = {
        "contextActivities": {"grouping": {"id": "http://example.com/g"}, "other": [{"id": "http://x.y/o"}]}
    }
    result = validate_statement(base(context=context), version="1.0.3")
    assert result["context"]["contextActivities"] == {
        "grouping": [{"objectType": "Activity", "id": "http://example.com/g"}],
        "other": [{"objectType": "Activity", "id": "http://x.y/o"}],
    }


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2013-05-18T05:32:34.804+02:00", "2013-05-18T03:32:34.804Z"),
        ("2013-05-18T05:32:34Z", "2013-05-18T05:32:34.000Z"),
        ("2013-05-18T05:32:34.123456Z", "2013-05-18T05:32:34.123456Z"),
        ("2013-05-18T05:32:34.1234567-0530", "2013-05-18T11:02:34.123456Z"),
        ("2013-05-18t05:32:34z", "2013-05-18T05:32:34.000Z"),
        ("2013-05-18T05:32:34", "2013-05-18T05:32:34.000Z"),
    ],
)
def test_timestamps_become_utc(given: str, expected: str) -> None:
    assert validate_statement(base(timestamp=given), version="1.0.3")["timestamp"] == expected


@pytest.mark.parametrize(
    "duration", ["PT1H0M0S", "P1Y2M3DT4H5M6.5S", "P3W", "PT0.01S", "P1D", "PT10M", "P0D"]
)
def test_iso_durations_are_accepted(duration: str) -> None:
    assert (
        validate_statement(base(result={"duration": duration}), version="1.0.3")["result"]["duration"]
        == duration
    )


@pytest.mark.parametrize(
    "tag", ["en", "en-US", "zh-Hant-TW", "tlh", "sgn-BE-FR", "x-klingon", "de-CH-1996", "es-419"]
)
def test_rfc5646_language_tags_are_accepted(tag: str) -> None:
    assert validate_statement(base(verb={"id": "http://x.y/v", "display": {tag: "v"}}), version="1.0.3")


def test_groups_identified_and_anonymous() -> None:
    anonymous = {"objectType": "Group", "member": [{"mbox": "mailto:a@x.y"}, {"openid": "http://x.y/b"}]}
    identified = {"objectType": "Group", "account": {"homePage": "http://x.y", "name": "team"}}
    assert validate_statement(base(actor=anonymous), version="1.0.3")["actor"]["member"][1]["openid"]
    assert validate_statement(base(actor=identified), version="1.0.3")["actor"]["account"]["name"] == "team"


def test_agent_group_statement_ref_and_substatement_objects() -> None:
    for target in (
        {"objectType": "Agent", "mbox": "mailto:b@x.y"},
        {"objectType": "Group", "mbox": "mailto:g@x.y"},
        {"objectType": "StatementRef", "id": "ec531277-b57b-4c15-8d91-d292c5b2b8f7"},
    ):
        assert (
            validate_statement(base(object=target), version="1.0.3")["object"]["objectType"]
            == target["objectType"]
        )
    sub = {
        "objectType": "SubStatement",
        "actor": {"mbox": "mailto:b@x.y"},
        "verb": {"id": "http://x.y/will"},
        "object": {"id": ACTIVITY},
        "timestamp": "2030-01-01T00:00:00Z",
        "context": {"platform": "web"},
    }
    result = validate_statement(base(object=sub), version="1.0.3")
    assert result["object"]["object"] == {"objectType": "Activity", "id": ACTIVITY}
    assert result["object"]["timestamp"] == "2030-01-01T00:00:00.000Z"


def test_voiding_statement_with_statement_ref_is_accepted() -> None:
    voiding = base(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": "ec531277-b57b-4c15-8d91-d292c5b2b8f7"},
    )
    assert validate_statement(voiding, version="1.0.3")["object"]["objectType"] == "StatementRef"


def test_score_extremes_and_extensions_with_null_are_accepted() -> None:
    result = {"score": {"scaled": -1, "raw": 0, "min": 0, "max": 0.5}, "extensions": {"http://x.y/e": None}}
    assert validate_statement(base(result=result), version="1.0.3")["result"]["score"]["scaled"] == -1


def test_attachments_metadata_is_accepted() -> None:
    attachment: dict[str, Any] = {
        "usageType": "http://adlnet.gov/expapi/attachments/signature",
        "display": {"en-US": "Signature"},
        "contentType": "application/octet-stream",
        "length": 4235,
        "sha2": "672FA5FA658017F1B72D65036F13379C6AB05D4AB3B6664908D8ACF0B6A0C634",
        "fileUrl": "http://example.com/file",
    }
    result = validate_statement(base(attachments=[attachment]), version="1.0.3")
    assert result["attachments"][0]["sha2"] == attachment["sha2"].lower()


def test_context_agents_and_groups_only_in_2_0() -> None:
    context = {
        "contextAgents": [
            {
                "objectType": "contextAgent",
                "agent": {"mbox": "mailto:c@x.y"},
                "relevantTypes": ["http://x.y/type"],
            }
        ],
        "contextGroups": [
            {"objectType": "contextGroup", "group": {"objectType": "Group", "mbox": "mailto:g@x.y"}}
        ],
    }
    result = validate_statement(base(context=context), version="2.0.0")
    assert result["context"]["contextAgents"][0]["agent"] == {"mbox": "mailto:c@x.y"}
    assert refused(base(context=context)) == "unexpected property 'contextAgents' in context"


def test_interaction_definitions_of_every_type() -> None:
    components = {"choice": "choices", "sequencing": "choices", "likert": "scale", "performance": "steps"}
    for kind in ("true-false", "fill-in", "long-fill-in", "numeric", "other", *components, "matching"):
        definition: dict[str, Any] = {"interactionType": kind, "correctResponsesPattern": ["a"]}
        if kind in components:
            definition[components[kind]] = [{"id": "a", "description": {"en-US": "A"}}, {"id": "b"}]
        if kind == "matching":
            definition.update(source=[{"id": "s"}], target=[{"id": "t"}])
        obj = {"id": ACTIVITY, "definition": definition}
        assert (
            validate_statement(base(object=obj), version="1.0.3")["object"]["definition"]["interactionType"]
            == kind
        )


def definition(**fields: Any) -> dict[str, Any]:
    return base(object={"id": ACTIVITY, "definition": fields})


def sub(**changes: Any) -> dict[str, Any]:
    statement = {"objectType": "SubStatement", "actor": {"mbox": "mailto:b@x.y"},
                 "verb": {"id": "http://x.y/v"}, "object": {"id": ACTIVITY}}  # fmt: skip
    statement.update(changes)
    return base(object={key: value for key, value in statement.items() if value is not None})


def attachment(**changes: Any) -> dict[str, Any]:
    item = {"usageType": "http://x.y/u", "display": {"en": "d"}, "contentType": "text/plain", "length": 1,
            "sha2": "a" * 64}  # fmt: skip
    item.update(changes)
    return base(attachments=[{key: value for key, value in item.items() if value is not None}])


ONE_IFI = "an Agent must have exactly one of mbox, mbox_sha1sum, openid, account"
REF = {"objectType": "StatementRef", "id": "ec531277-b57b-4c15-8d91-d292c5b2b8f7"}
DEFINITION = "object.definition"
NOT_ACTIVITY = "only allowed when the object is an Activity"


INVALID: list[tuple[Any, str]] = [
    ([], "statement: must be an object"),
    (base(foo=1), "unexpected property 'foo' in statement"),
    (base(objectType="Statement"), "unexpected property 'objectType' in statement"),
    ({"verb": base()["verb"], "object": base()["object"]}, "actor: required"),
    (base(verb={}), "verb.id: required"),
    (base(verb={"id": "completed"}), "verb.id: must be an absolute IRI"),
    (base(verb={"id": ""}), "verb.id: must be an absolute IRI"),
    (base(verb={"id": "http://x.y/v", "display": {"en-US": 5}}), "verb.display.en-US: must be a string"),
    (
        base(verb={"id": "http://x.y/v", "display": {"a12345678": "v"}}),
        "verb.display: 'a12345678' is not an RFC 5646 language tag",
    ),
    (base(verb={"id": "http://x.y/v", "Display": {}}), "unexpected property 'Display' in verb"),
    (base(id="not-a-uuid"), "id: must be a UUID"),
    (base(actor={"mbox": "ann@example.com"}), "actor.mbox: must be a mailto IRI"),
    (base(actor={"mbox_sha1sum": "xyz"}), "actor.mbox_sha1sum: must be a hex-encoded SHA1"),
    (base(actor={"openid": "not a uri"}), "actor.openid: must be an absolute IRI"),
    (base(actor={"account": {"homePage": "http://x.y"}}), "actor.account.name: required"),
    (
        base(actor={"account": {"homePage": "x.y", "name": "n"}}),
        "actor.account.homePage: must be an absolute IRI",
    ),
    (base(actor={"name": "nobody"}), f"actor: {ONE_IFI}"),
    (base(actor={"mbox": "mailto:a@x.y", "openid": "http://x.y/"}), f"actor: {ONE_IFI}"),
    (base(actor={"objectType": "agent", "mbox": "mailto:a@x.y"}), "actor.objectType: must be 'Agent'"),
    (base(actor={"mbox": "mailto:a@x.y", "name": None}), "actor.name: must not be null"),
    (base(actor={"mbox": "mailto:a@x.y", "member": []}), "unexpected property 'member' in actor"),
    (base(actor={"objectType": "Group"}), "actor.member: required for an anonymous Group"),
    (
        base(actor={"objectType": "Group", "member": []}),
        "actor.member: an anonymous Group must list its members",
    ),
    (
        base(actor={"objectType": "Group", "member": [{"objectType": "Group", "mbox": "mailto:g@x.y"}]}),
        "actor.member[0]: a Group's members must be Agents, not Groups",
    ),
    (base(actor={"objectType": "Group", "member": [{"name": "x"}]}), f"actor.member[0]: {ONE_IFI}"),
    (base(object={"mbox": "mailto:a@x.y"}), "unexpected property 'mbox' in object"),
    (base(object={"objectType": "Activity"}), "object.id: required"),
    (base(object={"objectType": "activity", "id": ACTIVITY}), "object.objectType: unknown value 'activity'"),
    (base(object={"objectType": "StatementRef", "id": "x"}), "object.id: must be a UUID"),
    (definition(interactionType="x"), f"{DEFINITION}.interactionType: unknown value 'x'"),
    (
        definition(interactionType="true-false", choices=[{"id": "a"}]),
        f"{DEFINITION}.choices: not allowed for interactionType 'true-false'",
    ),
    (
        definition(interactionType="choice", choices=[{"id": "a"}, {"id": "a"}]),
        f"{DEFINITION}.choices[1].id: duplicate id 'a'",
    ),
    (
        definition(interactionType="choice", choices=[{"description": {"en": "a"}}]),
        f"{DEFINITION}.choices[0].id: required",
    ),
    (
        definition(correctResponsesPattern=["a"]),
        f"{DEFINITION}.interactionType: required with interaction properties",
    ),
    (
        definition(interactionType="choice", correctResponsesPattern="a"),
        f"{DEFINITION}.correctResponsesPattern: must be an array",
    ),
    (
        definition(interactionType="choice", correctResponsesPattern=[1]),
        f"{DEFINITION}.correctResponsesPattern[0]: must be a string",
    ),
    (definition(type="meeting"), f"{DEFINITION}.type: must be an absolute IRI"),
    (definition(extensions={"room": 1}), f"{DEFINITION}.extensions: key 'room' must be an IRI"),
    (definition(name="meeting"), f"{DEFINITION}.name: must be a language map"),
    (
        base(verb={"id": "http://adlnet.gov/expapi/verbs/voided"}),
        "object: a voiding statement's object must be a StatementRef",
    ),
    (base(result={"score": {"scaled": 1.5}}), "result.score.scaled: must be between -1 and 1"),
    (base(result={"score": {"raw": "5"}}), "result.score.raw: must be a number"),
    (base(result={"score": {"min": 5, "max": 5}}), "result.score.max: must be greater than min"),
    (
        base(result={"score": {"raw": 11, "min": 0, "max": 10}}),
        "result.score.raw: must not be greater than max",
    ),
    (base(result={"score": {"raw": -1, "min": 0}}), "result.score.raw: must not be less than min"),
    (base(result={"success": "true"}), "result.success: must be a boolean"),
    (base(result={"completion": 1}), "result.completion: must be a boolean"),
    (base(result={"duration": "1 hour"}), "result.duration: must be an ISO 8601 duration"),
    (base(result={"duration": "P"}), "result.duration: must be an ISO 8601 duration"),
    (base(result={"duration": "PT"}), "result.duration: must be an ISO 8601 duration"),
    (base(result={"duration": "P0001-02-03T04:05:06"}), "result.duration: must be an ISO 8601 duration"),
    (base(result={"score": {"raw": True}}), "result.score.raw: must be a number"),
    (base(context={"registration": "x"}), "context.registration: must be a UUID"),
    (base(context={"team": {"mbox": "mailto:a@x.y"}}), "context.team: must be a Group"),
    (base(context={"language": "english language"}), "context.language: must be an RFC 5646 language tag"),
    (
        base(context={"contextActivities": {"parents": []}}),
        "unexpected property 'parents' in context.contextActivities",
    ),
    (
        base(context={"contextActivities": {"parent": [{"id": "x"}]}}),
        "context.contextActivities.parent[0].id: must be an absolute IRI",
    ),
    (
        base(context={"statement": {"id": "ec531277-b57b-4c15-8d91-d292c5b2b8f7"}}),
        "context.statement.objectType: required",
    ),
    (
        base(object={"objectType": "Agent", "mbox": "mailto:b@x.y"}, context={"revision": "1"}),
        f"context.revision: {NOT_ACTIVITY}",
    ),
    (base(object=REF, context={"platform": "web"}), f"context.platform: {NOT_ACTIVITY}"),
    (base(timestamp="2013-02-30T00:00:00Z"), "timestamp: not a valid date and time"),
    (base(timestamp="yesterday"), "timestamp: must be an ISO 8601 timestamp"),
    (base(timestamp="2013-05-18T05:32:34-00:00"), "timestamp: must not use the offset -00:00"),
    (base(stored="2013-05-18"), "stored: must be an ISO 8601 timestamp"),
    (base(version="0.95"), "version: must be 1.0.x or 2.0.x"),
    (base(version="1.1.0"), "version: must be 1.0.x or 2.0.x"),
    (base(authority={"name": "x"}), f"authority: {ONE_IFI}"),
    (sub(id="ec531277-b57b-4c15-8d91-d292c5b2b8f7"), "unexpected property 'id' in object"),
    (sub(stored="2013-05-18T05:32:34Z"), "unexpected property 'stored' in object"),
    (
        sub(object={"objectType": "SubStatement"}),
        "object.object.objectType: a SubStatement cannot contain a SubStatement",
    ),
    (sub(actor=None), "object.actor: required"),
    (base(attachments={}), "attachments: must be an array"),
    (attachment(sha2=None), "attachments[0].sha2: required"),
    (attachment(length="1"), "attachments[0].length: must be a non-negative integer"),
    (attachment(usageType="u"), "attachments[0].usageType: must be an absolute IRI"),
    (attachment(sha2="zz"), "attachments[0].sha2: must be a hex-encoded SHA-2 hash"),
]


@pytest.mark.parametrize(("data", "message"), INVALID, ids=[message for _, message in INVALID])
def test_invalid_statements_are_refused_naming_the_property(data: Any, message: str) -> None:
    assert refused(data) == message


def test_authority_group_needs_two_agents_and_2_0_versions_need_a_2_0_request() -> None:
    pair = {
        "objectType": "Group",
        "member": [{"mbox": "mailto:a@x.y"}, {"account": {"homePage": "http://x.y", "name": "app"}}],
    }
    assert validate_statement(base(authority=pair), version="1.0.3")["authority"]["member"][1]
    trio = dict(pair, member=[*pair["member"], {"mbox": "mailto:c@x.y"}])
    assert (
        refused(base(authority=trio)) == "authority.member: an authority Group must have exactly two Agents"
    )
    assert validate_statement(base(version="2.0.0"), version="2.0.0")["version"] == "2.0.0"
    assert validate_statement(base(version="1.0.3"), version="2.0.0")["version"] == "1.0.3"
    assert refused(base(version="2.0.0")) == "version: must be 1.0.x under X-Experience-API-Version 1.0"


def test_2_0_requires_a_timestamp_offset() -> None:
    assert (
        refused(base(timestamp="2013-05-18T05:32:34"), version="2.0.0")
        == "timestamp: must include a time zone offset"
    )


def test_validation_does_not_change_its_input() -> None:
    data = copy.deepcopy(SPEC_EXAMPLE)
    validate_statement(data, version="1.0.3")
    assert data == SPEC_EXAMPLE


# Found by the ADL conformance suite.
def test_conformance_findings_are_refused_by_name() -> None:
    bad_kind = base(object={"id": ACTIVITY, "definition": {"interactionType": {"not": "a string"}}})
    assert "interactionType" in refused(bad_kind)
    assert "duration" in refused(base(result={"duration": "P4W1D"}))  # weeks stand alone
    assert (
        validate_statement(base(result={"duration": "P4W"}), version="1.0.3")["result"]["duration"] == "P4W"
    )
    agent_a = {"name": "A", "mbox": "mailto:a@example.com"}
    agent_b = {"name": "B", "mbox": "mailto:b@example.com"}
    app = {"account": {"homePage": "https://lrs.example.com", "name": "consumer-key"}}
    identified = {"objectType": "Group", "mbox": "mailto:g@example.com", "member": [agent_a, app]}
    assert "anonymous" in refused(base(authority=identified))
    assert "account" in refused(base(authority={"objectType": "Group", "member": [agent_a, agent_b]}))
    oauth = {"objectType": "Group", "member": [agent_a, app]}
    assert validate_statement(base(authority=oauth), version="1.0.3")["authority"]["objectType"] == "Group"
