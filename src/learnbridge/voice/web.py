"""The needs board's pages: the board everyone sees, raising a need (with similar needs shown while the
title is typed), a need's page with its decisions, voting, and triage for those who may."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.accounts.policy import Principal
from learnbridge.core.deps import Db, FormFields, parse_form
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.people.models import OrgUnit, Person
from learnbridge.voice import needs
from learnbridge.voice.models import Need, NeedKind, NeedStatus

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)

KIND_LABELS = {
    NeedKind.bottleneck.value: "Bottleneck",
    NeedKind.learning_need.value: "Learning need",
    NeedKind.idea.value: "Idea",
}
STATUS_LABELS = {
    NeedStatus.new.value: "New",
    NeedStatus.under_review.value: "Under review",
    NeedStatus.planned.value: "Planned",
    NeedStatus.in_progress.value: "In progress",
    NeedStatus.delivered.value: "Delivered",
    NeedStatus.declined.value: "Declined",
    NeedStatus.merged.value: "Merged",
}
SORT_LABELS = {"votes": "Most votes", "cost": "Highest cost", "recent": "Newest"}
LABELS = {"kinds": KIND_LABELS, "statuses": STATUS_LABELS, "sorts": SORT_LABELS}


class NeedForm(BaseModel):
    """The raise-a-need form: the API's fields, with the unit picked among the raiser's own units."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=3, max_length=200)
    description: str = Field(default="", max_length=5000)
    kind: NeedKind
    unit_id: Id | None = None
    private: bool = False
    frequency: int | None = Field(default=None, ge=0, le=10_000)
    minutes_lost: int | None = Field(default=None, ge=0, le=100_000)
    people_affected: int | None = Field(default=None, ge=1, le=1_000_000)


class StatusForm(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True)

    status: NeedStatus
    reason: str = Field(min_length=1, max_length=2000)
    into_id: Id | None = None


def _own_units(db: Session, principal: Principal) -> list[OrgUnit]:
    """The units a person can raise a need in from the form: their own and those above it, nearest first."""
    if principal.person_id is None:
        return []
    ids = needs.units_above(db, principal.person_id)
    found = {u.id: u for u in db.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids)))}
    return [found[i] for i in reversed(ids) if i in found]


@router.get("/needs")
def board(
    request: Request,
    db: Db,
    principal: CurrentPrincipal,
    sort: needs.Sort = "votes",
    kind: Annotated[NeedKind | Literal[""], Query()] = "",
    status: Annotated[NeedStatus | Literal[""], Query()] = "",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    filters = needs.NeedFilter(kind=kind or None, status=status or None)
    page = needs.needs_page(db, principal=principal, sort=sort, filters=filters, cursor=cursor, limit=25)
    mine = needs.voted_on(db, person_id=principal.person_id, need_ids=[n.id for n in page.items])
    units = {
        u.id: u
        for u in db.scalars(select(OrgUnit).where(OrgUnit.id.in_({n.org_unit_id for n in page.items})))
    }
    context = {
        "page": page,
        "mine": mine,
        "units": units,
        "sort": sort,
        "kind": kind,
        "status": status,
        "done": done,
        "can_vote": principal.person_id is not None,
        "cost_in_words": needs.cost_in_words,
    }
    return render(request, "voice/board.html", context | LABELS)


@router.get("/needs/new")
def new_need(request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    return render(request, "voice/new.html", {"units": _own_units(db, principal), "form": {}} | LABELS)


@router.get("/needs/similar")
def similar(
    request: Request, db: Db, principal: CurrentPrincipal, title: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """The needs like the title being typed (an htmx fragment), so people vote instead of repeating."""
    found = needs.similar_needs(db, principal=principal, text=title)
    return render(request, "voice/_similar.html", {"similar": found} | LABELS)


@router.post("/needs")
def raise_need(request: Request, db: WriteDb, principal: CurrentPrincipal, form: FormFields) -> Response:
    try:
        parsed = parse_form(NeedForm, form)
        need = needs.raise_need(db, principal=principal, new=needs.NewNeed(**parsed.model_dump()))
    except Invalid as error:
        db.rollback()
        context = {
            "units": _own_units(db, principal),
            "form": dict(form),
            "error": error,
            "errors": error.errors,
        }
        return render(request, "voice/new.html", context | LABELS, 422)
    db.commit()
    return RedirectResponse(f"/needs/{need.id}?done=raised", status_code=303)


@router.get("/needs/{need_id}")
def need_page(
    need_id: Id,
    request: Request,
    db: Db,
    principal: CurrentPrincipal,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    need = needs.get_need(db, principal=principal, need_id=need_id)
    return render(request, "voice/need.html", _need_context(db, principal, need) | {"done": done})


def _need_context(db: Session, principal: Principal, need: Need) -> dict[str, Any]:
    unit = db.get(OrgUnit, need.org_unit_id) if need.org_unit_id else None
    raiser = db.get(Person, need.raised_by_id)
    context: dict[str, Any] = {
        "need": need,
        "unit": unit,
        "raiser": raiser,
        "voted": bool(needs.voted_on(db, person_id=principal.person_id, need_ids=[need.id])),
        "can_vote": principal.person_id is not None,
        "can_triage": needs.may_triage(db, principal, need),
        "decisions": needs.decisions(db, principal=principal, need_id=need.id),
        "cost": needs.cost_in_words(need),
        "merged_into": db.get(Need, need.merged_into_id) if need.merged_into_id else None,
    }
    return context | LABELS


@router.post("/needs/{need_id}/vote")
def vote(need_id: Id, request: Request, db: WriteDb, principal: CurrentPrincipal) -> Response:
    need, _ = needs.vote(db, principal=principal, need_id=need_id)
    db.commit()
    return _voted(request, need, voted=True)


@router.post("/needs/{need_id}/unvote")
def unvote(need_id: Id, request: Request, db: WriteDb, principal: CurrentPrincipal) -> Response:
    need, _ = needs.withdraw_vote(db, principal=principal, need_id=need_id)
    db.commit()
    return _voted(request, need, voted=False)


def _voted(request: Request, need: Need, *, voted: bool) -> Response:
    if request.headers.get("hx-request"):
        return render(
            request, "voice/_vote.html", {"need": need, "voted": voted, "can_vote": True, "told": True}
        )
    return RedirectResponse(f"/needs/{need.id}?done={'voted' if voted else 'unvoted'}", status_code=303)


@router.post("/needs/{need_id}/status")
def change_status(
    need_id: Id, request: Request, db: WriteDb, principal: CurrentPrincipal, form: FormFields
) -> Response:
    try:
        parsed = parse_form(StatusForm, form)
        needs.change_status(
            db,
            principal=principal,
            need_id=need_id,
            status=parsed.status,
            reason=parsed.reason,
            into_id=parsed.into_id,
        )
    except Invalid as error:
        db.rollback()
        need = needs.get_need(db, principal=principal, need_id=need_id)
        context = _need_context(db, principal, need) | {
            "error": error,
            "errors": error.errors,
            "form": dict(form),
        }
        return render(request, "voice/need.html", context, 422)
    db.commit()
    return RedirectResponse(f"/needs/{need_id}?done=decided", status_code=303)
