"""Pages: For you (recommendations with their reasons, saved items), My skills (self ratings, gaps),
a manager's rating of a report's skills, and the offering gap for L&D."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.deps import Db
from learnbridge.core.errors import Forbidden, Invalid
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.people.models import Person
from learnbridge.pull import offering
from learnbridge.pull.gaps import skill_profile
from learnbridge.pull.recommend import service as recommend
from learnbridge.pull.recommend.api import person_of
from learnbridge.pull.recommend.forms import Feedback, Rating, RatingForm
from learnbridge.pull.recommend.reasons import session_label
from learnbridge.skills import service as skills
from learnbridge.skills.browse import picked_skill
from learnbridge.skills.models import Rater

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Reader = Annotated[Principal, require_role(Role.ld_admin, Role.auditor)]
Manager = Annotated[Principal, require_role(Role.manager)]


@router.get("/for-you")
def for_you(request: Request, db: Db, principal: CurrentPrincipal, told: str = "") -> Response:
    page = recommend.for_you(db, person_id=person_of(principal))
    return render(request, "pull/for_you.html", {"page": page, "session_label": session_label, "told": told})


@router.post("/for-you/feedback")
def for_you_feedback(db: Db, principal: CurrentPrincipal, form: Feedback) -> Response:
    person_id = person_of(principal)
    recommend.record_feedback(db, person_id=person_id, item_id=form.item_id, action=form.action)
    db.commit()
    return RedirectResponse(f"/for-you?told={form.action.value}", status_code=303)


def _rated_skill(db: Db, form: RatingForm) -> int:
    """The skill a rating form names: a row's own, or what its skill picker chose."""
    skill_id = picked_skill(db, skill_id=form.skill_id, text=form.skill_text, field="skill_id")
    if skill_id is None:
        raise Invalid(field="skill_id", message="choose the skill to rate")
    return skill_id


@router.get("/me/skills")
def my_skills(request: Request, db: Db, principal: CurrentPrincipal, saved: str = "") -> Response:
    return _my_skills(request, db, person_of(principal), saved=saved)


def _my_skills(
    request: Request, db: Db, person_id: int, *, saved: str = "", error: Invalid | None = None
) -> Response:
    context = {
        "rows": skill_profile(db, person_id=person_id),
        "saved": saved,
        "error": error,
        "errors": error.errors if error else [],
    }
    return render(request, "pull/my_skills.html", context, status_code=422 if error else 200)


@router.post("/me/skills/rating")
def rate_my_skill(request: Request, db: Db, principal: CurrentPrincipal, form: Rating) -> Response:
    person_id = person_of(principal)
    try:
        skills.rate_skill(
            db,
            person_id=person_id,
            skill_id=_rated_skill(db, form),
            level=form.level,
            rater=Rater.self,
            rated_by_id=person_id,
        )
    except Invalid as exc:
        db.rollback()
        return _my_skills(request, db, person_id, error=exc)
    db.commit()
    return RedirectResponse("/me/skills?saved=1", status_code=303)


@router.get("/team/skills/{person_id}")
def team_skills(person_id: Id, request: Request, db: Db, principal: Manager, saved: str = "") -> Response:
    return _team_skills(request, db, principal, person_id, saved=saved)


def _team_skills(
    request: Request,
    db: Db,
    principal: Principal,
    person_id: int,
    *,
    saved: str = "",
    error: Invalid | None = None,
) -> Response:
    if not skills.is_manager_of(db, manager_id=person_of(principal), person_id=person_id):
        raise Forbidden("Only a manager of this person rates their skills.")
    context = {
        "person": db.get(Person, person_id),
        "rows": skill_profile(db, person_id=person_id, shared_only=True),
        "saved": saved,
        "error": error,
        "errors": error.errors if error else [],
    }
    return render(request, "pull/team_skills.html", context, status_code=422 if error else 200)


@router.post("/team/skills/{person_id}/rating")
def rate_report(person_id: Id, request: Request, db: Db, principal: Manager, form: Rating) -> Response:
    try:
        skills.rate_skill(
            db,
            person_id=person_id,
            skill_id=_rated_skill(db, form),
            level=form.level,
            rater=Rater.manager,
            rated_by_id=person_of(principal),
        )
    except Invalid as exc:
        db.rollback()
        return _team_skills(request, db, principal, person_id, error=exc)
    db.commit()
    return RedirectResponse(f"/team/skills/{person_id}?saved=1", status_code=303)


@router.get("/admin/offering-gap")
def offering_gap(
    request: Request, db: Db, _: Reader, all: bool = False, sort: Literal["demand", "skill"] = "demand"
) -> Response:
    rows = offering.offering_gaps(db, gaps_only=not all, sort=sort)
    return render(request, "pull/offering_gap.html", {"rows": rows, "all": all, "sort": sort})
