"""Attendance: the instructor or an L&D admin marks each booked person attended or no-show. Attending
is evidence: a completion of the session's item (source attendance), which then satisfies assignments."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import String, cast, literal, select, update
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, Forbidden, Invalid
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence
from learnbridge.records import completions as records
from learnbridge.records.completions import CompletionChange, NewCompletion
from learnbridge.records.models import Completion, CompletionSource
from learnbridge.records.platform_events import emit
from learnbridge.sessions import platform_events
from learnbridge.sessions.booking import lock_session
from learnbridge.sessions.models import Booking, BookingStatus, LearningSession, SessionStatus

MARKABLE = (BookingStatus.booked.value, BookingStatus.attended.value, BookingStatus.no_show.value)


@dataclass(frozen=True)
class AttendanceResult:
    attended: int
    no_show: int
    assignments_completed: int


def reference(session_id: int, person_id: int) -> str:
    """Stable per session and person, so marking twice never records two completions."""
    return f"session:{session_id}:person:{person_id}"


def can_mark(principal: Principal, session: LearningSession) -> bool:
    return principal.has(Role.ld_admin) or (
        session.instructor_id is not None and session.instructor_id == principal.person_id
    )


def mark_attendance(
    db: Session,
    *,
    session_id: int,
    attended: list[int],
    no_show: list[int],
    principal: Principal,
    now: dt.datetime | None = None,
) -> AttendanceResult:
    """Once the session has started, mark people who were booked. Attended records (or restores) a
    completion and applies it to their assignments; no-show revokes one recorded before."""
    now = now or utcnow()
    session = lock_session(db, session_id)
    _check(db, session, attended, no_show, principal, now)
    at = session.ends_at if session.ends_at < now else now
    emit(db, platform_events.attendance(db, session, attended=attended, no_show=no_show, at=at, now=now))
    _set_status(db, session_id, attended, BookingStatus.attended, now)
    _set_status(db, session_id, no_show, BookingStatus.no_show, now)
    change = _record_completions(db, session, attended, principal, at)
    change |= _revoke_completions(db, session_id, no_show, now)
    # The UPDATEs above bypassed the identity map: reload what was changed under it.
    db.flush()
    db.expire_all()
    applied = apply_evidence(db, change=change, actor=Actor.of(principal.account))
    return AttendanceResult(
        attended=len(set(attended)), no_show=len(set(no_show)), assignments_completed=applied.completed
    )


def _check(
    db: Session,
    session: LearningSession,
    attended: list[int],
    no_show: list[int],
    principal: Principal,
    now: dt.datetime,
) -> None:
    if not can_mark(principal, session):
        raise Forbidden("Only the session's instructor or an L&D admin marks attendance.")
    if session.status == SessionStatus.cancelled:
        raise Conflict("This session was cancelled.")
    if now < session.starts_at:
        raise Conflict("Attendance can be marked once the session has started.")
    both = set(attended) & set(no_show)
    if both:
        raise Invalid(field="no_show", message=f"people {sorted(both)} are also marked attended")
    wanted = set(attended) | set(no_show)
    stmt = select(Booking.person_id).where(
        Booking.session_id == session.id, Booking.person_id.in_(wanted), Booking.status.in_(MARKABLE)
    )
    unknown = wanted - set(db.scalars(stmt))
    if unknown:
        raise Invalid(field="attended", message=f"people {sorted(unknown)} were not booked on this session")


def _set_status(
    db: Session, session_id: int, people: list[int], status: BookingStatus, now: dt.datetime
) -> None:
    if people:
        db.execute(
            update(Booking)
            .where(Booking.session_id == session_id, Booking.person_id.in_(people))
            .values(status=status.value, attendance_marked_at=now)
            .execution_options(synchronize_session=False)
        )


def _record_completions(
    db: Session, session: LearningSession, people: list[int], principal: Principal, at: dt.datetime
) -> CompletionChange:
    """Record (or restore, after an earlier no-show) each attendee's completion, then link bookings."""
    wanted = [
        NewCompletion(
            person_id=pid,
            item_id=session.item_id,
            completed_at=at,
            evidence=f"Attended {session.display_title}",
            reference=reference(session.id, pid),
        )
        for pid in sorted(set(people))
    ]
    if not wanted:
        return CompletionChange()
    change = records.record_completions(
        db,
        source=CompletionSource.attendance,
        completions=wanted,
        recorded_by_id=principal.account.id,
        restore_revoked=True,
    )
    _link(db, session.id)
    return change


def _revoke_completions(
    db: Session, session_id: int, people: list[int], now: dt.datetime
) -> CompletionChange:
    """Revoke the attendance completions of people now marked no-show, and unlink their bookings."""
    refs = [reference(session_id, pid) for pid in set(people)]
    if not refs:
        return CompletionChange()
    change = records.revoke_completions(db, source=CompletionSource.attendance, references=refs, at=now)
    if change.revoked:
        db.execute(
            update(Booking)
            .where(Booking.completion_id.in_(change.revoked))
            .values(completion_id=None)
            .execution_options(synchronize_session=False)
        )
    return change


def _link(db: Session, session_id: int) -> None:
    """Point each attended booking at its completion (one correlated UPDATE)."""
    ref = (
        select(Completion.id)
        .where(
            Completion.source == CompletionSource.attendance.value,
            Completion.reference
            == literal(f"session:{session_id}:person:", String) + cast(Booking.person_id, String),
        )
        .scalar_subquery()
    )
    db.execute(
        update(Booking)
        .where(Booking.session_id == session_id, Booking.status == BookingStatus.attended.value)
        .values(completion_id=ref)
        .execution_options(synchronize_session=False)
    )
