"""What the recommender reads: candidate items found by index, and the signals that score them.

Every query here is bounded by one person (their history, their feedback) or by a short list of
candidate ids, so a recommendation costs the same at 100,000 people as at 100."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import (
    ColumnElement,
    Double,
    Float,
    case,
    cast,
    column,
    delete,
    exists,
    func,
    insert,
    literal_column,
    or_,
    select,
    table,
    text,
    union,
)
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemSkill, ItemStatus, LearningItem
from learnbridge.catalog.search import terms
from learnbridge.people.models import Person
from learnbridge.pull.models import (
    DevelopmentPlan,
    FeedbackAction,
    GoalStatus,
    PlanGoal,
    PlanStatus,
    ProfileItemPopularity,
    RecommendationFeedback,
)
from learnbridge.push.models import Assignment, RequirementItem
from learnbridge.records.models import Completion, Enrolment
from learnbridge.sessions.models import Booking, BookingStatus, LearningSession, SessionStatus

# Tuned on a generated organisation with planted preferences (bench/recommender.py, another seed than
# the one it reports): what the organisation takes up predicts much of what a person will, so
# popularity weighs most once an item is relevant at all; the reason shown still names the goal.
WEIGHTS = {
    "skill": 3.0,
    "text": 1.5,
    "popular": 0.5,
    "popular_all": 4.0,
    "saved": 0.8,
    "format": 1.0,
    "new": 0.1,
}
TEXT_HITS = 40
POPULAR_HITS = 20
MAX_TEXT_TERMS = 10
# Words that say nothing about what to learn: matching on them would rank half the catalogue.
STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        "a an and are as at be been being but by can could do for from get got have how i if in into "
        "is it its me more my need needs of on or our so than that the their them then there these "
        "they this to up us want was we were what when where which who will with would you your able "
        "better become improve learn learning skill skills level good well work",
    )
)


@dataclass(frozen=True)
class GoalText:
    """The words of one open goal (or of the plan's aspirations, with goal_id None)."""

    goal_id: int | None
    title: str
    words: frozenset[str]


def goal_texts(db: Session, *, person_id: int) -> list[GoalText]:
    """The open goals' titles and descriptions, and the aspirations, of the person's active plan."""
    plans = db.execute(
        select(DevelopmentPlan.id, DevelopmentPlan.aspirations).where(
            DevelopmentPlan.person_id == person_id, DevelopmentPlan.status == PlanStatus.active.value
        )
    ).all()
    if not plans:
        return []
    goals = db.execute(
        select(PlanGoal.id, PlanGoal.title, PlanGoal.description).where(
            PlanGoal.plan_id.in_([plan_id for plan_id, _ in plans]),
            PlanGoal.status == GoalStatus.open.value,
        )
    )
    found = [GoalText(goal_id, title, content_words(f"{title} {body}")) for goal_id, title, body in goals]
    found += [GoalText(None, "", content_words(aims)) for _, aims in plans if aims.strip()]
    return [goal for goal in found if goal.words]


def content_words(value: str) -> frozenset[str]:
    return frozenset(word for word in terms_all(value) if len(word) > 2 and word not in STOPWORDS)


def terms_all(value: str) -> list[str]:
    """Every word (catalog.search.terms stops at a search box's length)."""
    return [word for chunk in re.split(r"\s+", value.lower()) for word in terms(chunk)]


def text_candidates(db: Session, *, words: set[str]) -> dict[int, float]:
    """Published items matching ANY of the words by full-text search, the best TEXT_HITS, each with
    a relevance from 0 to 1 (1 the best hit)."""
    chosen = sorted(words, key=lambda word: (-len(word), word))[:MAX_TEXT_TERMS]
    if not chosen:
        return {}
    sqlite = db.get_bind().dialect.name == "sqlite"
    rows = _fts5_hits(db, chosen) if sqlite else _tsvector_hits(db, chosen)
    best = max((score for _, score in rows), default=0.0)
    return {item_id: score / best for item_id, score in rows if best > 0}


def _fts5_hits(db: Session, words: list[str]) -> list[tuple[int, float]]:
    query = " OR ".join(f'"{word}"' for word in words)
    fts = table("learning_items_fts", column("rowid"))
    # bm25 is smaller for a better match; negated so that larger is better, as on PostgreSQL.
    rank = literal_column("-bm25(learning_items_fts, 10.0, 4.0, 2.0)", Float)
    stmt = (
        select(LearningItem.id, rank)
        .select_from(fts.join(LearningItem, LearningItem.id == fts.c.rowid))
        .where(text("learning_items_fts MATCH :q").bindparams(q=query))
        .where(LearningItem.status == ItemStatus.published.value)
        .order_by(rank.desc())
        .limit(TEXT_HITS)
    )
    return [(item_id, float(score)) for item_id, score in db.execute(stmt)]


def _tsvector_hits(db: Session, words: list[str]) -> list[tuple[int, float]]:
    vector: ColumnElement[str] = literal_column("learning_items.search_vector")
    query = func.to_tsquery(literal_column("'english'"), " | ".join(f"'{word}'" for word in words))
    rank = cast(func.ts_rank(vector, query), Double)
    stmt = (
        select(LearningItem.id, rank)
        .where(vector.op("@@")(query), LearningItem.status == ItemStatus.published.value)
        .order_by(rank.desc())
        .limit(TEXT_HITS)
    )
    return [(item_id, float(score)) for item_id, score in db.execute(stmt)]


def skill_candidates(db: Session, *, skill_ids: set[int]) -> list[tuple[int, int, int]]:
    """(item id, skill id, level) for every published item teaching one of these skills."""
    if not skill_ids:
        return []
    stmt = (
        select(ItemSkill.item_id, ItemSkill.skill_id, ItemSkill.level)
        .join(LearningItem, LearningItem.id == ItemSkill.item_id)
        .where(ItemSkill.skill_id.in_(skill_ids), LearningItem.status == ItemStatus.published.value)
    )
    return [(item_id, skill_id, level) for item_id, skill_id, level in db.execute(stmt)]


def popular_in_profile(db: Session, *, job_profile_id: int | None) -> dict[int, int]:
    """The items most people in the job profile took up or saved: item id -> people."""
    if job_profile_id is None:
        return {}
    stmt = (
        select(ProfileItemPopularity.item_id, ProfileItemPopularity.people)
        .where(ProfileItemPopularity.job_profile_id == job_profile_id)
        .order_by(ProfileItemPopularity.people.desc(), ProfileItemPopularity.item_id)
        .limit(POPULAR_HITS)
    )
    return dict(db.execute(stmt).all())


def popularity_of(
    db: Session, *, job_profile_id: int | None, item_ids: set[int]
) -> dict[int, tuple[int, int]]:
    """For each of these items: (people in the job profile, people in the whole organisation) who
    took it up or saved it."""
    if not item_ids:
        return {}
    in_profile = func.sum(
        case((ProfileItemPopularity.job_profile_id == job_profile_id, ProfileItemPopularity.people), else_=0)
    )
    stmt = (
        select(ProfileItemPopularity.item_id, in_profile, func.sum(ProfileItemPopularity.people))
        .where(ProfileItemPopularity.item_id.in_(item_ids))
        .group_by(ProfileItemPopularity.item_id)
    )
    return {item_id: (int(here or 0), int(everywhere or 0)) for item_id, here, everywhere in db.execute(stmt)}


def refresh_popularity(db: Session) -> int:
    """Rebuild the per-profile popularity table from completions, enrolments and saved items, one
    person counted once per item; returns the rows written. Run daily by a job. A completion of
    learning the person was required to do says nothing about its usefulness (mandatory training would
    top every list), so those do not count."""
    required = (
        select(Assignment.id)
        .join(RequirementItem, RequirementItem.requirement_id == Assignment.requirement_id)
        .where(Assignment.person_id == Completion.person_id, RequirementItem.item_id == Completion.item_id)
    )
    taken = union(
        select(Completion.person_id, Completion.item_id).where(
            Completion.revoked_at.is_(None), ~exists(required)
        ),
        select(Enrolment.person_id, Enrolment.item_id),
        select(RecommendationFeedback.person_id, RecommendationFeedback.item_id).where(
            RecommendationFeedback.action == FeedbackAction.saved.value
        ),
    ).subquery("taken")
    counts = (
        select(Person.job_profile_id, taken.c.item_id, func.count())
        .join(Person, Person.id == taken.c.person_id)
        .where(Person.job_profile_id.is_not(None), Person.active.is_(True))
        .group_by(Person.job_profile_id, taken.c.item_id)
    )
    db.execute(delete(ProfileItemPopularity))
    db.execute(insert(ProfileItemPopularity).from_select(["job_profile_id", "item_id", "people"], counts))
    db.flush()
    return db.scalar(select(func.count()).select_from(ProfileItemPopularity)) or 0


def excluded_items(db: Session, *, person_id: int) -> set[int]:
    """Items never to recommend: completed, required of the person (an assignment still in force),
    already enrolled in or booked (a place, a waiting-list place, a request awaiting approval, or
    attended), or dismissed by them."""
    done = select(Completion.item_id).where(
        Completion.person_id == person_id, Completion.revoked_at.is_(None)
    )
    required = (
        select(RequirementItem.item_id)
        .join(Assignment, Assignment.requirement_id == RequirementItem.requirement_id)
        .where(Assignment.person_id == person_id, Assignment.removed_at.is_(None))
    )
    dismissed = select(RecommendationFeedback.item_id).where(
        RecommendationFeedback.person_id == person_id,
        RecommendationFeedback.action == FeedbackAction.dismissed.value,
    )
    enrolled = select(Enrolment.item_id).where(Enrolment.person_id == person_id)
    taken = [
        BookingStatus.booked,
        BookingStatus.waitlisted,
        BookingStatus.pending_approval,
        BookingStatus.attended,
    ]
    booked = (
        select(LearningSession.item_id)
        .join(Booking, Booking.session_id == LearningSession.id)
        .where(Booking.person_id == person_id, Booking.status.in_([s.value for s in taken]))
    )
    return set(db.scalars(union(done, required, dismissed, enrolled, booked)))


def saved_items(db: Session, *, person_id: int) -> list[int]:
    """The items the person saved, the latest first."""
    stmt = (
        select(RecommendationFeedback.item_id)
        .where(
            RecommendationFeedback.person_id == person_id,
            RecommendationFeedback.action == FeedbackAction.saved.value,
        )
        .order_by(RecommendationFeedback.created_at.desc(), RecommendationFeedback.id.desc())
    )
    return list(db.scalars(stmt))


def format_preferences(db: Session, *, person_id: int) -> dict[str, float]:
    """Format -> a preference from -1 to 1: the share of the person's completed and saved items in
    that format, less the share of their dismissed ones."""
    done = select(LearningItem.format).join(Completion, Completion.item_id == LearningItem.id)
    done = done.where(Completion.person_id == person_id, Completion.revoked_at.is_(None))
    told = (
        select(LearningItem.format, RecommendationFeedback.action)
        .join(RecommendationFeedback, RecommendationFeedback.item_id == LearningItem.id)
        .where(RecommendationFeedback.person_id == person_id)
    )
    liked: Counter[str] = Counter(db.scalars(done.limit(500)))
    disliked: Counter[str] = Counter()
    for fmt, action in db.execute(told.limit(500)):
        (liked if action == FeedbackAction.saved.value else disliked)[fmt] += 1
    total_liked, total_disliked = sum(liked.values()) or 1, sum(disliked.values()) or 1
    shares = {f: liked[f] / total_liked - disliked[f] / total_disliked for f in set(liked) | set(disliked)}
    # Scaled so that the favourite format counts 1, whatever the number of formats.
    top = max((share for share in shares.values() if share > 0), default=1.0)
    return {f: share / top for f, share in shares.items()}


def item_skills(db: Session, *, item_ids: set[int]) -> dict[int, set[int]]:
    """Item id -> the ids of the skills it teaches."""
    found: dict[int, set[int]] = {item_id: set() for item_id in item_ids}
    if item_ids:
        rows = select(ItemSkill.item_id, ItemSkill.skill_id).where(ItemSkill.item_id.in_(item_ids))
        for item_id, skill_id in db.execute(rows):
            found[item_id].add(skill_id)
    return found


def item_formats(db: Session, *, item_ids: set[int]) -> dict[int, str]:
    """Published items among these ids -> their format."""
    if not item_ids:
        return {}
    stmt = select(LearningItem.id, LearningItem.format).where(
        LearningItem.id.in_(item_ids), LearningItem.status == ItemStatus.published.value
    )
    return dict(db.execute(stmt).all())


@dataclass(frozen=True)
class UpcomingSession:
    """The next session of an item that can still be booked (or waitlisted)."""

    id: int
    item_id: int
    starts_at: dt.datetime
    timezone: str
    location: str
    kind: str
    seats_left: int


def upcoming_sessions(db: Session, *, item_ids: set[int], now: dt.datetime) -> dict[int, UpcomingSession]:
    """For each item, its next scheduled session that has not started and whose booking deadline
    has not passed: the earliest with a seat left, else the earliest (a full one takes a waitlist)."""
    if not item_ids:
        return {}
    stmt = (
        select(LearningSession)
        .where(
            LearningSession.item_id.in_(item_ids),
            LearningSession.status == SessionStatus.scheduled.value,
            LearningSession.starts_at > now,
            or_(LearningSession.booking_deadline.is_(None), LearningSession.booking_deadline > now),
        )
        .order_by(LearningSession.starts_at, LearningSession.id)
    )
    sessions = list(db.scalars(stmt))
    taken = _booked_seats(db, session_ids={session.id for session in sessions})
    found: dict[int, UpcomingSession] = {}
    for session in sessions:
        option = UpcomingSession(
            id=session.id,
            item_id=session.item_id,
            starts_at=session.starts_at,
            timezone=session.timezone,
            location=session.location,
            kind=session.kind,
            seats_left=max(0, session.capacity - taken.get(session.id, 0)),
        )
        current = found.get(session.item_id)
        if current is None or (current.seats_left == 0 and option.seats_left > 0):
            found[session.item_id] = option
    return found


def _booked_seats(db: Session, *, session_ids: set[int]) -> dict[int, int]:
    if not session_ids:
        return {}
    stmt = (
        select(Booking.session_id, func.count())
        .where(Booking.session_id.in_(session_ids), Booking.status == BookingStatus.booked.value)
        .group_by(Booking.session_id)
    )
    return dict(db.execute(stmt).all())
