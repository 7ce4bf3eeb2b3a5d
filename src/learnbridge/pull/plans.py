"""Development plans: the person writes them (goals, planned learning, check-ins). Sharing with the
manager, comments and acknowledgement: pull.sharing. Reading and progress: pull.plan_views."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.accounts.policy import manages
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.core.db import utcnow
from learnbridge.core.errors import Conflict, FieldError, Invalid, NotFound
from learnbridge.people.models import Person
from learnbridge.pull.models import (
    CheckIn,
    DevelopmentConversation,
    DevelopmentPlan,
    GoalStatus,
    PlanGoal,
    PlanItem,
    PlanStatus,
)
from learnbridge.pull.platform_events import goal_set
from learnbridge.pull.schemas import ConversationIn, GoalPatch, PlanPatch
from learnbridge.records.models import Origin
from learnbridge.records.platform_events import emit
from learnbridge.records.schemas import CHOSEN_ORIGINS, chosen
from learnbridge.sessions.models import LearningSession, SessionStatus
from learnbridge.skills.models import Skill


def parse_origin(value: str) -> Origin:
    """An origin named in a form or query string; anything else is a 422 naming `origin`."""
    try:
        return chosen(Origin(value))
    except ValueError:
        names = ", ".join(o.value for o in CHOSEN_ORIGINS)
        raise Invalid(field="origin", message=f"must be one of {names}") from None


def get_plan(db: Session, *, plan_id: int, person_id: int | None = None) -> DevelopmentPlan:
    """A plan by id; with `person_id`, only that person's own plan (anyone else's looks not found)."""
    plan = db.get(DevelopmentPlan, plan_id)
    if plan is None or (person_id is not None and plan.person_id != person_id):
        raise NotFound(f"No plan {plan_id}.")
    return plan


def _open_plan(db: Session, plan_id: int, person_id: int | None) -> DevelopmentPlan:
    plan = get_plan(db, plan_id=plan_id, person_id=person_id)
    if plan.status != PlanStatus.active.value:
        raise Conflict("This plan is closed: reopen it to change it.")
    return plan


def active_plan(db: Session, *, person_id: int) -> DevelopmentPlan | None:
    """The person's one active plan, if they have one."""
    stmt = select(DevelopmentPlan).where(
        DevelopmentPlan.person_id == person_id, DevelopmentPlan.status == PlanStatus.active.value
    )
    return db.scalars(stmt.order_by(DevelopmentPlan.id.desc()).limit(1)).first()


def _period_errors(start: dt.date, end: dt.date) -> list[FieldError]:
    if end < start:
        return [FieldError("period_end", "must be on or after the start of the period")]
    if (end - start).days > 3 * 366:
        return [FieldError("period_end", "a plan covers at most three years")]
    return []


def create_plan(
    db: Session,
    *,
    person_id: int,
    title: str,
    period_start: dt.date,
    period_end: dt.date,
    aspirations: str = "",
    conversation: ConversationIn | None = None,
) -> DevelopmentPlan:
    """A person has one active plan at a time: close the current one before starting the next."""
    errors = _period_errors(period_start, period_end)
    if len(title.strip()) < 3:
        errors.append(FieldError("title", "needs at least 3 characters"))
    if errors:
        raise Invalid(errors)
    if active_plan(db, person_id=person_id) is not None:
        raise Conflict("You already have an active plan: close it before you start a new one.")
    plan = DevelopmentPlan(
        person_id=person_id,
        title=title.strip(),
        period_start=period_start,
        period_end=period_end,
        aspirations=aspirations.strip(),
    )
    db.add(plan)
    db.flush()
    if conversation is not None:
        record_conversation(db, plan=plan, data=conversation)
    return plan


def record_conversation(
    db: Session, *, plan: DevelopmentPlan, data: ConversationIn
) -> DevelopmentConversation:
    """A dated note of a development conversation, held with the manager unless someone else is named."""
    if data.held_on > utcnow().date() + dt.timedelta(days=1):
        raise Invalid(field="conversation.held_on", message="lies in the future")
    with_id = data.with_person_id
    if with_id is None:
        with_id = db.scalar(select(Person.manager_id).where(Person.id == plan.person_id))
    elif not manages(db, manager_id=with_id, person_id=plan.person_id):
        # The plan shows this person's name: naming anyone else would let a learner look anybody up.
        message = "must be your manager or a manager above you"
        raise Invalid(field="conversation.with_person_id", message=message)
    conversation = DevelopmentConversation(
        person_id=plan.person_id,
        plan_id=plan.id,
        held_on=data.held_on,
        with_person_id=with_id,
        note=data.note,
    )
    db.add(conversation)
    db.flush()
    return conversation


def add_conversation(
    db: Session, *, plan_id: int, person_id: int, data: ConversationIn
) -> DevelopmentConversation:
    """A later development conversation, noted on the person's open plan."""
    return record_conversation(db, plan=_open_plan(db, plan_id, person_id), data=data)


def update_plan(db: Session, *, plan_id: int, person_id: int, data: PlanPatch) -> DevelopmentPlan:
    """Change a plan's fields, close it, or reopen it (only when no other plan is active)."""
    plan = get_plan(db, plan_id=plan_id, person_id=person_id)
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if plan.status != PlanStatus.active.value and changes.get("status") != PlanStatus.active:
        raise Conflict("This plan is closed: reopen it to change it.")
    start = changes.get("period_start", plan.period_start)
    end = changes.get("period_end", plan.period_end)
    if errors := _period_errors(start, end):
        raise Invalid(errors)
    if changes.get("status") == PlanStatus.active and plan.status != PlanStatus.active.value:
        other = active_plan(db, person_id=person_id)
        if other is not None:
            raise Conflict(f"“{other.title}” is active: close it before you reopen this plan.")
    for name, value in changes.items():
        setattr(plan, name, value.value if name == "status" else value)
    db.flush()
    return plan


def _goal_errors(db: Session, skill_id: int | None, level: int | None) -> list[FieldError]:
    """The level must be a step of the skill's own framework scale."""
    if skill_id is None:
        return [FieldError("target_level", "needs a skill")] if level is not None else []
    skill = db.get(Skill, skill_id)
    if skill is None:
        return [FieldError("skill_id", f"no skill has id {skill_id}")]
    levels = sorted(step.level for step in skill.framework.levels)
    if level is not None and level not in levels:
        scale = ", ".join(f"{s.level} {s.name}" for s in skill.framework.levels)
        return [FieldError("target_level", f"{skill.name} has the levels {scale or 'none'}")]
    return []


def add_goal(
    db: Session,
    *,
    plan_id: int,
    title: str,
    skill_id: int | None = None,
    target_level: int | None = None,
    target_date: dt.date | None = None,
    description: str = "",
    person_id: int | None = None,
) -> PlanGoal:
    """A goal names, if anything, a skill and a level on that skill's framework scale."""
    plan = _open_plan(db, plan_id, person_id)
    errors = _goal_errors(db, skill_id, target_level)
    if len(title.strip()) < 3:
        errors.append(FieldError("title", "needs at least 3 characters"))
    if errors:
        raise Invalid(errors)
    position = len(plan.goals)
    goal = PlanGoal(
        plan_id=plan.id,
        title=title.strip(),
        description=description.strip(),
        skill_id=skill_id,
        target_level=target_level,
        target_date=target_date,
        position=position,
    )
    db.add(goal)
    db.flush()
    emit(db, [goal_set(plan, goal)])
    return goal


def _goal_of(db: Session, plan: DevelopmentPlan, goal_id: int, field: str = "goal_id") -> PlanGoal:
    goal = db.get(PlanGoal, goal_id)
    if goal is None or goal.plan_id != plan.id:
        raise Invalid(field=field, message=f"this plan has no goal {goal_id}")
    return goal


def update_goal(
    db: Session, *, plan_id: int, goal_id: int, data: GoalPatch, person_id: int | None = None
) -> PlanGoal:
    """Change a goal or mark it achieved or dropped; the skill and level are checked together. A new
    skill or level is a goal set again."""
    plan = _open_plan(db, plan_id, person_id)
    goal = db.get(PlanGoal, goal_id)
    if goal is None or goal.plan_id != plan.id:
        raise NotFound(f"No goal {goal_id} in this plan.")
    changes = data.model_dump(exclude_unset=True)
    skill_id = changes.get("skill_id", goal.skill_id)
    level = changes.get("target_level", goal.target_level)
    if errors := _goal_errors(db, skill_id, level):
        raise Invalid(errors)
    retargeted = (skill_id, level) != (goal.skill_id, goal.target_level)
    for name, value in changes.items():
        if value is None and name in ("title", "description", "status"):
            continue
        setattr(goal, name, value.value if isinstance(value, GoalStatus) else value)
    db.flush()
    if retargeted:
        emit(db, [goal_set(plan, goal, changed_at=utcnow())])
    return goal


def add_plan_item(
    db: Session,
    *,
    plan_id: int,
    item_id: int | None = None,
    session_id: int | None = None,
    activity: str = "",
    goal_id: int | None = None,
    origin: Origin = Origin.plan,
    target_date: dt.date | None = None,
    person_id: int | None = None,
) -> PlanItem:
    """Planned learning is exactly one of a published catalogue item, a scheduled session or a
    free-text activity, optionally towards one of the plan's goals."""
    plan = _open_plan(db, plan_id, person_id)
    activity = activity.strip()
    if sum((item_id is not None, session_id is not None, bool(activity))) != 1:
        raise Invalid(field="item_id", message="choose one: a catalogue item, a session or an activity")
    if item_id is not None:
        item = db.get(LearningItem, item_id)
        if item is None or item.status != ItemStatus.published.value:
            raise Invalid(field="item_id", message=f"no published catalogue item has id {item_id}")
    if session_id is not None:
        session = db.get(LearningSession, session_id)
        if session is None or session.status != SessionStatus.scheduled.value:
            raise Invalid(field="session_id", message=f"no scheduled session has id {session_id}")
    if goal_id is not None:
        _goal_of(db, plan, goal_id)
    planned = PlanItem(
        plan_id=plan.id,
        goal_id=goal_id,
        item_id=item_id,
        session_id=session_id,
        activity=activity,
        origin=Origin(origin).value,
        target_date=target_date,
        position=len(plan.items),
    )
    db.add(planned)
    db.flush()
    return planned


def _plan_item(db: Session, plan: DevelopmentPlan, plan_item_id: int) -> PlanItem:
    planned = db.get(PlanItem, plan_item_id)
    if planned is None or planned.plan_id != plan.id:
        raise NotFound(f"No planned learning {plan_item_id} in this plan.")
    return planned


def mark_item_done(
    db: Session, *, plan_id: int, plan_item_id: int, done: bool, person_id: int | None = None
) -> PlanItem:
    """Tick or untick by hand; evidence (a completion, attendance) counts whether ticked or not."""
    planned = _plan_item(db, _open_plan(db, plan_id, person_id), plan_item_id)
    if done and planned.done_at is None:
        planned.done_at = utcnow()
    elif not done:
        planned.done_at = None
    db.flush()
    return planned


def remove_plan_item(db: Session, *, plan_id: int, plan_item_id: int, person_id: int | None = None) -> None:
    """Take planned learning off the plan (evidence of it stays in the learning record)."""
    planned = _plan_item(db, _open_plan(db, plan_id, person_id), plan_item_id)
    db.delete(planned)
    db.flush()


def add_checkin(
    db: Session,
    *,
    plan_id: int,
    author_id: int,
    note: str = "",
    progress: int | None = None,
    goal_id: int | None = None,
) -> CheckIn:
    """The owner records progress on the plan or one goal: a note, a percentage, or both."""
    plan = _open_plan(db, plan_id, author_id)
    note = note.strip()
    if not note and progress is None:
        raise Invalid(field="note", message="write a note or give a percentage")
    if progress is not None and not 0 <= progress <= 100:
        raise Invalid(field="progress", message="must be between 0 and 100")
    if goal_id is not None:
        _goal_of(db, plan, goal_id)
    checkin = CheckIn(plan_id=plan.id, goal_id=goal_id, author_id=author_id, progress=progress, note=note)
    db.add(checkin)
    db.flush()
    return checkin
