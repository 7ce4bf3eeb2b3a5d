"""The shapes scoring passes around: the person's context, loaded once per request, and each
candidate item with its signals. Apart from the service so that the reasons can read them too."""

from __future__ import annotations

from dataclasses import dataclass, field

from learnbridge.people.models import Person
from learnbridge.pull.gaps import SkillGap
from learnbridge.pull.recommend.signals import GoalText


@dataclass
class Context:
    """Everything about the person that scoring reads, loaded once per request."""

    person: Person
    profile: str | None
    gaps: dict[int, SkillGap]
    goals: list[GoalText]
    excluded: set[int]
    saved: list[int]
    formats: dict[str, float]


@dataclass
class Candidate:
    """An item that may be recommended, what put it forward, and its weighted signals."""

    item_id: int
    skills: list[tuple[int, int]] = field(default_factory=list)
    text: float = 0.0
    popular: int = 0
    popular_all: int = 0
    signals: dict[str, float] = field(default_factory=dict)

    @property
    def score(self) -> float:
        return sum(self.signals.values())
