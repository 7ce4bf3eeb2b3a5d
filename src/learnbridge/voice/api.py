"""The needs board through the API: raise a need, vote once (or take the vote back), read the ranking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from sqlalchemy.orm import Session

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.accounts.policy import Principal
from learnbridge.core.deps import Db
from learnbridge.core.ids import Id
from learnbridge.voice import needs
from learnbridge.voice.models import Need, NeedKind, NeedStatus
from learnbridge.voice.schemas import DecisionOut, NeedIn, NeedOut, NeedPage, StatusIn, VoteOut

router = APIRouter(prefix="/needs", tags=["voice"])


def need_out(need: Need, *, voted: bool) -> NeedOut:
    return NeedOut(
        id=need.id,
        kind=NeedKind(need.kind),
        title=need.title,
        description=need.description,
        status=NeedStatus(need.status),
        votes=need.votes,
        voted=voted,
        unit_id=need.org_unit_id,
        skill_id=need.skill_id,
        private=need.private,
        frequency=need.frequency,
        minutes_lost=need.minutes_lost,
        people_affected=need.people_affected,
        weekly_cost=need.weekly_cost,
        cost=needs.cost_in_words(need),
        raised_by_id=need.raised_by_id,
        created_at=need.created_at,
        merged_into_id=need.merged_into_id,
    )


def _out(db: Session, principal: Principal, need: Need) -> NeedOut:
    voted = need.id in needs.voted_on(db, person_id=principal.person_id, need_ids=[need.id])
    return need_out(need, voted=voted)


@router.post("", status_code=201)
def raise_need(body: NeedIn, db: WriteDb, principal: CurrentPrincipal) -> NeedOut:
    """Raise a need; your vote on it is counted at once."""
    new = needs.NewNeed(**body.model_dump())
    need = needs.raise_need(db, principal=principal, new=new)
    db.commit()
    return need_out(need, voted=True)


@router.get("")
def list_needs(
    db: Db,
    principal: CurrentPrincipal,
    sort: needs.Sort = "votes",
    unit_id: Id | None = None,
    skill_id: Id | None = None,
    status: NeedStatus | None = None,
    kind: NeedKind | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> NeedPage:
    """The board as everyone sees it: by votes, by estimated weekly cost or newest first (`sort`),
    filtered by unit (and the units below it), skill, status or kind. Private needs of other units are
    left out."""
    filters = needs.NeedFilter(unit_id=unit_id, skill_id=skill_id, status=status, kind=kind)
    page = needs.needs_page(db, principal=principal, sort=sort, filters=filters, cursor=cursor, limit=limit)
    mine = needs.voted_on(db, person_id=principal.person_id, need_ids=[n.id for n in page.items])
    return NeedPage(items=[need_out(n, voted=n.id in mine) for n in page.items], next=page.next)


@router.get("/{need_id}")
def get_need(need_id: Id, db: Db, principal: CurrentPrincipal) -> NeedOut:
    return _out(db, principal, needs.get_need(db, principal=principal, need_id=need_id))


@router.post(
    "/{need_id}/votes", status_code=201, responses={200: {"description": "Already voted: nothing changed"}}
)
def vote(need_id: Id, db: WriteDb, principal: CurrentPrincipal, response: Response) -> VoteOut:
    """Vote for the need: 201 for a new vote, 200 when your vote was already there."""
    need, added = needs.vote(db, principal=principal, need_id=need_id)
    db.commit()
    if not added:
        response.status_code = 200
    return VoteOut(need_id=need.id, votes=need.votes, voted=True)


@router.delete("/{need_id}/votes")
def withdraw_vote(need_id: Id, db: WriteDb, principal: CurrentPrincipal) -> VoteOut:
    """Take your vote back (nothing changes when you had none)."""
    need, _ = needs.withdraw_vote(db, principal=principal, need_id=need_id)
    db.commit()
    return VoteOut(need_id=need.id, votes=need.votes, voted=False)


@router.post("/{need_id}/status")
def change_status(need_id: Id, body: StatusIn, db: WriteDb, principal: CurrentPrincipal) -> NeedOut:
    """Triage (L&D admins; managers on their own unit's needs): a new status with the reason everyone
    reads. Merging (`status` merged with `into_id`) moves every vote to the other need."""
    need = needs.change_status(
        db, principal=principal, need_id=need_id, status=body.status, reason=body.reason, into_id=body.into_id
    )
    db.commit()
    return _out(db, principal, need)


@router.get("/{need_id}/decisions")
def list_decisions(need_id: Id, db: Db, principal: CurrentPrincipal) -> list[DecisionOut]:
    """The need's triage decisions, oldest first, as everyone who can see the need sees them."""
    return [DecisionOut.model_validate(d) for d in needs.decisions(db, principal=principal, need_id=need_id)]
