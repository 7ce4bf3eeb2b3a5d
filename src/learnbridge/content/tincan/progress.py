"""xAPI package progress: the package's own completed, passed or failed statement about its launched
activity, in the attempt's registration, finishes the attempt (passed and completed record the
completion; a failed one ends the attempt, and a new launch starts the next)."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.content import service
from learnbridge.content.models import Attempt, AttemptStatus, ContentKind, ContentVersion
from learnbridge.lrs.launch import CONTENT_CLIENT_KEY
from learnbridge.lrs.launch_rules import VERBS
from learnbridge.lrs.models import LrsClient, Statement
from learnbridge.records.completions import CompletionChange

CHUNK = 500
OUTCOMES = {
    VERBS["completed"]: AttemptStatus.completed,
    VERBS["passed"]: AttemptStatus.passed,
    VERBS["failed"]: AttemptStatus.failed,
}


def on_statements(db: Session, statement_ids: list[int]) -> CompletionChange:
    """Finish the xAPI package attempts these stored statements (by primary key) report an outcome of."""
    client_id = db.scalar(select(LrsClient.id).where(LrsClient.key == CONTENT_CLIENT_KEY))
    if client_id is None or not statement_ids:
        return CompletionChange()
    ids = sorted(set(statement_ids))
    change = CompletionChange()
    for start in range(0, len(ids), CHUNK):  # bounded IN lists: a job may carry many batches' statements
        stmt = (
            select(Statement, Attempt)
            .join(Attempt, Attempt.registration == Statement.registration)
            .join(ContentVersion, ContentVersion.id == Attempt.version_id)
            .where(
                Statement.id.in_(ids[start : start + CHUNK]),
                Statement.client_id == client_id,
                Statement.verb_id.in_(list(OUTCOMES)),
                Statement.voided.is_(False),
                ContentVersion.kind == ContentKind.xapi.value,
            )
            .order_by(Statement.id)
        )
        for row, attempt in db.execute(stmt).all():
            if row.object_activity_id == attempt.version.spec["launch"]["activity_id"]:
                change = change | _finish(db, attempt, row)
    return change


def _finish(db: Session, attempt: Attempt, row: Statement) -> CompletionChange:
    result = json.loads(row.full).get("result") or {}
    status = OUTCOMES[row.verb_id]
    if result.get("success") is False:
        status = AttemptStatus.failed
    scaled = (result.get("score") or {}).get("scaled")
    score = float(scaled) if isinstance(scaled, (int, float)) else None
    return service.finish_attempt(db, attempt, status=status, score=score)
