"""A generated organisation for the recommender benchmark, with PLANTED preferences.

Skills belong to domains; each skill has its own words and its domain's words, which its items'
objectives and the goals that name it use. Each person has two latent interests (skills), a preferred
format and a job profile. What they complete is drawn from those: mostly items teaching an interest
(at a level towards their goal more often), some of their profile's skills, the rest the catalogue's
popular items, the preferred format favoured throughout. The first draws are history (loaded before
the cut date), the rest are the held-out future the recommender must find."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemFormat, ItemSkill, LearningItem
from learnbridge.core.db import table_of
from learnbridge.people.models import JobProfile, Person
from learnbridge.pull.models import DevelopmentPlan, PlanGoal
from learnbridge.records.models import Completion
from learnbridge.sessions.models import LearningSession
from learnbridge.skills.models import Framework, JobProfileSkill, ProficiencyLevel, Skill, SkillRating

CUT = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
FORMATS = [f.value for f in ItemFormat]
GENERIC = [
    "plan",
    "review",
    "practise",
    "apply",
    "explain",
    "describe",
    "improve",
    "check",
    "handle",
    "prepare",
    "use",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ren",
    "tas",
    "vo",
    "qui",
    "dar",
    "nel",
    "pho",
    "tri",
    "zen",
    "bal",
    "cor",
    "fin",
    "gus",
    "hal",
    "jor",
    "kep",
    "lum",
]
CHUNK = 20_000
Progress = Callable[[str, int, int], None]


@dataclass
class Size:
    people: int
    items: int
    skills: int
    domains: int
    profiles: int
    history: int
    future: int
    plan_share: float = 0.8
    sessions: int = 0


@dataclass
class Person_:
    id: int
    profile: int
    interests: list[int]
    targets: dict[int, int]
    fmt: str
    history: list[int] = field(default_factory=list)
    future: list[int] = field(default_factory=list)


@dataclass
class World:
    size: Size
    skill_words: dict[int, list[str]]
    skill_domain: dict[int, int]
    domain_words: list[list[str]]
    profile_skills: dict[int, dict[int, int]]
    item_skill: dict[int, tuple[int, int]]
    item_format: dict[int, str]
    item_pop: dict[int, float]
    people: list[Person_]


def _word(rng: random.Random, used: set[str]) -> str:
    while True:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        if word not in used:
            used.add(word)
            return word


def generate(size: Size, seed: int = 5) -> World:
    """The organisation and everyone's history and future, in memory."""
    rng = random.Random(seed)
    used: set[str] = set()
    domain_words = [[_word(rng, used) for _ in range(4)] for _ in range(size.domains)]
    skill_domain = {s: s % size.domains for s in range(1, size.skills + 1)}
    skill_words = {s: [_word(rng, used) for _ in range(3)] for s in skill_domain}
    profile_skills = {
        p: {rng.randint(1, size.skills): rng.randint(2, 3) for _ in range(4)}
        for p in range(1, size.profiles + 1)
    }
    item_skill = {i: (rng.randint(1, size.skills), rng.randint(1, 4)) for i in range(1, size.items + 1)}
    item_format = {i: rng.choice(FORMATS) for i in item_skill}
    order = list(item_skill)
    rng.shuffle(order)
    item_pop = {item: 1.0 / (rank + 2) ** 1.1 for rank, item in enumerate(order)}
    world = World(
        size, skill_words, skill_domain, domain_words, profile_skills, item_skill, item_format, item_pop, []
    )
    _people(world, rng)
    return world


def _people(world: World, rng: random.Random) -> None:
    by_skill: dict[int, list[int]] = {}
    for item, (skill, _) in world.item_skill.items():
        by_skill.setdefault(skill, []).append(item)
    popular = _Sampler(list(world.item_pop), list(world.item_pop.values()))
    for pid in range(1, world.size.people + 1):
        profile = rng.randint(1, world.size.profiles)
        interests = rng.sample(range(1, world.size.skills + 1), 2)
        person = Person_(
            pid, profile, interests, {s: rng.randint(2, 4) for s in interests}, rng.choice(FORMATS)
        )
        taken = _draws(world, person, rng, by_skill, popular)
        person.history, person.future = taken[: world.size.history], taken[world.size.history :]
        world.people.append(person)


class _Sampler:
    def __init__(self, items: list[int], weights: list[float]) -> None:
        self.items, self.cum = items, list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> int:
        return self.items[min(bisect.bisect(self.cum, rng.random() * self.cum[-1]), len(self.items) - 1)]


def _draws(
    world: World, p: Person_, rng: random.Random, by_skill: dict[int, list[int]], popular: _Sampler
) -> list[int]:
    wanted = world.size.history + world.size.future
    found: list[int] = []
    profile = list(world.profile_skills[p.profile])
    for _ in range(wanted * 20):
        if len(found) == wanted:
            break
        roll = rng.random()
        if roll < 0.55:
            skill = rng.choice(p.interests)
            pool = by_skill.get(skill, [])
            weights = [
                world.item_pop[i]
                * (3 if 1 < world.item_skill[i][1] <= p.targets[skill] else 1)
                * (3 if world.item_format[i] == p.fmt else 1)
                for i in pool
            ]
            item = rng.choices(pool, weights)[0] if pool else popular.draw(rng)
        elif roll < 0.7:
            pool = by_skill.get(rng.choice(profile), [])
            item = rng.choice(pool) if pool else popular.draw(rng)
        else:
            item = popular.draw(rng)
            if world.item_format[item] != p.fmt and rng.random() < 0.6:
                continue
        if item not in found:
            found.append(item)
    return found


def _chunks(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    while chunk := list(itertools.islice(rows, CHUNK)):
        yield chunk


def load(db: Session, world: World, progress: Progress) -> dict[str, int]:
    """Bulk-load the world (history only) with set-based inserts; returns row counts."""
    db.execute(
        insert(table_of(Framework)), [{"id": 1, "idnumber": "BENCH", "name": "Bench", "description": ""}]
    )
    db.execute(
        insert(table_of(ProficiencyLevel)),
        [{"framework_id": 1, "level": n, "name": f"L{n}"} for n in range(1, 5)],
    )
    counts: dict[str, int] = {}
    steps: list[tuple[str, Any, Callable[[], Iterator[dict[str, Any]]]]] = [
        ("skills", Skill, lambda: _skills(world)),
        (
            "job profiles",
            JobProfile,
            lambda: (
                {"id": p, "code": f"P{p}", "title": f"Role {p}", "description": ""}
                for p in world.profile_skills
            ),
        ),
        (
            "profile skills",
            JobProfileSkill,
            lambda: (
                {"job_profile_id": p, "skill_id": s, "level": lv}
                for p, req in world.profile_skills.items()
                for s, lv in req.items()
            ),
        ),
        ("items", LearningItem, lambda: _items(world)),
        (
            "item skills",
            ItemSkill,
            lambda: ({"item_id": i, "skill_id": s, "level": lv} for i, (s, lv) in world.item_skill.items()),
        ),
        (
            "people",
            Person,
            lambda: (
                {
                    "id": p.id,
                    "external_id": f"E{p.id}",
                    "name": f"Person {p.id}",
                    "job_profile_id": p.profile,
                    "active": True,
                    "attributes": {},
                }
                for p in world.people
            ),
        ),
        ("completions", Completion, lambda: _completions(world)),
        ("plans", DevelopmentPlan, lambda: _plans(world)),
        ("goals", PlanGoal, lambda: _goals(world)),
        (
            "ratings",
            SkillRating,
            lambda: (
                {"person_id": p.id, "skill_id": p.interests[0], "rater": "self", "level": 1}
                for p in world.people
                if p.id % 2
            ),
        ),
        ("sessions", LearningSession, lambda: _sessions(world)),
    ]
    for n, (name, model, rows) in enumerate(steps):
        progress(f"loading {name}", n, len(steps))
        counts[name] = 0
        for chunk in _chunks(rows()):
            db.execute(insert(table_of(model)), chunk)
            counts[name] += len(chunk)
    progress("loaded", len(steps), len(steps))
    return counts


def _skills(world: World) -> Iterator[dict[str, Any]]:
    for s, words in world.skill_words.items():
        yield {
            "id": s,
            "framework_id": 1,
            "idnumber": f"S{s}",
            "name": f"{words[0].title()} skill",
            "description": "",
        }


def _items(world: World) -> Iterator[dict[str, Any]]:
    rng = random.Random(1)
    for i, (skill, level) in world.item_skill.items():
        words, domain = world.skill_words[skill], world.domain_words[world.skill_domain[skill]]
        objectives = [
            f"{rng.choice(GENERIC)} {words[1]} {rng.choice(domain)} at level {level}",
            f"{rng.choice(GENERIC)} {words[2]} and {rng.choice(domain)}",
        ]
        yield {
            "id": i,
            "kind": "course",
            "title": f"{words[0].title()} {rng.choice(domain)} {i}",
            "summary": f"{rng.choice(GENERIC)} {rng.choice(domain)} {rng.choice(GENERIC)}",
            "objectives": objectives,
            "objectives_text": "\n".join(objectives),
            "format": world.item_format[i],
            "status": "published",
        }


def _completions(world: World) -> Iterator[dict[str, Any]]:
    for p in world.people:
        for n, item in enumerate(p.history):
            at = CUT - dt.timedelta(days=3 * (len(p.history) - n))
            yield {
                "person_id": p.id,
                "item_id": item,
                "completed_at": at,
                "completed_on": at.date(),
                "source": "import",
                "evidence": "",
                "recorded_at": at,
            }


def _planned(world: World) -> Iterator[Person_]:
    return (p for p in world.people if (p.id * 7919) % 100 < world.size.plan_share * 100)


def _plans(world: World) -> Iterator[dict[str, Any]]:
    for p in _planned(world):
        yield {
            "id": p.id,
            "person_id": p.id,
            "title": "My plan",
            "period_start": CUT.date(),
            "period_end": CUT.date() + dt.timedelta(days=365),
            "aspirations": "",
            "status": "active",
        }


def _goals(world: World) -> Iterator[dict[str, Any]]:
    # Most goals name their skill; some say it only in words, so that only the text can find it.
    for p in _planned(world):
        for n, skill in enumerate(p.interests):
            words, domain = world.skill_words[skill], world.domain_words[world.skill_domain[skill]]
            named = (p.id + n) % 4 != 0
            yield {
                "plan_id": p.id,
                "title": f"Get better at {words[1]} {domain[0]}",
                "description": f"I want to {words[2]} the {domain[1]}",
                "skill_id": skill if named else None,
                "target_level": p.targets[skill] if named else None,
                "status": "open",
                "position": n,
            }


def _sessions(world: World) -> Iterator[dict[str, Any]]:
    start = dt.datetime.now(dt.UTC) + dt.timedelta(days=7)
    for n in range(world.size.sessions):
        item = 1 + (n * 7) % world.size.items
        at = start + dt.timedelta(hours=n)
        yield {
            "item_id": item,
            "starts_at": at,
            "ends_at": at + dt.timedelta(hours=3),
            "location": "Leeds",
            "capacity": 12,
            "status": "scheduled",
        }
