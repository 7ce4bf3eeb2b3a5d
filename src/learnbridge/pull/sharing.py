"""Sharing a development plan: the owner shares it with their managers, who comment and acknowledge.

Who sees a plan: its owner always; when the owner shares it, their managers up the reporting line
(the direct manager and the managers above, as for team compliance). Nobody else, not L&D nor
auditors: to them a plan does not exist (404), so its existence is not revealed either."""

from __future__ import annotations

from sqlalchemy.orm import Session

from learnbridge.accounts.policy import manages
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Invalid, NotFound
from learnbridge.notify.service import notify_person
from learnbridge.people.models import Person
from learnbridge.pull.models import DevelopmentPlan, PlanComment
from learnbridge.pull.plans import get_plan


def get_visible_plan(db: Session, *, plan_id: int, viewer_id: int | None) -> DevelopmentPlan:
    """The owner's plan, or a shared plan of someone below the viewer in the reporting line."""
    plan = db.get(DevelopmentPlan, plan_id)
    if plan is None or viewer_id is None:
        raise NotFound(f"No plan {plan_id}.")
    if plan.person_id == viewer_id or _manages_shared(db, plan, viewer_id):
        return plan
    raise NotFound(f"No plan {plan_id}.")


def get_managed_plan(db: Session, *, plan_id: int, manager_id: int | None) -> DevelopmentPlan:
    """A shared plan of someone below this manager; their own or an unshared plan looks not found."""
    plan = db.get(DevelopmentPlan, plan_id)
    if plan is None or manager_id is None or not _manages_shared(db, plan, manager_id):
        raise NotFound(f"No plan {plan_id}.")
    return plan


def _manages_shared(db: Session, plan: DevelopmentPlan, manager_id: int) -> bool:
    return plan.shared_with_manager and manages(db, manager_id=manager_id, person_id=plan.person_id)


def share_plan(db: Session, *, plan_id: int, person_id: int, shared: bool) -> DevelopmentPlan:
    """Only the owner shares or unshares; sharing tells their direct manager."""
    plan = get_plan(db, plan_id=plan_id, person_id=person_id)
    if shared and not plan.shared_with_manager:
        plan.shared_with_manager = True
        plan.shared_at = utcnow()
        _tell_manager(db, plan)
    elif not shared:
        plan.shared_with_manager = False
        plan.shared_at = None
    db.flush()
    return plan


def _tell_manager(db: Session, plan: DevelopmentPlan) -> None:
    person = plan.person
    if person.manager_id is None:
        return
    notify_person(
        db,
        person_id=person.manager_id,
        subject=f"{person.name} shared their development plan",
        body=f"“{plan.title}”, {plan.period_start:%d %b %Y} to {plan.period_end:%d %b %Y}.",
        link=f"/team/plans/{plan.id}",
    )


def comment_on_plan(db: Session, *, plan_id: int, manager_id: int | None, body: str) -> PlanComment:
    """A manager up the line comments on a shared plan; the owner is told."""
    plan = get_managed_plan(db, plan_id=plan_id, manager_id=manager_id)
    body = body.strip()
    if not body:
        raise Invalid(field="body", message="write a comment")
    assert manager_id is not None
    comment = PlanComment(plan_id=plan.id, author_id=manager_id, body=body)
    db.add(comment)
    db.flush()
    author = db.get(Person, manager_id)
    name = author.name if author else "Your manager"
    notify_person(
        db,
        person_id=plan.person_id,
        subject=f"{name} commented on your development plan",
        body=body[:500],
        link=f"/plan/{plan.id}",
    )
    return comment


def acknowledge_plan(db: Session, *, plan_id: int, manager_id: int | None) -> DevelopmentPlan:
    """A manager up the line acknowledges a shared plan (again after changes moves the date on)."""
    plan = get_managed_plan(db, plan_id=plan_id, manager_id=manager_id)
    plan.acknowledged_at = utcnow()
    plan.acknowledged_by_id = manager_id
    db.flush()
    notify_person(
        db,
        person_id=plan.person_id,
        subject="Your manager acknowledged your development plan",
        body=f"“{plan.title}”",
        link=f"/plan/{plan.id}",
    )
    return plan
