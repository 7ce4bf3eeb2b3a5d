"""Development plans, enrolments and openings under /api/v1: `/me/...` is the signed-in person's own,
`/plans/{id}` a plan the caller may see (its owner, or a manager up the line once shared),
`/team/plans` a manager's list of shared plans."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.deps import Db
from learnbridge.core.errors import Forbidden
from learnbridge.core.ids import Id
from learnbridge.pull import plan_views, plans, sharing
from learnbridge.pull.plan_views import GoalProgress, ItemProgress, PlanProgress, PlanView
from learnbridge.pull.schemas import (
    CheckInIn,
    CheckInOut,
    CommentIn,
    CommentOut,
    ConversationIn,
    ConversationOut,
    DoneIn,
    EnrolmentOut,
    GoalIn,
    GoalOut,
    GoalPatch,
    ItemProgressOut,
    OpeningOut,
    PlanIn,
    PlanItemIn,
    PlanOut,
    PlanPatch,
    PlanSummaryOut,
    PlanSummaryPage,
    ShareIn,
    TakeUpIn,
)
from learnbridge.records import service as records

router = APIRouter(tags=["plans"])
Manager = Annotated[Principal, require_role(Role.manager)]


def me(principal: Principal) -> int:
    """The caller's person id: plans, enrolments and openings belong to people, not bare accounts."""
    if principal.person_id is None:
        raise Forbidden("This account is not linked to a person.")
    return principal.person_id


def item_out(p: ItemProgress) -> ItemProgressOut:
    planned = p.planned
    return ItemProgressOut(
        id=planned.id,
        goal_id=planned.goal_id,
        item_id=planned.item_id,
        session_id=planned.session_id,
        activity=planned.activity,
        title=p.title,
        origin=planned.origin,
        target_date=planned.target_date,
        done=p.done,
        done_by=p.done_by,
        done_on=p.done_on,
    )


def goal_out(g: GoalProgress) -> GoalOut:
    goal = g.goal
    return GoalOut(
        id=goal.id,
        title=goal.title,
        description=goal.description,
        skill_id=goal.skill_id,
        skill=goal.skill.name if goal.skill else None,
        target_level=goal.target_level,
        target_level_name=g.level_name,
        target_date=goal.target_date,
        status=goal.status,
        items_done=g.done,
        items_total=g.total,
        percent=g.percent,
    )


def plan_out(view: PlanView) -> PlanOut:
    plan, progress = view.plan, view.progress
    return PlanOut(
        **_summary_fields(progress),
        aspirations=plan.aspirations,
        acknowledged_by_id=plan.acknowledged_by_id,
        goals=[goal_out(g) for g in progress.goals],
        items=[item_out(p) for p in progress.items],
        checkins=[CheckInOut.model_validate(c, from_attributes=True) for c in view.checkins],
        comments=[
            CommentOut(
                id=c.id, author_id=c.author_id, author=c.author.name, body=c.body, created_at=c.created_at
            )
            for c in view.comments
        ],
        conversations=[ConversationOut.model_validate(c, from_attributes=True) for c in view.conversations],
    )


def _summary_fields(progress: PlanProgress) -> dict[str, object]:
    plan = progress.plan
    return {
        "id": plan.id,
        "person_id": plan.person_id,
        "title": plan.title,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "status": plan.status,
        "shared_with_manager": plan.shared_with_manager,
        "acknowledged_at": plan.acknowledged_at,
        "items_done": progress.done,
        "items_total": progress.total,
        "percent": progress.percent,
    }


def summary_out(progress: PlanProgress, person: str) -> PlanSummaryOut:
    return PlanSummaryOut(**_summary_fields(progress), person=person, goals=len(progress.goals))


def _own_view(db: Db, plan_id: int, person_id: int | None) -> PlanOut:
    return plan_out(plan_views.plan_view(db, plan_id=plan_id, viewer_id=person_id, owner_only=True))


@router.get("/me/plans")
def list_my_plans(db: Db, principal: CurrentPrincipal) -> list[PlanSummaryOut]:
    found = plan_views.plans_with_progress(db, person_id=me(principal))
    return [summary_out(p, p.plan.person.name) for p in found]


@router.post("/me/plans", status_code=201)
def create_plan(body: PlanIn, db: Db, principal: CurrentPrincipal) -> PlanOut:
    data = body.model_dump(exclude={"conversation"})
    plan = plans.create_plan(db, person_id=me(principal), conversation=body.conversation, **data)
    db.commit()
    return _own_view(db, plan.id, plan.person_id)


@router.get("/me/plans/{plan_id}")
def get_my_plan(plan_id: Id, db: Db, principal: CurrentPrincipal) -> PlanOut:
    return _own_view(db, plan_id, principal.person_id)


@router.patch("/me/plans/{plan_id}")
def update_my_plan(plan_id: Id, body: PlanPatch, db: Db, principal: CurrentPrincipal) -> PlanOut:
    plans.update_plan(db, plan_id=plan_id, person_id=me(principal), data=body)
    db.commit()
    return _own_view(db, plan_id, me(principal))


@router.post("/me/plans/{plan_id}/goals", status_code=201)
def add_goal(plan_id: Id, body: GoalIn, db: Db, principal: CurrentPrincipal) -> GoalOut:
    goal = plans.add_goal(db, plan_id=plan_id, person_id=me(principal), **body.model_dump())
    db.commit()
    progress = plan_views.plan_progress(db, goal.plan)
    return goal_out(next(g for g in progress.goals if g.goal.id == goal.id))


@router.patch("/me/plans/{plan_id}/goals/{goal_id}")
def update_goal(plan_id: Id, goal_id: Id, body: GoalPatch, db: Db, principal: CurrentPrincipal) -> GoalOut:
    goal = plans.update_goal(db, plan_id=plan_id, goal_id=goal_id, data=body, person_id=me(principal))
    db.commit()
    progress = plan_views.plan_progress(db, goal.plan)
    return goal_out(next(g for g in progress.goals if g.goal.id == goal.id))


@router.post("/me/plans/{plan_id}/items", status_code=201)
def add_plan_item(plan_id: Id, body: PlanItemIn, db: Db, principal: CurrentPrincipal) -> ItemProgressOut:
    planned = plans.add_plan_item(db, plan_id=plan_id, person_id=me(principal), **body.model_dump())
    db.commit()
    return _item_of(db, planned.plan_id, planned.id)


def _item_of(db: Db, plan_id: int, plan_item_id: int) -> ItemProgressOut:
    progress = plan_views.plan_progress(db, plans.get_plan(db, plan_id=plan_id))
    return item_out(next(p for p in progress.items if p.planned.id == plan_item_id))


@router.post("/me/plans/{plan_id}/items/{plan_item_id}/done")
def mark_plan_item_done(
    plan_id: Id, plan_item_id: Id, body: DoneIn, db: Db, principal: CurrentPrincipal
) -> ItemProgressOut:
    plans.mark_item_done(
        db, plan_id=plan_id, plan_item_id=plan_item_id, done=body.done, person_id=me(principal)
    )
    db.commit()
    return _item_of(db, plan_id, plan_item_id)


@router.delete("/me/plans/{plan_id}/items/{plan_item_id}", status_code=204)
def remove_plan_item(plan_id: Id, plan_item_id: Id, db: Db, principal: CurrentPrincipal) -> Response:
    plans.remove_plan_item(db, plan_id=plan_id, plan_item_id=plan_item_id, person_id=me(principal))
    db.commit()
    return Response(status_code=204)


@router.post("/me/plans/{plan_id}/checkins", status_code=201)
def add_checkin(plan_id: Id, body: CheckInIn, db: Db, principal: CurrentPrincipal) -> CheckInOut:
    checkin = plans.add_checkin(db, plan_id=plan_id, author_id=me(principal), **body.model_dump())
    db.commit()
    return CheckInOut.model_validate(checkin, from_attributes=True)


@router.post("/me/plans/{plan_id}/conversations", status_code=201)
def add_conversation(
    plan_id: Id, body: ConversationIn, db: Db, principal: CurrentPrincipal
) -> ConversationOut:
    talk = plans.add_conversation(db, plan_id=plan_id, person_id=me(principal), data=body)
    db.commit()
    return ConversationOut.model_validate(talk, from_attributes=True)


@router.post("/me/plans/{plan_id}/share")
def share_plan(plan_id: Id, body: ShareIn, db: Db, principal: CurrentPrincipal) -> PlanOut:
    sharing.share_plan(db, plan_id=plan_id, person_id=me(principal), shared=body.shared)
    db.commit()
    return _own_view(db, plan_id, me(principal))


@router.get("/team/plans")
def list_team_plans(
    db: Db, principal: Manager, cursor: str | None = None, limit: Annotated[int, Query(ge=1, le=200)] = 50
) -> PlanSummaryPage:
    found = plan_views.team_plans(db, manager_id=me(principal), cursor=cursor, limit=limit)
    return PlanSummaryPage(
        plans=[summary_out(r.progress, r.person_name) for r in found.rows], next=found.next
    )


@router.get("/plans/{plan_id}")
def get_plan(plan_id: Id, db: Db, principal: CurrentPrincipal) -> PlanOut:
    return plan_out(plan_views.plan_view(db, plan_id=plan_id, viewer_id=principal.person_id))


@router.post("/plans/{plan_id}/comments", status_code=201)
def comment_on_plan(plan_id: Id, body: CommentIn, db: Db, principal: CurrentPrincipal) -> CommentOut:
    comment = sharing.comment_on_plan(db, plan_id=plan_id, manager_id=principal.person_id, body=body.body)
    db.commit()
    return CommentOut(
        id=comment.id,
        author_id=comment.author_id,
        author=comment.author.name,
        body=comment.body,
        created_at=comment.created_at,
    )


@router.post("/plans/{plan_id}/acknowledge")
def acknowledge_plan(plan_id: Id, db: Db, principal: CurrentPrincipal) -> PlanOut:
    sharing.acknowledge_plan(db, plan_id=plan_id, manager_id=principal.person_id)
    db.commit()
    return plan_out(plan_views.plan_view(db, plan_id=plan_id, viewer_id=principal.person_id))


@router.post("/me/enrolments", status_code=201)
def create_enrolment(body: TakeUpIn, db: Db, principal: CurrentPrincipal) -> EnrolmentOut:
    enrolment = records.enrol(db, person_id=me(principal), item_id=body.item_id, origin=body.origin)
    db.commit()
    return EnrolmentOut.model_validate(enrolment)


@router.get("/me/enrolments")
def list_my_enrolments(db: Db, principal: CurrentPrincipal) -> list[EnrolmentOut]:
    return [EnrolmentOut.model_validate(e) for e in records.list_enrolments(db, person_id=me(principal))]


@router.post("/me/openings", status_code=201)
def record_opening(body: TakeUpIn, db: Db, principal: CurrentPrincipal) -> OpeningOut:
    opening = records.record_opening(db, person_id=me(principal), item_id=body.item_id, origin=body.origin)
    db.commit()
    return OpeningOut.model_validate(opening)
