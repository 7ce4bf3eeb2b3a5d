"""Learners' progress on one item, for its page: who has not started, is in progress, completed,
passed or failed, with score, time spent, last activity and attempts.

In `home` because it reads push's assignments beside content's attempts and records' completions
(push sits above content). Set-based: each source is grouped by person once for the item, the learners
are the union of the three, and one statement joins them and pages the result (keyset on name, id);
a second counts the learners per status for the filter. No query per learner.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, literal, select, true, union
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, reports_subtree
from learnbridge.content.models import Attempt, AttemptStatus, ContentVersion, Slot
from learnbridge.core.paging import Keyset, keyset_page
from learnbridge.people.models import Person
from learnbridge.push.models import Assignment, RequirementItem
from learnbridge.records.models import Completion

PAGE = 50
EXPORT_CHUNK = 1000
NOT_STARTED = "not_started"
# The order a filter offers them in; also each status's rank (the best attempt decides).
STATUSES = [NOT_STARTED, "failed", "in_progress", "completed", "passed"]
CSV_HEADER = [
    "Person id",
    "Employee id",
    "Name",
    "Status",
    "Score %",
    "Minutes spent",
    "Last activity (UTC)",
    "Attempts",
    "Due on",
]


@dataclass(frozen=True)
class LearnerProgress:
    person_id: int
    external_id: str
    name: str
    status: str
    score: float | None
    seconds: int
    last_activity: dt.datetime | None
    attempts: int
    due_on: dt.date | None

    @property
    def score_percent(self) -> int | None:
        return None if self.score is None else round(self.score * 100)

    @property
    def time_spent(self) -> str:
        minutes = (self.seconds + 59) // 60
        return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"


def _rank() -> ColumnElement[int]:
    return case(
        (Attempt.status == AttemptStatus.passed.value, 4),
        (Attempt.status == AttemptStatus.completed.value, 3),
        (Attempt.status == AttemptStatus.in_progress.value, 2),
        else_=1,
    )


def _sources(item_id: int) -> tuple[Any, Any, Any]:
    """Per person, for this item: their attempts at its main content, their standing completions, and
    their open assignments that this item satisfies."""
    attempts = (
        select(
            Attempt.person_id.label("person_id"),
            func.max(_rank()).label("rank"),
            func.max(Attempt.score).label("score"),
            func.sum(Attempt.seconds_spent).label("seconds"),
            func.max(Attempt.updated_at).label("last"),
            func.count().label("attempts"),
        )
        .join(ContentVersion, ContentVersion.id == Attempt.version_id)
        .where(Attempt.item_id == item_id, ContentVersion.slot == Slot.main.value)
        .group_by(Attempt.person_id)
        .subquery("attempts")
    )
    completions = (
        select(Completion.person_id.label("person_id"), func.max(Completion.completed_at).label("last"))
        .where(Completion.item_id == item_id, Completion.revoked_at.is_(None))
        .group_by(Completion.person_id)
        .subquery("completions")
    )
    assigned = (
        select(Assignment.person_id.label("person_id"), func.min(Assignment.due_on).label("due_on"))
        .join(RequirementItem, RequirementItem.requirement_id == Assignment.requirement_id)
        .where(RequirementItem.item_id == item_id, Assignment.removed_at.is_(None))
        .group_by(Assignment.person_id)
        .subquery("assigned")
    )
    return attempts, completions, assigned


def _status(attempts: Any, completions: Any) -> ColumnElement[str]:
    """The best attempt decides; a completion from elsewhere (a session, an import) counts as completed."""
    return case(
        (attempts.c.rank == 4, "passed"),
        (attempts.c.rank == 3, "completed"),
        (completions.c.person_id.is_not(None), "completed"),
        (attempts.c.rank == 2, "in_progress"),
        (attempts.c.rank == 1, "failed"),
        else_=NOT_STARTED,
    )


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Admins and auditors see every learner; a manager only their reports (the whole chain)."""
    if principal.reads_everything:
        return true()
    if principal.person_id is None:
        return literal(False)
    return Person.id.in_(reports_subtree(principal.person_id))


def _query(item_id: int, principal: Principal) -> tuple[Select[Any], ColumnElement[str]]:
    attempts, completions, assigned = _sources(item_id)
    learners = union(
        select(attempts.c.person_id), select(completions.c.person_id), select(assigned.c.person_id)
    ).subquery("learners")
    status = _status(attempts, completions)
    last = func.coalesce(attempts.c.last, completions.c.last)
    stmt = (
        select(
            Person.id,
            Person.external_id,
            Person.name,
            status,
            attempts.c.score,
            func.coalesce(attempts.c.seconds, 0),
            last,
            func.coalesce(attempts.c.attempts, 0),
            assigned.c.due_on,
        )
        .select_from(learners)
        .join(Person, Person.id == learners.c.person_id)
        .outerjoin(attempts, attempts.c.person_id == Person.id)
        .outerjoin(completions, completions.c.person_id == Person.id)
        .outerjoin(assigned, assigned.c.person_id == Person.id)
        .where(_visible(principal))
    )
    return stmt, status


def item_progress(
    db: Session,
    *,
    item_id: int,
    principal: Principal,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = PAGE,
) -> Keyset[LearnerProgress]:
    """A page of the item's learners the principal may see, by name, optionally of one status."""
    stmt, state = _query(item_id, principal)
    if status in STATUSES:
        stmt = stmt.where(state == status)
    found = keyset_page(db, stmt, order=[Person.name, Person.id], cursor=cursor, limit=limit)
    return Keyset([_progress(row) for row in found.items], found.next)


def _progress(row: Any) -> LearnerProgress:
    person_id, external_id, name, state, score, seconds, last, attempts, due = row
    return LearnerProgress(person_id, external_id, name, state, score, int(seconds), last, int(attempts), due)


def status_counts(db: Session, *, item_id: int, principal: Principal) -> dict[str, int]:
    """How many of the learners the principal may see are in each status (every status present)."""
    stmt, state = _query(item_id, principal)
    inner = stmt.add_columns(state.label("state")).subquery()
    rows = db.execute(select(inner.c.state, func.count()).group_by(inner.c.state)).all()
    counted: dict[str, int] = dict(rows)
    return {s: int(counted.get(s, 0)) for s in STATUSES}


def export_rows(
    db: Session, *, item_id: int, principal: Principal, status: str | None = None
) -> Iterator[list[str]]:
    """Every learner's progress as CSV cells, by name, read in pages."""
    yield CSV_HEADER
    cursor: str | None = None
    while True:
        page = item_progress(
            db, item_id=item_id, principal=principal, status=status, cursor=cursor, limit=EXPORT_CHUNK
        )
        for p in page.items:
            yield [
                str(p.person_id),
                p.external_id,
                p.name,
                p.status,
                "" if p.score_percent is None else str(p.score_percent),
                str((p.seconds + 59) // 60),
                p.last_activity.astimezone(dt.UTC).isoformat(timespec="seconds") if p.last_activity else "",
                str(p.attempts),
                p.due_on.isoformat() if p.due_on else "",
            ]
        if page.next is None:
            return
        cursor = page.next
