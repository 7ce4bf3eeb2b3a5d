"""What launched content may do with its launch credentials (lrs.launch), checked before anything it
sends is stored or read.

Every launch (cmi5 AU or xAPI package): statements only about the launch's actor and in its registration
(403 otherwise, the cmi5 9.2 / 9.6.1 values the LMS handed over), no voiding (cmi5 6.3), documents only
of that actor, never the LMS's `LMS.LaunchData` document (cmi5 10.0: the AU MUST NOT modify it), no
activity profile writes, nothing at all once the session ended (terminated or abandoned).

cmi5 sessions also get the statement rules cmi5 puts on the LMS (6.3: "SHOULD reject statements that
conflict" with section 9), each refused with 400 naming its section:
- 7.1.1 / 9.3.2: the first statement of a session is `initialized`;
- 7.1.2 / 9.3.8: nothing after `terminated` (the session ends at once: the "specified period" is 0);
- 9.3: no cmi5 defined verb twice in a session, not both passed and failed; per registration and AU one
  completed, one passed, and no failed after passed; AUs send none of the LMS's verbs;
- 9.3.4 / 9.3.5 / 9.5.1: a passed score reaches the masteryScore, a failed one stays below it;
- 9.5.2 / 9.5.3: passed has success true, failed success false, completed completion true;
- 9.4: a cmi5 defined statement's object is the launch's activityId;
- 9.6.3.1: it carries the session id of the launch;
- 10.0 launchMode: in Browse or Review only initialized and terminated are sent.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.errors import DomainError, Forbidden
from learnbridge.lrs.format import ifi_of
from learnbridge.lrs.launch import CMI5, end_session
from learnbridge.lrs.models import LaunchSession, Statement

ADL = "http://adlnet.gov/expapi/verbs/"
W3ID = "https://w3id.org/xapi/adl/verbs/"
VERBS = {
    "launched": ADL + "launched",
    "initialized": ADL + "initialized",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "terminated": ADL + "terminated",
    "abandoned": W3ID + "abandoned",
    "waived": W3ID + "waived",
    "satisfied": W3ID + "satisfied",
}
NAMES = {iri: name for name, iri in VERBS.items()}
VOIDED = ADL + "voided"
CATEGORY_CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CATEGORY_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
LAUNCH_DATA = "LMS.LaunchData"
AU_VERBS = frozenset({"initialized", "completed", "passed", "failed", "terminated"})


class Cmi5Conflict(DomainError):
    """A statement breaks a cmi5 rule (xAPI's 400 for a bad request)."""

    status = 400
    title = "Bad request"


def check_statements(db: Session, launch: LaunchSession, statements: list[dict[str, Any]]) -> None:
    """Refuse the batch unless every statement is the launch's to send (see the module's docstring)."""
    if launch.terminated_at is not None:
        raise Forbidden("statement: this launch session has ended (terminated or abandoned); launch again")
    for statement in statements:
        _in_scope(launch, statement)
    if launch.profile == CMI5:
        _Cmi5Session(db, launch).check(statements)


def record_statements(launch: LaunchSession, statements: list[dict[str, Any]]) -> None:
    """Remember the cmi5 verbs the session used; `terminated` ends it."""
    if launch.profile != CMI5:
        return
    used = list(launch.verbs)
    for statement in statements:
        name = NAMES.get(statement["verb"]["id"])
        if name is not None and (is_cmi5_defined(statement) or name == "initialized"):
            used.append(name)
        if name == "terminated":
            end_session(launch)
    launch.verbs = used


def check_document(
    launch: LaunchSession, *, kind: str, agent_ifi: str, document_id: str | None, write: bool
) -> None:
    """Documents of the launch's actor only; LMS.LaunchData and activity profiles are read-only."""
    if kind in ("state", "agent_profile") and agent_ifi != launch.actor_ifi:
        raise Forbidden("agent: launch credentials may only use the launched learner's documents")
    if write and kind == "activity_profile":
        raise Forbidden("profileId: launch credentials may not change activity profiles")
    if write and kind == "state" and document_id in (LAUNCH_DATA, None):
        raise Forbidden("stateId: LMS.LaunchData is written by the LMS only (cmi5 10.0)")
    if write and launch.terminated_at is not None:
        raise Forbidden("this launch session has ended; launch again")


def is_cmi5_defined(statement: dict[str, Any]) -> bool:
    """cmi5 7.1.3: a statement with the cmi5 category activity in its context."""
    categories = ((statement.get("context") or {}).get("contextActivities") or {}).get("category") or []
    return any(isinstance(c, dict) and c.get("id") == CATEGORY_CMI5 for c in categories)


def _in_scope(launch: LaunchSession, statement: dict[str, Any]) -> None:
    if ifi_of(statement.get("actor") or {}) != launch.actor_ifi:
        raise Forbidden("actor: launch credentials may only send statements about the launched learner")
    registration = str((statement.get("context") or {}).get("registration") or "").lower()
    if registration != launch.registration:
        raise Forbidden(f"context.registration: must be this launch's registration {launch.registration}")
    if statement["verb"]["id"] == VOIDED:
        raise Forbidden("verb: launched content may not void statements (cmi5 6.3)")


class _Cmi5Session:
    """The cmi5 rules over one batch, in order, after the verbs the session already used."""

    def __init__(self, db: Session, launch: LaunchSession) -> None:
        self.db, self.launch, self.used = db, launch, list(launch.verbs)

    def check(self, statements: list[dict[str, Any]]) -> None:
        for statement in statements:
            name = NAMES.get(statement["verb"]["id"])
            if "terminated" in self.used:
                raise _conflict("9.3.8", "no statement may follow terminated in a session")
            if not self.used and name != "initialized":
                raise _conflict("7.1.1", "the first statement of a session must be initialized")
            if is_cmi5_defined(statement):
                self._defined(statement, name)
            if name is not None and (is_cmi5_defined(statement) or name == "initialized"):
                self.used.append(name)

    def _defined(self, statement: dict[str, Any], name: str | None) -> None:
        if name not in AU_VERBS:
            raise _conflict("9.3", "an AU sends only initialized, completed, passed, failed and terminated")
        if statement["object"].get("id") != self.launch.activity_id:
            raise _conflict("9.4", f"object.id must be the launch's activityId {self.launch.activity_id}")
        extensions = (statement.get("context") or {}).get("extensions") or {}
        if extensions.get(SESSION_ID) != self.launch.rules.get("sessionId"):
            raise _conflict("9.6.3.1", "context.extensions must carry this launch's session id")
        if name in self.used:
            raise _conflict("9.3", f"{name} was already sent in this session")
        mode = self.launch.rules.get("launchMode", "Normal")
        if mode != "Normal" and name not in ("initialized", "terminated"):
            raise _conflict("10.0", f"in {mode} mode an AU sends only initialized and terminated")
        if name in ("completed", "passed", "failed"):
            self._outcome(statement, name)

    def _outcome(self, statement: dict[str, Any], name: str) -> None:
        result = statement.get("result") or {}
        if name == "completed" and result.get("completion") is not True:
            raise _conflict("9.5.3", "a completed statement has result.completion true")
        if name in ("passed", "failed"):
            if {"passed", "failed"} & set(self.used):
                raise _conflict("9.3", "a session has at most one of passed and failed")
            if result.get("success") is not (name == "passed"):
                raise _conflict("9.5.2", f"a {name} statement has result.success {name == 'passed'}")
            self._mastery(result, name)
        earlier = self._registration_verbs()
        if name in ("completed", "passed") and name in earlier:
            raise _conflict("9.3", f"only one {name} statement per registration for an AU")
        if name == "failed" and "passed" in earlier:
            raise _conflict("9.3", "failed may not follow passed in a registration")

    def _mastery(self, result: dict[str, Any], name: str) -> None:
        mastery = self.launch.rules.get("masteryScore")
        scaled = (result.get("score") or {}).get("scaled")
        if mastery is None or scaled is None:
            return
        if name == "passed" and scaled < mastery:
            raise _conflict("9.3.4", f"a passed score must reach the masteryScore {mastery}")
        if name == "failed" and scaled >= mastery:
            raise _conflict("9.3.5", f"a failed score must be below the masteryScore {mastery}")

    def _registration_verbs(self) -> set[str]:
        """The outcome verbs already stored for this AU in this registration (and earlier in the batch)."""
        stmt = select(Statement.verb_id).where(
            Statement.registration == self.launch.registration,
            Statement.object_activity_id == self.launch.activity_id,
            Statement.verb_id.in_([VERBS["completed"], VERBS["passed"]]),
            Statement.voided.is_(False),
        )
        stored = {NAMES[v] for v in self.db.scalars(stmt)}
        return stored | (set(self.used) & {"completed", "passed"})


def _conflict(section: str, message: str) -> Cmi5Conflict:
    return Cmi5Conflict(f"statement: {message} (cmi5 {section})")
