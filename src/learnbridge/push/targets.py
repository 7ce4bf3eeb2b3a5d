"""The scratch table a recompute fills with its targets: the (requirement, person) pairs the requirements'
audiences hold (for the people in scope), with whether each pair is new and the latest completion that
could count for it. push.assignments reads it to add, reopen, close and re-date assignments."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import (
    BindParameter,
    Boolean,
    Column,
    ColumnElement,
    Date,
    Insert,
    Integer,
    MetaData,
    Select,
    Table,
    bindparam,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
    text,
    true,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from learnbridge.core.progress import Progress
from learnbridge.people.models import Person
from learnbridge.push.audience import audience_clause
from learnbridge.push.models import (
    Assignment,
    AudienceRule,
    Requirement,
    RequirementItem,
    RequirementStatus,
    RuleKind,
)
from learnbridge.records.models import Completion

# Per connection, never in the schema: the audience of the requirements being recomputed.
_scratch = MetaData()
TARGETS = Table(
    "push_targets",
    _scratch,
    Column("requirement_id", Integer, primary_key=True),
    Column("person_id", Integer, primary_key=True),
    # Decided while the audience is written, so that adding never reads the table it writes to
    # (PostgreSQL would otherwise plan an anti join against an empty-looking, growing table).
    Column("is_new", Boolean, nullable=False),
    # For new pairs: the latest completion of any of the requirement's items, looked up once.
    Column("latest", Date),
    prefixes=["TEMPORARY"],
)


def clear_targets(db: Session) -> None:
    """Empty the scratch table. On PostgreSQL, TRUNCATE: deleted rows of a temporary table are never
    vacuumed, and a pooled connection would drag them through every later recompute."""
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("TRUNCATE push_targets"))
    else:
        db.execute(delete(TARGETS))


def fill_targets(
    db: Session, requirements: list[Requirement], person_ids: Collection[int] | None, progress: Progress
) -> None:
    TARGETS.create(db.connection(), checkfirst=True)
    clear_targets(db)
    active = [r for r in requirements if r.status == RequirementStatus.active and _may_target(r, person_ids)]
    if person_ids is not None and active:
        # A few people: one statement for every requirement (one round trip, not thirty).
        db.execute(_few_people_targets(active), {"people": list(person_ids)})
        progress("audiences", len(active), len(active))
    else:
        for done, requirement in enumerate(active, start=1):
            db.execute(insert(TARGETS).from_select(_TARGET_COLUMNS, _audience_rows(requirement, true())))
            progress("audiences", done, len(active))
    _find_latest_completions(db)


_TARGET_COLUMNS = ["requirement_id", "person_id", "is_new"]
# The few-people statement for each set of audiences met lately: building thirty audience queries was
# two thirds of an incremental recompute's time at 100,000 people (the SQL itself a tenth).
_FEW_PEOPLE: dict[tuple[object, ...], Insert] = {}
_FEW_PEOPLE_KEPT = 32


def _few_people_targets(requirements: list[Requirement]) -> Insert:
    """INSERT ... SELECT of the audiences of `requirements` among the people bound as `people`, made
    once per set of audiences (each rule and where its unit sits in the tree, which its subtree's bounds
    depend on)."""
    key = tuple((r.id, *(_rule_key(rule) for rule in r.rules)) for r in requirements)
    found = _FEW_PEOPLE.get(key)
    if found is None:
        people: BindParameter[list[int]] = bindparam("people", expanding=True)
        parts = [_audience_rows(r, Person.id.in_(people)) for r in requirements]
        found = insert(TARGETS).from_select(_TARGET_COLUMNS, union_all(*parts))
        if len(_FEW_PEOPLE) >= _FEW_PEOPLE_KEPT:
            _FEW_PEOPLE.clear()
        _FEW_PEOPLE[key] = found
    return found


def _rule_key(rule: AudienceRule) -> tuple[object, ...]:
    unit_path = rule.org_unit.path if rule.org_unit is not None else None
    where = (rule.org_unit_id, unit_path, rule.job_profile_id, rule.person_id)
    return (rule.kind, rule.exclude, *where, rule.attribute, rule.value)


def _audience_rows(requirement: Requirement, scope: ColumnElement[bool]) -> Select[int, int, bool]:
    held = exists().where(Assignment.requirement_id == requirement.id, Assignment.person_id == Person.id)
    return select(literal(requirement.id, Integer), Person.id, ~held).where(
        audience_clause(requirement.rules), scope
    )


def _find_latest_completions(db: Session) -> None:
    t = TARGETS.c
    latest = (
        select(func.max(Completion.completed_on))
        .join(RequirementItem, RequirementItem.item_id == Completion.item_id)
        .where(
            RequirementItem.requirement_id == t.requirement_id,
            Completion.person_id == t.person_id,
            Completion.satisfies_requirements(),
        )
        .scalar_subquery()
    )
    db.execute(update(TARGETS).where(t.is_new.is_(True)).values(latest=latest))


def _may_target(requirement: Requirement, person_ids: Collection[int] | None) -> bool:
    """False when the requirement only names people and none of them is in scope: skipping it keeps an
    incremental recompute cheap however many manager assignments exist."""
    includes = [r for r in requirement.rules if not r.exclude]
    if person_ids is None or any(r.kind != RuleKind.person for r in includes):
        return True
    wanted = set(person_ids)
    return any(r.person_id in wanted for r in includes)


def is_target() -> ColumnElement[bool]:
    t = TARGETS.c
    return exists().where(t.requirement_id == Assignment.requirement_id, t.person_id == Assignment.person_id)
