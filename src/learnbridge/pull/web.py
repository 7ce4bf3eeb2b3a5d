"""Pages for development plans ("My plan", past plans, a manager's "Team plans") and the catalogue's
Enrol and Open buttons, which record what led the person there."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.catalog.service import get_item
from learnbridge.core.deps import Db, FormFields
from learnbridge.core.errors import Invalid, invalid_from
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect, link_is_signed, sign_link
from learnbridge.core.templates import render
from learnbridge.pull import plan_views, plans, sharing
from learnbridge.pull.api import me
from learnbridge.pull.forms import Comment, Enrolment
from learnbridge.pull.models import GoalStatus
from learnbridge.pull.schemas import CheckInIn, ConversationIn, GoalPatch, PlanIn, PlanItemIn, PlanPatch
from learnbridge.records import service as records
from learnbridge.records.models import ORIGIN_LABELS
from learnbridge.skills.browse import highest_level, picked_skill

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Manager = Annotated[Principal, require_role(Role.manager)]
LABELS: dict[str, Any] = {"goal_statuses": list(GoalStatus), "origins": ORIGIN_LABELS}
M = TypeVar("M", bound=BaseModel)
Action = Callable[[FormData, int], None]


def _parsed(model: type[M], form: FormData, names: tuple[str, ...]) -> M:
    """A form's fields as an API shape: an empty optional field is no value, not an empty string."""
    data = {name: form.get(name) for name in names if form.get(name) not in (None, "")}
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc.errors()) from None


def _with_skill(db: Db, form: FormData) -> FormData:
    """The goal form with its skill picker's choice as `skill_id` (skills.browse.picked_skill): blank
    when no skill is chosen, so that an edit clears it."""
    if "skill_id" not in form and "skill_text" not in form:
        return form
    text = form.get("skill_text")
    chosen = picked_skill(
        db,
        skill_id=str(form.get("skill_id") or ""),
        text=None if text is None else str(text),
        field="skill_id",
    )
    fields = [(key, value) for key, value in form.multi_items() if key not in ("skill_id", "skill_text")]
    return FormData([*fields, ("skill_id", str(chosen or ""))])


def _see(path: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(path + (f"#{anchor}" if anchor else ""), status_code=303)


def _plan_page(request: Request, db: Db, person_id: int, plan_id: int | None, **context: Any) -> Response:
    """The owner's plan page, or the form to start one when they have no active plan."""
    status = 422 if context.get("error") else 200
    past = plan_views.plans_with_progress(db, person_id=person_id)
    if plan_id is None:
        return render(request, "pull/plan_new.html", {"past": past, **context}, status_code=status)
    view = plan_views.plan_view(db, plan_id=plan_id, viewer_id=person_id, owner_only=True)
    choices = plan_views.plan_choices(db)
    data = {"view": view, "past": past, "choices": choices, "top_level": highest_level(db), **LABELS}
    return render(request, "pull/plan.html", data | context, status_code=status)


@router.get("/plan")
def my_plan(request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    person_id = me(principal)
    active = plans.active_plan(db, person_id=person_id)
    return _plan_page(request, db, person_id, active.id if active else None)


@router.post("/plan")
def create_plan(request: Request, db: Db, principal: CurrentPrincipal, form: FormFields) -> Response:
    person_id = me(principal)
    try:
        data = _parsed(PlanIn, form, ("title", "period_start", "period_end", "aspirations"))
        talk = _parsed(ConversationIn, form, ("held_on", "note")) if form.get("held_on") else None
        plans.create_plan(
            db, person_id=person_id, conversation=talk, **data.model_dump(exclude={"conversation"})
        )
    except Invalid as exc:
        db.rollback()
        return _plan_page(request, db, person_id, None, error=exc, errors=exc.errors, values=dict(form))
    db.commit()
    return _see("/plan")


@router.get("/plan/{plan_id}")
def plan_page(plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    return _plan_page(request, db, me(principal), plan_id)


def _change(
    request: Request, db: Db, principal: Principal, form: FormData, plan_id: int, failed: str, act: Action
) -> Response:
    """Run one change to the owner's plan from a form; on a broken rule show the page again, with the
    problem beside the form that caused it."""
    person_id = me(principal)
    try:
        act(form, person_id)
    except Invalid as exc:
        db.rollback()
        return _plan_page(request, db, person_id, plan_id, error=exc, errors=exc.errors, failed=failed)
    db.commit()
    return _see(f"/plan/{plan_id}", failed)


@router.post("/plan/{plan_id}/edit")
def edit_plan(
    plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        data = _parsed(PlanPatch, form, ("title", "period_start", "period_end", "aspirations", "status"))
        if "aspirations" in form and data.aspirations is None:
            data.aspirations = ""
        plans.update_plan(db, plan_id=plan_id, person_id=person_id, data=data)

    return _change(request, db, principal, form, plan_id, "about", act)


@router.post("/plan/{plan_id}/goals")
def add_goal(
    plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        names = ("title", "skill_id", "target_level", "target_date", "description")
        data = _parsed(GoalPatch, _with_skill(db, form), names).model_dump(
            exclude={"status"}, exclude_none=True
        )
        plans.add_goal(db, plan_id=plan_id, person_id=person_id, **{"title": "", **data})

    return _change(request, db, principal, form, plan_id, "goals", act)


@router.post("/plan/{plan_id}/goals/{goal_id}")
def edit_goal(
    plan_id: Id, goal_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        names = ("title", "skill_id", "target_level", "target_date", "description", "status")
        form = _with_skill(db, form)
        data = _parsed(GoalPatch, form, names)
        # A form always sends every field: a blank one clears it.
        for name in ("skill_id", "target_level", "target_date"):
            if name in form and getattr(data, name) is None:
                setattr(data, name, None)
        plans.update_goal(db, plan_id=plan_id, goal_id=goal_id, data=data, person_id=person_id)

    return _change(request, db, principal, form, plan_id, "goals", act)


@router.post("/plan/{plan_id}/items")
def add_item(
    plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        origin = plans.parse_origin(str(form.get("origin") or "plan"))
        names = ("item_id", "session_id", "activity", "goal_id", "target_date")
        data = _parsed(PlanItemIn, form, names).model_dump() | {"origin": origin}
        plans.add_plan_item(db, plan_id=plan_id, person_id=person_id, **data)

    return _change(request, db, principal, form, plan_id, "learning", act)


@router.post("/plan/{plan_id}/items/{plan_item_id}/done")
def tick_item(
    plan_id: Id, plan_item_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        done = form.get("done") == "1"
        plans.mark_item_done(db, plan_id=plan_id, plan_item_id=plan_item_id, done=done, person_id=person_id)

    return _change(request, db, principal, form, plan_id, "learning", act)


@router.post("/plan/{plan_id}/items/{plan_item_id}/remove")
def remove_item(
    plan_id: Id, plan_item_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        plans.remove_plan_item(db, plan_id=plan_id, plan_item_id=plan_item_id, person_id=person_id)

    return _change(request, db, principal, form, plan_id, "learning", act)


@router.post("/plan/{plan_id}/checkins")
def add_checkin(
    plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        data = _parsed(CheckInIn, form, ("note", "progress", "goal_id"))
        plans.add_checkin(db, plan_id=plan_id, author_id=person_id, **data.model_dump())

    return _change(request, db, principal, form, plan_id, "checkins", act)


@router.post("/plan/{plan_id}/conversations")
def add_conversation(
    plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        data = _parsed(ConversationIn, form, ("held_on", "note"))
        plans.add_conversation(db, plan_id=plan_id, person_id=person_id, data=data)

    return _change(request, db, principal, form, plan_id, "conversations", act)


@router.post("/plan/{plan_id}/share")
def share_plan(
    plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: FormFields
) -> Response:
    def act(form: FormData, person_id: int) -> None:
        sharing.share_plan(db, plan_id=plan_id, person_id=person_id, shared=form.get("shared") == "1")

    return _change(request, db, principal, form, plan_id, "sharing", act)


@router.get("/team/plans")
def team_plans(request: Request, db: Db, principal: Manager, cursor: str | None = None) -> Response:
    found = plan_views.team_plans(db, manager_id=me(principal), cursor=cursor)
    return render(request, "pull/team_plans.html", {"found": found})


def _team_plan(request: Request, db: Db, principal: Principal, plan_id: int, **context: Any) -> Response:
    sharing.get_managed_plan(db, plan_id=plan_id, manager_id=principal.person_id)
    view = plan_views.plan_view(db, plan_id=plan_id, viewer_id=principal.person_id)
    status = 422 if context.get("error") else 200
    return render(request, "pull/team_plan.html", {"view": view, **LABELS, **context}, status_code=status)


@router.get("/team/plans/{plan_id}")
def team_plan(plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    return _team_plan(request, db, principal, plan_id)


@router.post("/team/plans/{plan_id}/comments")
def comment(plan_id: Id, request: Request, db: Db, principal: CurrentPrincipal, form: Comment) -> Response:
    try:
        sharing.comment_on_plan(db, plan_id=plan_id, manager_id=principal.person_id, body=form.body)
    except Invalid as exc:
        db.rollback()
        return _team_plan(request, db, principal, plan_id, error=exc, errors=exc.errors)
    db.commit()
    return _see(f"/team/plans/{plan_id}", "comments")


@router.post("/team/plans/{plan_id}/acknowledge")
def acknowledge(plan_id: Id, db: Db, principal: CurrentPrincipal) -> Response:
    sharing.acknowledge_plan(db, plan_id=plan_id, manager_id=principal.person_id)
    db.commit()
    return _see(f"/team/plans/{plan_id}")


@router.post("/items/{item_id}/enrol")
def enrol(item_id: Id, db: Db, principal: CurrentPrincipal, form: Enrolment) -> Response:
    origin = plans.parse_origin(form.origin)
    records.enrol(db, person_id=me(principal), item_id=item_id, origin=origin)
    db.commit()
    return _see(f"/catalog/{item_id}?enrolled=1")


OPENING = "opening"
OPENING_LINK_SECONDS = 24 * 3600


def opening_url(request: Request, item_id: int, origin: str = "self") -> str:
    """The Open link of an item, signed for the signed-in person (a template global)."""
    person_id = getattr(getattr(request.state, "account", None), "person_id", None)
    token = sign_link(request, OPENING, person_id, item_id, origin)
    return f"/items/{item_id}/open?{urlencode({'origin': origin, 't': token})}"


@router.get("/items/{item_id}/open")
def open_item(
    item_id: Id, request: Request, db: WriteDb, principal: CurrentPrincipal, origin: str = "self", t: str = ""
) -> Response:
    """Record the opening, then go to the content itself, or to the item's page when it has none. Only a
    link signed for this person counts (opening_url): another site's link to this address cannot skew
    the push/pull figures in their name; it leads to the item's page, which has the person's own link."""
    chosen = plans.parse_origin(origin)
    person_id = me(principal)
    if not link_is_signed(request, OPENING, t, person_id, item_id, origin, max_age=OPENING_LINK_SECONDS):
        return RedirectResponse(f"/catalog/{item_id}?{urlencode({'origin': origin})}", status_code=303)
    opening = records.record_opening(db, person_id=person_id, item_id=item_id, origin=chosen)
    db.commit()
    item = get_item(db, opening.item_id)
    return RedirectResponse(item.url or f"/catalog/{item_id}", status_code=303)
