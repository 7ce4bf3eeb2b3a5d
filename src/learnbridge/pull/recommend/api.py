"""JSON endpoints: my recommendations and feedback on them, my skills with ratings and gaps, a
manager's rating of a report, and the offering gap for L&D."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.deps import Db
from learnbridge.core.errors import Forbidden
from learnbridge.core.ids import Id
from learnbridge.pull import offering
from learnbridge.pull.gaps import SkillGap, skill_profile
from learnbridge.pull.recommend import service as recommend
from learnbridge.pull.recommend.reasons import session_label
from learnbridge.pull.recommend.schemas import (
    FeedbackIn,
    FeedbackOut,
    ItemBrief,
    MySkillsOut,
    OfferingGapOut,
    OfferingGapsOut,
    RecommendationOut,
    RecommendationsOut,
    SessionBrief,
    SkillGapOut,
)
from learnbridge.skills import service as skills
from learnbridge.skills.models import Rater, SkillRating
from learnbridge.skills.schemas import RatingIn, RatingOut

router = APIRouter(tags=["recommendations"])
Reader = Annotated[Principal, require_role(Role.ld_admin, Role.auditor)]


def person_of(principal: Principal) -> int:
    if principal.person_id is None:
        raise Forbidden("This account has no person record: recommendations are for people.")
    return principal.person_id


def recommendation_out(found: recommend.Recommendation) -> RecommendationOut:
    item, option = found.item, found.session
    brief = ItemBrief(
        id=item.id,
        title=item.title,
        kind=item.kind,
        format=item.format,
        summary=item.summary,
        objectives=list(item.objectives or []),
        duration_minutes=item.duration_minutes,
        provider=item.provider,
        url=item.url,
        skills=[{"skill_id": s.skill_id, "skill": s.skill.name, "level": s.level} for s in item.skills],
    )
    session = None
    if option is not None:
        session = SessionBrief(**vars(option), label=session_label(option))
    return RecommendationOut(item=brief, session=session, score=found.score, reason=found.reason)


def gap_out(gap: SkillGap) -> SkillGapOut:
    return SkillGapOut(
        skill_id=gap.skill_id,
        skill=gap.skill,
        target=gap.target,
        current=gap.current,
        gap=gap.gap,
        self_level=gap.self_level,
        manager_level=gap.manager_level,
        goals=[goal.title for goal in gap.goals],
        profile=gap.profile,
        profile_level=gap.profile_level,
    )


def rating_out(rating: SkillRating) -> RatingOut:
    return RatingOut(
        skill_id=rating.skill_id,
        skill=rating.skill.name,
        rater=rating.rater,
        level=rating.level,
        level_name=rating.skill.framework.level_name(rating.level),
        rated_at=rating.rated_at,
        rated_by_id=rating.rated_by_id,
        note=rating.note,
    )


@router.get("/me/recommendations")
def list_my_recommendations(
    db: Db, principal: CurrentPrincipal, limit: Annotated[int, Query(ge=1, le=50)] = 10
) -> RecommendationsOut:
    """Recommended items (and their next session) for me, best first, each with the reason."""
    found = recommend.recommend(db, person_id=person_of(principal), limit=limit)
    return RecommendationsOut(items=[recommendation_out(r) for r in found])


@router.post("/me/recommendations/feedback", status_code=201)
def record_recommendation_feedback(body: FeedbackIn, db: Db, principal: CurrentPrincipal) -> FeedbackOut:
    """Save or dismiss a recommended item; a dismissed item is never recommended again."""
    row = recommend.record_feedback(
        db, person_id=person_of(principal), item_id=body.item_id, action=body.action, reason=body.reason
    )
    db.commit()
    return FeedbackOut(item_id=row.item_id, action=row.action, created_at=row.created_at)


@router.get("/me/skills")
def get_my_skills(db: Db, principal: CurrentPrincipal) -> MySkillsOut:
    """My skills (from my job profile, my plan's goals, my ratings) with target, current level and gap."""
    person_id = person_of(principal)
    return MySkillsOut(
        skills=[gap_out(gap) for gap in skill_profile(db, person_id=person_id)],
        ratings=[rating_out(r) for r in skills.ratings_for(db, person_id=person_id)],
    )


@router.put("/me/skills/{skill_id}/rating")
def rate_my_skill(skill_id: Id, body: RatingIn, db: Db, principal: CurrentPrincipal) -> RatingOut:
    """My own rating of my level in a skill."""
    person_id = person_of(principal)
    rating = skills.rate_skill(
        db,
        person_id=person_id,
        skill_id=skill_id,
        level=body.level,
        rater=Rater.self,
        rated_by_id=person_id,
        note=body.note,
    )
    db.commit()
    return rating_out(rating)


@router.put("/people/{person_id}/skills/{skill_id}/rating")
def rate_report_skill(
    person_id: Id, skill_id: Id, body: RatingIn, db: Db, principal: CurrentPrincipal
) -> RatingOut:
    """A manager's rating of a report's level in a skill (anyone above them in the chain)."""
    rating = skills.rate_skill(
        db,
        person_id=person_id,
        skill_id=skill_id,
        level=body.level,
        rater=Rater.manager,
        rated_by_id=person_of(principal),
        note=body.note,
    )
    db.commit()
    return rating_out(rating)


@router.get("/offering-gap")
def list_offering_gaps(
    db: Db, _: Reader, all: bool = False, sort: Literal["demand", "skill"] = "demand"
) -> OfferingGapsOut:
    """Skills and levels in demand against catalogue coverage: the gaps (or `all=true` every row)."""
    rows = offering.offering_gaps(db, gaps_only=not all, sort=sort)
    return OfferingGapsOut(
        items=[OfferingGapOut(**vars(row), coverage=row.coverage.value, advice=row.advice) for row in rows]
    )
