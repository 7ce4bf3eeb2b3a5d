"""A person's learning record, as their profile page shows it to those allowed to see the person:
assignments, completions, bookings, the plans they shared and their skills, a few of each (most urgent
or most recent first) with how many there are in all.

Plans follow pull's rule (pull.sharing): the owner sees theirs; a manager up the line sees those the
owner shared; L&D and auditors see none (to them a plan does not exist). Everything else follows the
profile's own rule (accounts.policy.can_view_person), which the route checks first.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, manages
from learnbridge.home.transcript_views import TranscriptLine, transcript
from learnbridge.pull.models import DevelopmentPlan, PlanStatus
from learnbridge.push.obligation_views import Obligation, obligations_of
from learnbridge.sessions.booking_views import BookingView, my_bookings
from learnbridge.skills.models import SkillRating
from learnbridge.skills.service import ratings_for

SHORT = 5


@dataclass
class LearningRecord:
    assignments: list[Obligation] = field(default_factory=list)
    assignment_count: int = 0
    completions: list[TranscriptLine] = field(default_factory=list)
    more_completions: bool = False
    upcoming: list[BookingView] = field(default_factory=list)
    past: list[BookingView] = field(default_factory=list)
    plans: list[DevelopmentPlan] = field(default_factory=list)
    # Where a plan opens for this viewer: their own plan page, or the team page of a report's plan.
    plan_base: str = "/plan/"
    ratings: list[SkillRating] = field(default_factory=list)


def learning_record(db: Session, *, person_id: int, principal: Principal, today: dt.date) -> LearningRecord:
    """The person's record, short; the caller has checked that the principal may see the person."""
    record = LearningRecord()
    obligations = obligations_of(db, person_id=person_id, today=today)
    record.assignments, record.assignment_count = obligations[:SHORT], len(obligations)
    page = transcript(db, person_id=person_id, limit=SHORT)
    record.completions, record.more_completions = page.items, page.next is not None
    upcoming, past = my_bookings(db, person_id=person_id, limit=SHORT)
    record.upcoming, record.past = upcoming, past
    record.plans, record.plan_base = _plans(db, person_id=person_id, principal=principal)
    record.ratings = ratings_for(db, person_id=person_id)
    return record


def _plans(db: Session, *, person_id: int, principal: Principal) -> tuple[list[DevelopmentPlan], str]:
    stmt = (
        select(DevelopmentPlan)
        .where(DevelopmentPlan.person_id == person_id)
        .order_by(DevelopmentPlan.status != PlanStatus.active.value, DevelopmentPlan.period_end.desc())
        .limit(SHORT)
    )
    if principal.person_id == person_id:
        return list(db.scalars(stmt)), "/plan/"
    if principal.person_id is not None and manages(db, manager_id=principal.person_id, person_id=person_id):
        return list(db.scalars(stmt.where(DevelopmentPlan.shared_with_manager.is_(True)))), "/team/plans/"
    return [], "/plan/"
