"""The IRIs Learnbridge uses in the statements it writes about itself: activity ids for its own things,
verbs, activity types and the origin extension.

Activity ids live under the platform's base URL (`LEARNBRIDGE_BASE_URL`), so the platform controls them
(xAPI 1.0.3 Part 2, 2.4.4.1: an activity id should be an IRI its author controls):

| thing | activity id |
| --- | --- |
| catalogue item | `{base_url}/catalog/{item_id}` |
| session | `{base_url}/sessions/{session_id}` |
| development plan | `{base_url}/plans/{plan_id}` |
| plan goal | `{base_url}/plans/{plan_id}/goals/{goal_id}` |
| requirement | `{base_url}/requirements/{requirement_id}` |

Verbs and activity types come from ADL's vocabulary where it has one; the events it has no verb for
(setting a goal, being assigned, acknowledging a policy) get verbs under `{base_url}/xapi/verbs/`.

Everything here that names the platform's own IRIs is written as a path ("/catalog/12") until
`resolve` puts the base URL in front, so that services, which have no settings, can describe an event and
the job that writes it (which has them) can name it.
"""

from __future__ import annotations

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITY_TYPES = "http://adlnet.gov/expapi/activities/"
VOIDED = ADL_VERBS + "voided"

# Verb key -> (IRI, or a path under the base URL; its display in English).
VERBS: dict[str, tuple[str, str]] = {
    "registered": (ADL_VERBS + "registered", "registered"),
    "attended": (ADL_VERBS + "attended", "attended"),
    "launched": (ADL_VERBS + "launched", "launched"),
    "completed": (ADL_VERBS + "completed", "completed"),
    "passed": (ADL_VERBS + "passed", "passed"),
    "failed": (ADL_VERBS + "failed", "failed"),
    "answered": (ADL_VERBS + "answered", "answered"),
    "acknowledged": ("/xapi/verbs/acknowledged", "acknowledged"),
    "set-goal": ("/xapi/verbs/set-goal", "set a goal"),
    "assigned": ("/xapi/verbs/assigned", "was assigned"),
}

COURSE = ADL_ACTIVITY_TYPES + "course"
LINK = ADL_ACTIVITY_TYPES + "link"
MEETING = ADL_ACTIVITY_TYPES + "meeting"
OBJECTIVE = ADL_ACTIVITY_TYPES + "objective"
INTERACTION = ADL_ACTIVITY_TYPES + "cmi.interaction"
REQUIREMENT = "/xapi/activities/requirement"
PLAN = "/xapi/activities/development-plan"
# A catalogue item's kind -> its activity type: a resource is something one opens, the rest are courses.
ITEM_TYPES = {"course": COURSE, "elearning": COURSE, "pathway": COURSE, "resource": LINK}


def resolve(base_url: str, iri: str) -> str:
    """An IRI as written here: a path ("/catalog/1") is put under the base URL, anything else is whole."""
    return base_url.rstrip("/") + iri if iri.startswith("/") else iri


def origin_extension(base_url: str) -> str:
    """The context extension whose value is the origin (self, recommendation, plan, manager, requirement)
    of the learning a platform event is about: `{base_url}/xapi/extensions/origin`."""
    return resolve(base_url, "/xapi/extensions/origin")


def verb_iri(base_url: str, key: str) -> str:
    return resolve(base_url, VERBS[key][0])


def item_path(item_id: int) -> str:
    return f"/catalog/{item_id}"


def session_path(session_id: int) -> str:
    return f"/sessions/{session_id}"


def plan_path(plan_id: int) -> str:
    return f"/plans/{plan_id}"


def goal_path(plan_id: int, goal_id: int) -> str:
    return f"/plans/{plan_id}/goals/{goal_id}"


def requirement_path(requirement_id: int) -> str:
    return f"/requirements/{requirement_id}"


def item_activity_id(base_url: str, item_id: int) -> str:
    """The activity id Learnbridge gives a catalogue item."""
    return resolve(base_url, item_path(item_id))


def session_activity_id(base_url: str, session_id: int) -> str:
    return resolve(base_url, session_path(session_id))


def goal_activity_id(base_url: str, plan_id: int, goal_id: int) -> str:
    return resolve(base_url, goal_path(plan_id, goal_id))


def requirement_activity_id(base_url: str, requirement_id: int) -> str:
    return resolve(base_url, requirement_path(requirement_id))
