"""Plan progress rules on plain objects: what counts as done, per goal and overall."""

from __future__ import annotations

import datetime as dt

import pytest

from learnbridge.core.errors import Invalid
from learnbridge.pull.models import DevelopmentPlan, PlanGoal, PlanItem
from learnbridge.pull.plan_views import GoalProgress, ItemProgress, PlanProgress, _item_progress
from learnbridge.pull.plans import parse_origin
from learnbridge.records.models import Origin

START = dt.date(2026, 3, 1)


def _plan() -> DevelopmentPlan:
    return DevelopmentPlan(
        id=1, person_id=7, title="Plan", period_start=START, period_end=dt.date(2026, 12, 31)
    )


def _planned(**values: object) -> PlanItem:
    return PlanItem(**({"id": 1, "plan_id": 1, "activity": "", "origin": "plan"} | values))


def test_a_completion_in_the_period_counts_and_says_how() -> None:
    planned = _planned(item_id=5)
    completed = {(7, 5): [(dt.date(2026, 2, 1), "manual"), (dt.date(2026, 5, 3), "attendance")]}
    p = _item_progress(planned, completed, {}, _plan())
    assert (p.done_by, p.done_on, p.evidence) == (
        "attendance",
        dt.date(2026, 5, 3),
        "recorded from attendance",
    )


def test_a_completion_before_the_period_does_not_count_but_a_tick_does() -> None:
    planned = _planned(item_id=5, done_at=dt.datetime(2026, 4, 1, 9, tzinfo=dt.UTC))
    p = _item_progress(planned, {(7, 5): [(dt.date(2026, 2, 1), "manual")]}, {}, _plan())
    assert (p.done_by, p.evidence) == ("hand", "ticked by you")


def test_attendance_marks_a_session_done_and_evidence_wins_over_a_tick() -> None:
    planned = _planned(session_id=9, done_at=dt.datetime(2026, 4, 1, tzinfo=dt.UTC))
    p = _item_progress(planned, {}, {(7, 9): dt.date(2026, 4, 20)}, _plan())
    assert (p.done_by, p.done_on) == ("attendance", dt.date(2026, 4, 20))
    other_person = _item_progress(_planned(session_id=9), {}, {(8, 9): dt.date(2026, 4, 20)}, _plan())
    assert not other_person.done


def test_goal_and_plan_percentages() -> None:
    goal = PlanGoal(id=3, plan_id=1, title="Coach", status="achieved")
    items = [
        ItemProgress(_planned(id=1, goal_id=3, activity="a"), "hand", START),
        ItemProgress(_planned(id=2, goal_id=3, activity="b")),
        ItemProgress(_planned(id=3, goal_id=3, activity="c")),
        ItemProgress(_planned(id=4, activity="d"), "completion", START),
    ]
    per_goal = GoalProgress(goal, items[:3])
    assert (per_goal.done, per_goal.total, per_goal.percent, per_goal.achieved) == (1, 3, 33, True)
    plan = PlanProgress(_plan(), items, [per_goal])
    assert (plan.done, plan.total, plan.percent) == (2, 4, 50)
    assert [p.title for p in plan.without_goal] == ["d"]
    assert GoalProgress(PlanGoal(id=4, plan_id=1, title="Empty"), []).percent == 0


def test_origin_from_a_form() -> None:
    assert parse_origin("recommendation") is Origin.recommendation
    with pytest.raises(Invalid) as caught:
        parse_origin("magic")
    assert caught.value.errors[0].field == "origin"
