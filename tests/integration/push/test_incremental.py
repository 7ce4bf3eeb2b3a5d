"""Incremental recomputes leave exactly what a full recompute would: random organisations, random
requirements, random HR changes and rule edits, each followed only by the recompute the app runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import LearningItem
from learnbridge.people.models import JobProfile, OrgUnit, Person
from learnbridge.push.assignments import recompute
from learnbridge.push.audience import audience_clause, explain
from learnbridge.push.compliance_counts import STATES
from learnbridge.push.date_rules import due_on, overdue_from, status_sql
from learnbridge.push.models import (
    Assignment,
    ComplianceCount,
    DueKind,
    Requirement,
    RequirementStatus,
    RuleKind,
)
from learnbridge.push.requirements import archive_requirement, people_changed, update_requirement
from learnbridge.push.schemas import RequirementIn
from tests.factories import ADMIN, make_item, make_person, make_profile, make_requirement, make_unit

TODAY = dt.date(2026, 3, 2)
LOCATIONS = ["Leeds", "York", "Hull"]
ATTRIBUTES = [("grade", "A"), ("grade", "B"), ("grade", "C"), ("shift", "day"), ("shift", "night")]

index = st.integers(min_value=0, max_value=999)  # taken modulo the number of things there are then


def mostly(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The strategy's value three times in four, else None (no unit, no location...)."""
    return st.integers(min_value=0, max_value=3).flatmap(lambda n: strategy if n else st.none())


maybe_index = mostly(index)
# Events mostly touch a few people, so that one person leaves and comes back, moves and moves again.
someone = st.integers(min_value=0, max_value=3).flatmap(lambda n: st.integers(0, 4) if n else index)
offset = st.integers(min_value=-60, max_value=60)
# Broad rules more often than narrow ones, so that most people have something to gain or lose.
RULE_KINDS = [RuleKind.everyone, RuleKind.everyone, RuleKind.unit_tree, *RuleKind]


# --- what to generate: plain data, resolved against the database when it runs ------------------------


@dataclass(frozen=True)
class PersonSpec:
    unit: int | None
    profile: int | None
    location: str | None
    attributes: dict[str, str]
    hired: int | None  # days from TODAY
    active: bool


@dataclass(frozen=True)
class RuleSpec:
    kind: RuleKind
    exclude: bool
    ref: int
    attribute: tuple[str, str]
    location: str


@dataclass(frozen=True)
class Policy:
    kind: DueKind
    days: int
    grace: int
    fixed: int  # days from TODAY, used by DueKind.fixed


@dataclass(frozen=True)
class RequirementSpec:
    rules: list[RuleSpec]
    policy: Policy


@dataclass(frozen=True)
class Event:
    what: str
    target: int = 0
    value: Any = None


@dataclass
class Scenario:
    parents: list[int | None]
    profiles: int
    people: list[PersonSpec]
    requirements: list[RequirementSpec]
    events: list[Event] = field(default_factory=list)


person_specs = st.builds(
    PersonSpec,
    unit=maybe_index,
    profile=maybe_index,
    location=mostly(st.sampled_from(LOCATIONS)),
    attributes=st.lists(st.sampled_from(ATTRIBUTES), max_size=2).map(dict),
    hired=mostly(offset),
    active=st.sampled_from([True, True, True, False]),
)


@st.composite
def rule_specs(draw: st.DrawFn, *, include: bool = False) -> RuleSpec:
    kind = draw(st.sampled_from(RULE_KINDS))
    return RuleSpec(
        kind=kind,
        exclude=not include
        and kind != RuleKind.everyone
        and draw(st.integers(min_value=0, max_value=3)) == 0,
        ref=draw(index),
        attribute=draw(st.sampled_from(ATTRIBUTES)),
        location=draw(st.sampled_from(LOCATIONS)),
    )


policies = st.builds(
    Policy,
    kind=st.sampled_from(DueKind),
    days=st.integers(min_value=0, max_value=60),
    grace=st.integers(min_value=0, max_value=10),
    fixed=offset,
)


@st.composite
def rule_lists(draw: st.DrawFn) -> list[RuleSpec]:
    """Mostly an include rule and up to two more of any kind; now and then no rule at all (nobody)."""
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        return []
    return [draw(rule_specs(include=True)), *draw(st.lists(rule_specs(), max_size=2))]


requirement_specs = st.builds(RequirementSpec, rules=rule_lists(), policy=policies)


def _event(what: str, target: st.SearchStrategy[int], value: st.SearchStrategy[Any] = st.none()) -> Any:
    return st.builds(Event, what=st.just(what), target=target, value=value)


# (kind of event, weight): hire dates matter only to after-hire policies and rule edits to one
# requirement at a time, so those come more often; "restore" puts back the rule as first written and
# "bounce" is a leave and a rejoin in a row, so that people also come back.
EVENTS = [
    (_event("join", st.just(0), person_specs), 1),
    (_event("move", someone, maybe_index), 1),
    (_event("profile", someone, maybe_index), 1),
    (_event("location", someone, st.none() | st.sampled_from(LOCATIONS)), 1),
    (_event("attribute", someone, st.tuples(st.sampled_from(ATTRIBUTES), st.booleans())), 1),  # set/clear
    (_event("leave", someone), 1),
    (_event("rejoin", someone), 1),
    (_event("bounce", someone), 1),
    (_event("hire", someone, st.none() | offset), 2),
    (_event("update", index, requirement_specs), 3),
    (_event("restore", index), 1),
    (_event("archive", index), 1),
]
events = st.sampled_from([e for e, weight in EVENTS for _ in range(weight)]).flatmap(lambda e: e)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    units = draw(st.integers(min_value=1, max_value=5))
    parents = [None] + [draw(st.none() | st.integers(min_value=0, max_value=i - 1)) for i in range(1, units)]
    return Scenario(
        parents=parents,
        profiles=draw(st.integers(min_value=1, max_value=3)),
        people=draw(st.lists(person_specs, min_size=10, max_size=30)),
        requirements=draw(st.lists(requirement_specs, min_size=2, max_size=4)),
        events=draw(st.lists(events, min_size=5, max_size=25)),
    )


# --- running a scenario ------------------------------------------------------------------------------


@dataclass
class World:
    units: list[OrgUnit]
    profiles: list[JobProfile]
    people: list[Person]
    item: LearningItem
    requirements: list[Requirement] = field(default_factory=list)
    first_specs: list[RequirementSpec] = field(default_factory=list)

    def pick(self, things: list[Any], i: int | None) -> Any:
        return None if i is None else things[i % len(things)]


def _person_values(world: World, spec: PersonSpec) -> dict[str, Any]:
    return {
        "org_unit": world.pick(world.units, spec.unit),
        "job_profile": world.pick(world.profiles, spec.profile),
        "location": spec.location,
        "attributes": dict(spec.attributes),
        "hire_date": None if spec.hired is None else TODAY + dt.timedelta(days=spec.hired),
        "active": spec.active,
    }


def _rule(world: World, spec: RuleSpec) -> dict[str, Any]:
    rule: dict[str, Any] = {"kind": spec.kind.value, "exclude": spec.exclude}
    if spec.kind in (RuleKind.unit, RuleKind.unit_tree):
        rule["org_unit_id"] = world.pick(world.units, spec.ref).id
    elif spec.kind == RuleKind.job_profile:
        rule["job_profile_id"] = world.pick(world.profiles, spec.ref).id
    elif spec.kind == RuleKind.person:
        rule["person_id"] = world.pick(world.people, spec.ref).id
    elif spec.kind == RuleKind.location:
        rule["value"] = spec.location
    elif spec.kind == RuleKind.attribute:
        rule["attribute"], rule["value"] = spec.attribute
    return rule


def _requirement_values(world: World, spec: RequirementSpec) -> dict[str, Any]:
    policy = spec.policy
    return {
        "rules": [_rule(world, r) for r in spec.rules],
        "due_kind": policy.kind.value,
        "due_days": policy.days,
        "grace_days": policy.grace,
        "due_date": TODAY + dt.timedelta(days=policy.fixed) if policy.kind == DueKind.fixed else None,
    }


def _build(db: Session, scenario: Scenario) -> World:
    units: list[OrgUnit] = []
    for parent in scenario.parents:
        units.append(make_unit(db, parent=None if parent is None else units[parent]))
    profiles = [make_profile(db) for _ in range(scenario.profiles)]
    world = World(units=units, profiles=profiles, people=[], item=make_item(db))
    world.people = [make_person(db, **_person_values(world, spec)) for spec in scenario.people]
    for spec in scenario.requirements:
        values = _requirement_values(world, spec)
        world.requirements.append(make_requirement(db, items=[world.item], today=TODAY, **values))
        world.first_specs.append(spec)
    return world


def _apply(db: Session, world: World, event: Event) -> None:
    """One change, then only the recompute the app runs for it."""
    if event.what in ("update", "restore", "archive"):
        position = event.target % len(world.requirements)
        requirement = world.requirements[position]
        if requirement.status == RequirementStatus.archived:
            return  # the app refuses to change an archived requirement
        if event.what == "archive":
            archive_requirement(db, requirement_id=requirement.id, actor=ADMIN, today=TODAY)
            return
        spec = event.value if event.what == "update" else world.first_specs[position]
        values = _requirement_values(world, spec)
        data = RequirementIn(name=requirement.name, item_ids=[world.item.id], **values)
        update_requirement(db, requirement_id=requirement.id, data=data, actor=ADMIN, today=TODAY)
        return
    if event.what == "join":
        person = make_person(db, **_person_values(world, event.value))
        world.people.append(person)
    elif event.what == "bounce":
        for step in ("leave", "rejoin"):
            _apply(db, world, Event(step, event.target))
        return
    else:
        person = world.pick(world.people, event.target)
        _change_person(world, person, event)
    db.flush()
    people_changed(db, person_ids=[person.id], today=TODAY)


def _change_person(world: World, person: Person, event: Event) -> None:
    if event.what == "move":
        person.org_unit = world.pick(world.units, event.value)
    elif event.what == "profile":
        person.job_profile = world.pick(world.profiles, event.value)
    elif event.what == "location":
        person.location = event.value
    elif event.what == "attribute":
        (name, value), keep = event.value
        # Always a new dict: a plain JSON column does not notice changes made in place.
        attributes = {k: v for k, v in (person.attributes or {}).items() if k != name}
        person.attributes = {**attributes, name: value} if keep else attributes
    elif event.what in ("leave", "rejoin"):
        person.active = event.what == "rejoin"
    elif event.what == "hire":
        person.hire_date = None if event.value is None else TODAY + dt.timedelta(days=event.value)


def _snapshot(db: Session) -> list[tuple[Any, ...]]:
    a = Assignment
    stmt = select(
        a.requirement_id, a.person_id, a.removed_at.is_not(None), a.due_on, a.overdue_from, a.org_unit_id
    ).order_by(a.requirement_id, a.person_id)
    return [tuple(row) for row in db.execute(stmt)]


def _check_counts(db: Session) -> None:
    """The compliance counts that incremental recomputes kept equal a count of the assignments."""
    c = ComplianceCount
    kept: dict[tuple[int, int, str], int] = {}
    for row in db.scalars(select(c)):
        assert row.as_of == TODAY
        for state in STATES:
            if getattr(row, state.value):
                kept[(row.requirement_id, row.org_unit_id, state.value)] = getattr(row, state.value)
    st_ = status_sql(TODAY)
    unit = func.coalesce(Assignment.org_unit_id, 0)
    stmt = (
        select(Assignment.requirement_id, unit, st_, func.count())
        .where(Assignment.removed_at.is_(None))
        .group_by(Assignment.requirement_id, unit, st_)
    )
    counted = {(r, u, state): n for r, u, state, n in db.execute(stmt)}
    assert kept == counted


def _check_against_python(db: Session, world: World, snapshot: list[tuple[Any, ...]]) -> None:
    """The SQL audience equals `explain`; open assignments are exactly the active requirements' audiences,
    with the due dates the Python rules give and the person's current unit."""
    open_rows = {(r, p): (due, late, unit) for r, p, removed, due, late, unit in snapshot if not removed}
    people = {p.id: p for p in world.people}
    for requirement in world.requirements:
        in_sql = set(db.scalars(select(Person.id).where(audience_clause(requirement.rules))))
        in_python = {pid for pid, p in people.items() if explain(requirement.rules, p)[0]}
        rules = [
            (r.kind, r.exclude, r.org_unit_id, r.job_profile_id, r.person_id, r.attribute, r.value)
            for r in requirement.rules
        ]
        assert in_sql == in_python, rules
        expected = in_python if requirement.status == RequirementStatus.active else set()
        assert {p for r, p in open_rows if r == requirement.id} == expected
        for pid in expected:
            person = people[pid]
            due = due_on(
                DueKind(requirement.due_kind),
                fixed=requirement.due_date,
                days=requirement.due_days,
                assigned_on=TODAY,
                hire_date=person.hire_date,
            )
            late = overdue_from(due, requirement.grace_days)
            assert open_rows[(requirement.id, pid)] == (due, late, person.org_unit_id)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(scenario=scenarios())
def test_incremental_recomputes_agree_with_a_full_one(db: Session, scenario: Scenario) -> None:
    savepoint = db.begin_nested()
    try:
        world = _build(db, scenario)
        for event in scenario.events:
            _apply(db, world, event)
        _check_counts(db)
        before = _snapshot(db)
        full = recompute(db, actor=ADMIN, today=TODAY)
        assert full.changed == 0, full
        assert _snapshot(db) == before
        _check_against_python(db, world, before)
    finally:
        savepoint.rollback()
