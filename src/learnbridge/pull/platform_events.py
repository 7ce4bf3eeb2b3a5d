"""Pull's platform event (records.platform_events): a goal set in a development plan, when it is added
and whenever its skill or target level changes, is the verb `set-goal` on the goal, its plan as parent,
with the origin `plan`."""

from __future__ import annotations

import datetime as dt

from learnbridge.pull.models import DevelopmentPlan, PlanGoal
from learnbridge.records.models import Origin
from learnbridge.records.platform_events import ActivityRef, PlatformEvent
from learnbridge.records.platform_iris import OBJECTIVE, PLAN, goal_path, plan_path


def goal_set(
    plan: DevelopmentPlan, goal: PlanGoal, *, changed_at: dt.datetime | None = None
) -> PlatformEvent:
    """A new goal (no `changed_at`), or a goal whose skill or level changed at `changed_at`."""
    key = f"goal:{goal.id}:set" + (f":{changed_at.astimezone(dt.UTC).isoformat()}" if changed_at else "")
    return PlatformEvent(
        key=key,
        person_id=plan.person_id,
        verb="set-goal",
        activity=ActivityRef(id=goal_path(plan.id, goal.id), name=goal.title, type=OBJECTIVE),
        origin=Origin.plan,
        timestamp=changed_at or goal.created_at,
        parents=(ActivityRef(id=plan_path(plan.id), name=plan.title, type=PLAN),),
    )
