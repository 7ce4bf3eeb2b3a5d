"""Rules without a database: how well a level serves a gap, plurals of job titles, session lines."""

from __future__ import annotations

import datetime as dt

from learnbridge.pull.gaps import GoalNeed, SkillGap
from learnbridge.pull.recommend.reasons import plural, session_label
from learnbridge.pull.recommend.signals import UpcomingSession, content_words


def _gap(target: int, current: int, *, goal: bool = True) -> SkillGap:
    gap = SkillGap(skill_id=1, skill="Coaching", level_names={}, max_level=5)
    if goal:
        gap.goals = [GoalNeed(goal_id=1, title="Lead", level=target)]
    else:
        gap.profile, gap.profile_level = "Lead", target
    gap.self_level = current
    return gap


def test_exact_target_fits_best_and_below_current_not_at_all() -> None:
    gap = _gap(3, 1)
    assert gap.fit(1) == 0.0
    assert gap.fit(2) < gap.fit(3) == 1.0
    assert gap.fit(4) < 1.0 and gap.fit(5) < gap.fit(4)
    assert _gap(3, 1, goal=False).fit(3) < gap.fit(3)


def test_plural_of_job_titles() -> None:
    assert plural("Warehouse Operative") == "Warehouse Operatives"
    assert plural("Sales Secretary") == "Sales Secretaries"
    assert plural("Coach") == "Coaches"


def test_session_label_in_the_sessions_time_zone() -> None:
    starts = dt.datetime(2027, 1, 11, 23, 30, tzinfo=dt.UTC)
    option = UpcomingSession(
        id=1,
        item_id=1,
        starts_at=starts,
        timezone="Europe/Amsterdam",
        location="Leeds",
        kind="classroom",
        seats_left=4,
    )
    assert session_label(option) == "Next session: 12 Jan, Leeds, 4 seats left"
    full = UpcomingSession(
        id=1, item_id=1, starts_at=starts, timezone="UTC", location="", kind="virtual", seats_left=0
    )
    assert session_label(full) == "Next session: 11 Jan, online, full, join the waiting list"


def test_content_words_drop_stopwords_and_short_words() -> None:
    assert content_words("I want to be able to coach my team in feedback") == {"coach", "team", "feedback"}
