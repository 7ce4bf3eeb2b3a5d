"""Recommendations that say why: catalogue items (and their next session) ranked for one person.

Candidates come from indexes only: items teaching a skill the person has a gap in, the best
full-text matches for their goals' words, and what is popular in their job profile. Each candidate
gets signals (skill and level fit, text relevance, popularity, format preference, likeness to what
they saved), the weighted sum is its score, and the strongest signal becomes the reason shown."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from learnbridge.catalog.models import ItemSkill, ItemStatus, LearningItem
from learnbridge.core.db import utcnow
from learnbridge.core.errors import NotFound
from learnbridge.people.models import JobProfile, Person
from learnbridge.pull.gaps import skill_gaps
from learnbridge.pull.models import FeedbackAction, RecommendationFeedback
from learnbridge.pull.recommend import signals
from learnbridge.pull.recommend.candidates import Candidate, Context
from learnbridge.pull.recommend.reasons import reason_for
from learnbridge.pull.recommend.signals import WEIGHTS, UpcomingSession

NEWEST = 20


@dataclass
class Recommendation:
    """An item worth taking up, its next bookable session if it runs as sessions, and why."""

    item: LearningItem
    session: UpcomingSession | None
    score: float
    reason: str
    signals: dict[str, float]


@dataclass
class ForYou:
    """The For you page: recommendations, the saved items, and whether the plan gave anything to go on."""

    recommendations: list[Recommendation]
    saved: list[LearningItem]
    has_goals: bool
    gaps: int


def recommend(
    db: Session, *, person_id: int, limit: int = 10, now: dt.datetime | None = None
) -> list[Recommendation]:
    """Published items (with their next session) for the person, best first, each with its reason;
    never an item they completed, are required to do, dismissed or saved (saved ones are listed apart)."""
    return _ranked(db, _context(db, person_id=person_id), limit, now or utcnow())


def for_you(db: Session, *, person_id: int, limit: int = 10, now: dt.datetime | None = None) -> ForYou:
    """What the For you page shows: the recommendations, the saved items (latest first) and whether
    the person's plan and gaps gave the recommender anything to go on."""
    ctx = _context(db, person_id=person_id)
    return ForYou(
        recommendations=_ranked(db, ctx, limit, now or utcnow()),
        saved=_items(db, ctx.saved, published_only=True),
        has_goals=bool(ctx.goals),
        gaps=len(ctx.gaps),
    )


def _ranked(db: Session, ctx: Context, limit: int, now: dt.datetime) -> list[Recommendation]:
    candidates = _candidates(db, ctx)
    _score(db, ctx, candidates)
    worth = [c for c in candidates.values() if c.score > 0]
    ranked = sorted(worth, key=lambda c: (-c.score, c.item_id))[:limit]
    return _build(db, ctx, ranked, now)


def record_feedback(
    db: Session, *, person_id: int, item_id: int, action: FeedbackAction, reason: str = ""
) -> RecommendationFeedback:
    """Remember that the person saved or dismissed an item; the latest word replaces the last."""
    if db.get(LearningItem, item_id) is None:
        raise NotFound(f"No learning item {item_id}.")
    row = db.scalar(
        select(RecommendationFeedback).where(
            RecommendationFeedback.person_id == person_id, RecommendationFeedback.item_id == item_id
        )
    )
    if row is None:
        row = RecommendationFeedback(person_id=person_id, item_id=item_id)
        db.add(row)
    row.action, row.reason, row.created_at = action.value, reason, utcnow()
    db.flush()
    return row


def _context(db: Session, *, person_id: int) -> Context:
    person = db.get(Person, person_id)
    if person is None:
        raise NotFound(f"No person {person_id}.")
    profile = db.get(JobProfile, person.job_profile_id) if person.job_profile_id else None
    saved = signals.saved_items(db, person_id=person_id)
    return Context(
        person=person,
        profile=profile.title if profile else None,
        gaps={gap.skill_id: gap for gap in skill_gaps(db, person_id=person_id)},
        goals=signals.goal_texts(db, person_id=person_id),
        excluded=signals.excluded_items(db, person_id=person_id) | set(saved),
        saved=saved,
        formats=signals.format_preferences(db, person_id=person_id),
    )


def _candidates(db: Session, ctx: Context) -> dict[int, Candidate]:
    found: dict[int, Candidate] = {}

    def get(item_id: int) -> Candidate:
        return found.setdefault(item_id, Candidate(item_id))

    for item_id, skill_id, level in signals.skill_candidates(db, skill_ids=set(ctx.gaps)):
        get(item_id).skills.append((skill_id, level))
    words = set().union(*(goal.words for goal in ctx.goals)) if ctx.goals else set()
    for item_id, relevance in signals.text_candidates(db, words=words).items():
        get(item_id).text = relevance
    job_profile_id = ctx.person.job_profile_id
    for item_id in signals.popular_in_profile(db, job_profile_id=job_profile_id):
        get(item_id)
    if not found:
        for item_id in _newest(db):
            get(item_id).signals["new"] = WEIGHTS["new"]
    for item_id in ctx.excluded & set(found):
        del found[item_id]
    counts = signals.popularity_of(db, job_profile_id=job_profile_id, item_ids=set(found))
    for item_id, (here, everywhere) in counts.items():
        found[item_id].popular, found[item_id].popular_all = here, everywhere
    return found


def _score(db: Session, ctx: Context, candidates: dict[int, Candidate]) -> None:
    """Fill in each candidate's weighted signals; drop those no longer published."""
    formats = signals.item_formats(db, item_ids=set(candidates))
    for item_id in set(candidates) - set(formats):
        del candidates[item_id]
    saved_skills = set().union(*signals.item_skills(db, item_ids=set(ctx.saved)).values())
    skills = signals.item_skills(db, item_ids=set(candidates)) if saved_skills else {}
    most = max((c.popular for c in candidates.values()), default=0)
    most_all = max((c.popular_all for c in candidates.values()), default=0)
    for c in candidates.values():
        c.signals["skill"] = WEIGHTS["skill"] * _skill_fit(ctx, c.skills)
        c.signals["text"] = WEIGHTS["text"] * c.text
        c.signals["popular"] = WEIGHTS["popular"] * _share(c.popular, most)
        c.signals["popular_all"] = WEIGHTS["popular_all"] * _share(c.popular_all, most_all)
        c.signals["format"] = WEIGHTS["format"] * ctx.formats.get(formats[c.item_id], 0.0)
        c.signals["saved"] = WEIGHTS["saved"] * (1.0 if skills.get(c.item_id, set()) & saved_skills else 0.0)


def _share(count: int, most: int) -> float:
    """Popularity from 0 to 1 on a log scale: the tenth person matters less than the second."""
    return math.log1p(count) / math.log1p(most) if most else 0.0


def _skill_fit(ctx: Context, taught: list[tuple[int, int]]) -> float:
    """The best fit of the item's skills with the person's gaps, plus a little for each other gap
    it also serves."""
    fits = sorted((ctx.gaps[skill_id].fit(level) for skill_id, level in taught), reverse=True)
    return fits[0] + 0.25 * sum(fits[1:]) if fits else 0.0


def _newest(db: Session) -> list[int]:
    stmt = (
        select(LearningItem.id)
        .where(LearningItem.status == ItemStatus.published.value)
        .order_by(LearningItem.id.desc())
        .limit(NEWEST)
    )
    return list(db.scalars(stmt))


def _items(db: Session, item_ids: list[int], *, published_only: bool = False) -> list[LearningItem]:
    """These items, in the order given, with the skills they teach."""
    if not item_ids:
        return []
    stmt = (
        select(LearningItem)
        .where(LearningItem.id.in_(item_ids))
        .options(selectinload(LearningItem.skills).selectinload(ItemSkill.skill))
    )
    if published_only:
        stmt = stmt.where(LearningItem.status == ItemStatus.published.value)
    by_id = {item.id: item for item in db.scalars(stmt)}
    return [by_id[item_id] for item_id in item_ids if item_id in by_id]


def _build(db: Session, ctx: Context, ranked: list[Candidate], now: dt.datetime) -> list[Recommendation]:
    items = {item.id: item for item in _items(db, [c.item_id for c in ranked])}
    sessions = signals.upcoming_sessions(db, item_ids=set(items), now=now)
    saved = _items(db, ctx.saved[:20]) if any(c.signals.get("saved") for c in ranked) else []
    return [
        Recommendation(
            item=items[c.item_id],
            session=sessions.get(c.item_id),
            score=round(c.score, 3),
            reason=reason_for(ctx, c, items[c.item_id], saved),
            signals={name: round(value, 3) for name, value in c.signals.items() if value},
        )
        for c in ranked
    ]
