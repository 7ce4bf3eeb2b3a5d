"""Reading plans: progress worked out from evidence as well as ticks, the whole plan page in a handful
of queries, and a manager's list of shared plans.

Planned learning is done when the person ticked it, or when the learning record shows it:
- a catalogue item: a completion of it (not revoked) on or after the plan's period start. Earlier
  completions do not count, because a plan is about learning in its period (someone planning a
  refresher of a course they took years ago has not done it yet);
- a session: their booking on it is marked attended.
Evidence wins over a tick when both exist, because it says when and how.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from learnbridge.accounts.policy import reports_subtree
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.core.db import utcnow
from learnbridge.core.paging import keyset_page
from learnbridge.people.models import Person
from learnbridge.pull.models import (
    CheckIn,
    DevelopmentConversation,
    DevelopmentPlan,
    GoalStatus,
    PlanComment,
    PlanGoal,
    PlanItem,
    PlanStatus,
)
from learnbridge.pull.plans import get_plan
from learnbridge.pull.sharing import get_visible_plan
from learnbridge.records.models import ORIGIN_LABELS, Completion, CompletionSource, Origin
from learnbridge.sessions.models import Booking, BookingStatus, LearningSession, SessionStatus
from learnbridge.skills.models import Framework, Skill

EVIDENCE_LABELS = {
    CompletionSource.manual.value: "recorded by L&D",
    CompletionSource.csv_import.value: "imported from another system",
    CompletionSource.attendance.value: "recorded from attendance",
    CompletionSource.xapi.value: "reported by the e-learning",
}


@dataclass(frozen=True)
class ItemProgress:
    """One piece of planned learning and whether, when and how it was done."""

    planned: PlanItem
    done_by: str | None = None  # "hand", "completion" or "attendance"
    done_on: dt.date | None = None
    evidence: str = ""  # how the record knows: "recorded from attendance"

    @property
    def done(self) -> bool:
        return self.done_by is not None

    @property
    def title(self) -> str:
        if self.planned.item is not None:
            return self.planned.item.title
        if self.planned.session is not None:
            session = self.planned.session
            return session.title or session.item.title
        return self.planned.activity

    @property
    def origin_label(self) -> str:
        return ORIGIN_LABELS.get(Origin(self.planned.origin), self.planned.origin)


def _percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


class _Tally:
    """Done over planned, for a goal's learning or a whole plan's."""

    items: list[ItemProgress]

    @property
    def done(self) -> int:
        return sum(p.done for p in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> int:
        return _percent(self.done, self.total)


@dataclass(frozen=True)
class GoalProgress(_Tally):
    goal: PlanGoal
    items: list[ItemProgress]

    @property
    def achieved(self) -> bool:
        return self.goal.status == GoalStatus.achieved.value

    @property
    def level_name(self) -> str | None:
        goal = self.goal
        if goal.skill is None or goal.target_level is None:
            return None
        return goal.skill.framework.level_name(goal.target_level)


@dataclass(frozen=True)
class PlanProgress(_Tally):
    plan: DevelopmentPlan
    items: list[ItemProgress]
    goals: list[GoalProgress]

    @property
    def without_goal(self) -> list[ItemProgress]:
        return [p for p in self.items if p.planned.goal_id is None]


def plan_progress(db: Session, plan: DevelopmentPlan) -> PlanProgress:
    """Progress of one plan: done items over planned items, overall and per goal."""
    return progress_of_plans(db, [plan])[plan.id]


def progress_of_plans(db: Session, plans: Sequence[DevelopmentPlan]) -> dict[int, PlanProgress]:
    """Progress of many plans in five queries, however many plans and items."""
    ids = [plan.id for plan in plans]
    items = list(
        db.scalars(
            select(PlanItem)
            .where(PlanItem.plan_id.in_(ids))
            .order_by(PlanItem.position, PlanItem.id)
            .options(joinedload(PlanItem.item), joinedload(PlanItem.session).joinedload(LearningSession.item))
        )
    )
    goals = list(
        db.scalars(
            select(PlanGoal)
            .where(PlanGoal.plan_id.in_(ids))
            .order_by(PlanGoal.position, PlanGoal.id)
            .options(joinedload(PlanGoal.skill).joinedload(Skill.framework).selectinload(Framework.levels))
        )
    )
    if not plans:
        return {}
    completed = _completions(db, plans, items)
    attended = _attendance(db, plans, items)
    result: dict[int, PlanProgress] = {}
    for plan in plans:
        own = [_item_progress(p, completed, attended, plan) for p in items if p.plan_id == plan.id]
        per_goal = [
            GoalProgress(goal, [p for p in own if p.planned.goal_id == goal.id])
            for goal in goals
            if goal.plan_id == plan.id
        ]
        result[plan.id] = PlanProgress(plan, own, per_goal)
    return result


def _completions(
    db: Session, plans: Sequence[DevelopmentPlan], items: list[PlanItem]
) -> dict[tuple[int, int], list[tuple[dt.date, str]]]:
    """(person, item) -> their unrevoked completions since the earliest period start, oldest first."""
    item_ids = {p.item_id for p in items if p.item_id is not None}
    if not item_ids:
        return {}
    stmt = (
        select(Completion.person_id, Completion.item_id, Completion.completed_on, Completion.source)
        .where(
            Completion.person_id.in_({plan.person_id for plan in plans}),
            Completion.item_id.in_(item_ids),
            Completion.revoked_at.is_(None),
            Completion.completed_on >= min(plan.period_start for plan in plans),
        )
        .order_by(Completion.completed_on, Completion.id)
    )
    found: dict[tuple[int, int], list[tuple[dt.date, str]]] = {}
    for person_id, item_id, on, source in db.execute(stmt):
        # Each plan counts only completions in its own period: the dates stay to filter per plan.
        found.setdefault((person_id, item_id), []).append((on, source))
    return found


def _attendance(
    db: Session, plans: Sequence[DevelopmentPlan], items: list[PlanItem]
) -> dict[tuple[int, int], dt.date]:
    """(person, session) -> the day their attendance was recorded."""
    session_ids = {p.session_id for p in items if p.session_id is not None}
    if not session_ids:
        return {}
    stmt = (
        select(Booking.person_id, Booking.session_id, Booking.attendance_marked_at, LearningSession.ends_at)
        .join(LearningSession, LearningSession.id == Booking.session_id)
        .where(
            Booking.person_id.in_({plan.person_id for plan in plans}),
            Booking.session_id.in_(session_ids),
            Booking.status == BookingStatus.attended.value,
        )
    )
    return {(person, session): (marked or ends).date() for person, session, marked, ends in db.execute(stmt)}


def _item_progress(
    planned: PlanItem,
    completed: dict[tuple[int, int], list[tuple[dt.date, str]]],
    attended: dict[tuple[int, int], dt.date],
    plan: DevelopmentPlan,
) -> ItemProgress:
    person_id, start = plan.person_id, plan.period_start
    if planned.item_id is not None:
        for on, source in completed.get((person_id, planned.item_id), []):
            if on >= start:
                how = "attendance" if source == CompletionSource.attendance.value else "completion"
                return ItemProgress(planned, how, on, EVIDENCE_LABELS.get(source, source))
    if planned.session_id is not None and (day := attended.get((person_id, planned.session_id))):
        return ItemProgress(planned, "attendance", day, EVIDENCE_LABELS[CompletionSource.attendance.value])
    if planned.done_at is not None:
        return ItemProgress(planned, "hand", planned.done_at.date(), "ticked by you")
    return ItemProgress(planned)


@dataclass(frozen=True)
class PlanView:
    """Everything the plan page shows: progress, check-ins (newest first), comments, conversations."""

    plan: DevelopmentPlan
    progress: PlanProgress
    checkins: list[CheckIn]
    comments: list[PlanComment]
    conversations: list[DevelopmentConversation]
    people: dict[int, str] = field(default_factory=dict)


def plan_view(db: Session, *, plan_id: int, viewer_id: int | None, owner_only: bool = False) -> PlanView:
    """A plan as its owner sees it, or (unless owner_only) as a manager up the line sees a shared plan."""
    if owner_only:
        plan = get_plan(db, plan_id=plan_id, person_id=viewer_id if viewer_id is not None else -1)
    else:
        plan = get_visible_plan(db, plan_id=plan_id, viewer_id=viewer_id)
    return view_of(db, plan)


def view_of(db: Session, plan: DevelopmentPlan) -> PlanView:
    checkins = select(CheckIn).where(CheckIn.plan_id == plan.id).order_by(CheckIn.id.desc()).limit(100)
    comments = (
        select(PlanComment)
        .where(PlanComment.plan_id == plan.id)
        .order_by(PlanComment.id)
        .options(joinedload(PlanComment.author))
    )
    talks = select(DevelopmentConversation).where(DevelopmentConversation.plan_id == plan.id)
    view = PlanView(
        plan=plan,
        progress=plan_progress(db, plan),
        checkins=list(db.scalars(checkins)),
        comments=list(db.scalars(comments)),
        conversations=list(db.scalars(talks.order_by(DevelopmentConversation.held_on.desc()))),
    )
    wanted = {c.with_person_id for c in view.conversations} | {plan.acknowledged_by_id, plan.person_id}
    names = select(Person.id, Person.name).where(Person.id.in_({i for i in wanted if i is not None}))
    view.people.update({row[0]: row[1] for row in db.execute(names)})
    return view


@dataclass(frozen=True)
class TeamPlanRow:
    plan: DevelopmentPlan
    person_name: str
    progress: PlanProgress


@dataclass(frozen=True)
class TeamPlans:
    rows: list[TeamPlanRow]
    next: str | None


def team_plans(db: Session, *, manager_id: int, cursor: str | None = None, limit: int = 50) -> TeamPlans:
    """Active plans shared by anyone below this manager, by name; progress in the same few queries."""
    stmt = (
        select(DevelopmentPlan, Person.name)
        .join(Person, Person.id == DevelopmentPlan.person_id)
        .where(
            DevelopmentPlan.shared_with_manager.is_(True),
            DevelopmentPlan.status == PlanStatus.active.value,
            DevelopmentPlan.person_id.in_(reports_subtree(manager_id)),
        )
    )
    order = [Person.name, DevelopmentPlan.id]
    page = keyset_page(db, stmt, order=order, cursor=cursor, limit=limit)
    progress = progress_of_plans(db, [plan for plan, _ in page.items])
    rows = [TeamPlanRow(plan, name, progress[plan.id]) for plan, name in page.items]
    return TeamPlans(rows, page.next)


@dataclass(frozen=True)
class PlanChoices:
    """What the plan page offers to add: published items and upcoming sessions, by title and date."""

    items: list[LearningItem]
    sessions: list[LearningSession]


def plan_choices(db: Session) -> PlanChoices:
    items = select(LearningItem).where(LearningItem.status == ItemStatus.published.value)
    sessions = (
        select(LearningSession)
        .where(LearningSession.status == SessionStatus.scheduled.value, LearningSession.starts_at > utcnow())
        .order_by(LearningSession.starts_at, LearningSession.id)
        .options(joinedload(LearningSession.item))
        .limit(200)
    )
    return PlanChoices(
        items=list(db.scalars(items.order_by(LearningItem.title).limit(1000))),
        sessions=list(db.scalars(sessions)),
    )


def plans_with_progress(db: Session, *, person_id: int, limit: int = 100) -> list[PlanProgress]:
    """A person's plans, the newest period first, each with its progress."""
    stmt = select(DevelopmentPlan).where(DevelopmentPlan.person_id == person_id)
    order = (DevelopmentPlan.period_start.desc(), DevelopmentPlan.id.desc())
    plans = list(db.scalars(stmt.order_by(*order).limit(limit)))
    progress = progress_of_plans(db, plans)
    return [progress[plan.id] for plan in plans]
