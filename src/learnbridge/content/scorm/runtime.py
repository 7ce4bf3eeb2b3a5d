"""The server side of the SCORM run-time: what a SCO's session starts from, and each commit the browser's
runtime (scorm-again) sends, kept whole per attempt and SCO (`ScoState`) so the learner resumes where
they stopped on any device.

A commit is one read of the SCO's row and one write of it (and of the attempt's time and place): it runs
on every autocommit, so it stays small. The row keeps the CMI as sent and, beside it under `lms`, what the
LMS owns: the total time before this session (`base`), the session's id and its time so far, so that a
session's repeated commits count its time once and total_time grows across sessions.

The attempt finishes on a terminating commit (the SCO's Terminate / LMSFinish) once every SCO of the
package is done: completed or passed, or failed and not suspended (a learner who suspends after failing
may come back and try again). The attempt is then failed if any SCO failed, passed if any passed and
completed otherwise, with the SCOs' mean scaled score."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from statistics import fmean
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.content import service
from learnbridge.content.models import Attempt, AttemptStatus, ContentKind, ContentVersion, ScoState
from learnbridge.content.scorm import cmi as data
from learnbridge.content.scorm.cmi import Learner, Status
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Invalid, NotFound
from learnbridge.people.models import Person
from learnbridge.records.completions import CompletionChange

SCORM = frozenset({ContentKind.scorm12.value, ContentKind.scorm2004.value})
# cmi.suspend_data's largest value: SCORM 1.2 CMIString4096; SCORM 2004's smallest permitted maximum.
SUSPEND_DATA_LIMIT = {True: 4096, False: 64000}
# Rows of the collections a SCO may add to: far above what real content writes (2004's SPM is 250).
MAX_ROWS = 1000
VERSION = {True: "1.2", False: "2004"}


def scorm_attempt(db: Session, attempt_id: int, *, person_id: int | None) -> Attempt:
    """The person's own attempt at a SCORM package; anyone else's (or none) is not found."""
    if person_id is None:
        raise NotFound(f"No attempt {attempt_id}.")
    attempt = service.get_attempt(db, attempt_id, person_id=person_id)
    if attempt.version.kind not in SCORM:
        raise NotFound(f"Attempt {attempt_id} is not at a SCORM package.")
    return attempt


def is_12(version: ContentVersion) -> bool:
    return version.kind == ContentKind.scorm12.value


def launchable(version: ContentVersion) -> list[dict[str, Any]]:
    return [item for item in version.spec.get("items", []) if item.get("href")]


def scos(version: ContentVersion) -> list[dict[str, Any]]:
    return [item for item in version.spec.get("items", []) if item.get("type") == "sco"]


def sco_of(version: ContentVersion, sco_id: str) -> dict[str, Any]:
    for item in scos(version):
        if item["id"] == sco_id:
            return item
    raise NotFound(f"The package has no SCO {sco_id!r}.")


def state_of(db: Session, attempt_id: int, sco_id: str) -> ScoState | None:
    return db.scalar(select(ScoState).where(ScoState.attempt_id == attempt_id, ScoState.sco_id == sco_id))


def states(db: Session, attempt_id: int) -> dict[str, ScoState]:
    return {s.sco_id: s for s in db.scalars(select(ScoState).where(ScoState.attempt_id == attempt_id))}


# ---- starting a session ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Launch:
    cmi: dict[str, Any]
    session: str
    review: bool


def launch(db: Session, attempt: Attempt, *, sco_id: str) -> Launch:
    """The CMI a new session of the SCO starts from, and the session's id its commits carry. A finished
    attempt opens in review mode (no credit; its commits are not recorded)."""
    version = attempt.version
    sco = sco_of(version, sco_id)
    state = state_of(db, attempt.id, sco_id)
    stored = (state.cmi if state else {}) or {}
    lms = stored.get("lms") or {}
    person = db.get(Person, attempt.person_id)
    learner = Learner(id=str(attempt.person_id), name=person.name if person else "")
    cmi = data.for_launch(
        stored.get("cmi"),
        sco,
        scorm12=is_12(version),
        learner=learner,
        total_seconds=float(lms.get("total", 0)),
        review=attempt.finished,
    )
    return Launch(cmi=cmi, session=secrets.token_urlsafe(12), review=attempt.finished)


# ---- commits ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Committed:
    """What a commit did: the SCO's standing, the attempt's, and the completion it may have recorded."""

    sco: Status
    attempt: Attempt
    recorded: bool
    change: CompletionChange = field(default_factory=CompletionChange)


def check_commit(cmi: dict[str, Any], *, scorm12: bool) -> None:
    """Refuse a commit no conforming runtime would send: SCORM 1.2 data without its `core`, suspend data
    past the version's limit, collections of absurd length."""
    if scorm12 and not isinstance(cmi.get("core"), dict):
        raise Invalid(field="cmi.core", message="is missing: this is not SCORM 1.2 run-time data")
    limit = SUSPEND_DATA_LIMIT[scorm12]
    suspend = cmi.get("suspend_data")
    if isinstance(suspend, str) and len(suspend) > limit:
        raise Invalid(
            field="cmi.suspend_data",
            message=f"holds {len(suspend):,} characters; SCORM {VERSION[scorm12]} allows {limit:,}",
        )
    for name in ("interactions", "objectives", "comments_from_learner", "comments_from_lms"):
        rows = cmi.get(name)
        if isinstance(rows, dict | list) and len(rows) > MAX_ROWS:
            raise Invalid(
                field=f"cmi.{name}", message=f"has {len(rows):,} rows; at most {MAX_ROWS:,} are kept"
            )


def commit(
    db: Session, attempt: Attempt, *, sco_id: str, cmi: dict[str, Any], session: str, terminate: bool
) -> Committed:
    """Store the SCO's CMI as committed, with its status evaluated by the LMS's rules, count the session's
    new time into the attempt, and on a terminating commit finish the attempt when every SCO is done."""
    version = attempt.version
    scorm12 = is_12(version)
    sco = sco_of(version, sco_id)
    check_commit(cmi, scorm12=scorm12)
    status = data.status_of(cmi, sco, scorm12=scorm12)
    if attempt.finished:
        return Committed(sco=status, attempt=attempt, recorded=False)
    state = state_of(db, attempt.id, sco_id)
    if state is None:
        state = ScoState(attempt_id=attempt.id, sco_id=sco_id, cmi={}, commits=0)
        db.add(state)
    new_seconds = _store(state, cmi, status, session=session, scorm12=scorm12)
    single = len(scos(version)) == 1
    service.record_progress(
        attempt,
        progress=(status.progress if status.progress is not None else float(status.done)) if single else None,
        location=sco_id,
        seconds=new_seconds,
    )
    change = CompletionChange()
    if terminate:
        change = _finish_if_done(
            db, attempt, sco_id=sco_id, status=status, exit_=data.exit_of(cmi, scorm12=scorm12)
        )
    return Committed(sco=status, attempt=attempt, recorded=True, change=change)


def _store(state: ScoState, cmi: dict[str, Any], status: Status, *, session: str, scorm12: bool) -> int:
    """Write the commit into the row; returns the seconds of learning it adds."""
    stored = state.cmi or {}
    lms = stored.get("lms") or {}
    seconds = data.session_seconds(cmi, scorm12=scorm12)
    if lms.get("session") == session:
        base, before = float(lms.get("base", 0)), float(lms.get("seconds", 0))
    else:
        previous = stored.get("cmi")
        base = float(lms.get("total", 0)) if data.continues(previous, scorm12=scorm12) else 0.0
        before = 0.0
    state.cmi = {
        "cmi": cmi,
        "lms": {"session": session, "base": base, "seconds": seconds, "total": base + seconds},
    }
    state.completion_status = status.completion[:20]
    state.success_status = status.success[:20]
    state.score = status.score
    state.commits = (state.commits or 0) + 1
    state.updated_at = utcnow()
    return max(0, round(seconds) - round(before))


def _finish_if_done(
    db: Session, attempt: Attempt, *, sco_id: str, status: Status, exit_: str
) -> CompletionChange:
    standing = {
        s.sco_id: Status(s.completion_status, s.success_status, s.score)
        for s in states(db, attempt.id).values()
    }
    standing[sco_id] = status
    everything = [standing.get(item["id"]) for item in scos(attempt.version)]
    done = [s for s in everything if s is not None and s.done]
    attempt.progress = max(attempt.progress, len(done) / max(len(everything), 1))
    if len(done) < len(everything):
        return CompletionChange()
    outcomes = {s.outcome for s in done}
    if "failed" in outcomes and exit_ == "suspend":
        return CompletionChange()
    result = next(o for o in ("failed", "passed", "completed") if o in outcomes)
    scores = [s.score for s in done if s.score is not None]
    return service.finish_attempt(
        db, attempt, status=AttemptStatus(result), score=fmean(scores) if scores else None
    )


# ---- the table of contents -------------------------------------------------------------------------------


def current_item(version: ContentVersion, attempt: Attempt, standing: dict[str, ScoState]) -> str:
    """Where the player opens: the SCO the learner was last in, else the first SCO not done yet."""
    items = launchable(version)
    ids = {item["id"] for item in items}
    if attempt.location in ids:
        return attempt.location
    for item in items:
        state = standing.get(item["id"])
        if item.get("type") == "sco" and (
            state is None or not Status(state.completion_status, state.success_status, None).done
        ):
            return str(item["id"])
    return str(items[0]["id"]) if items else ""
