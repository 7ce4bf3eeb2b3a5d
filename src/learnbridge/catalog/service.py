"""The catalogue's rules: writing items, publishing them, browsing and searching."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from learnbridge.catalog import search
from learnbridge.catalog.models import ItemKind, ItemSkill, ItemStatus, LearningItem, PathwayStep
from learnbridge.catalog.schemas import ItemIn, ItemPatch
from learnbridge.core.db import table_of, utcnow
from learnbridge.core.errors import FieldError, Invalid, NotFound
from learnbridge.core.paging import SortKey, keyset_page
from learnbridge.people.models import Person
from learnbridge.skills.models import Framework, Skill


@dataclass(frozen=True)
class ItemFilter:
    q: str = ""
    skill_id: int | None = None
    format: str | None = None
    kind: str | None = None
    statuses: tuple[str, ...] = (ItemStatus.published.value,)


@dataclass(frozen=True)
class ItemResults:
    items: list[LearningItem]
    next: str | None


def get_item(db: Session, item_id: int, *, statuses: tuple[str, ...] | None = None) -> LearningItem:
    """An item by id; with `statuses`, one the caller may see (others look not found)."""
    item = db.get(LearningItem, item_id)
    if item is None or (statuses is not None and item.status not in statuses):
        raise NotFound(f"No catalogue item {item_id}.")
    return item


def create_item(db: Session, *, data: ItemIn, owner_id: int | None) -> LearningItem:
    """A new item always starts as a draft."""
    item = LearningItem(status=ItemStatus.draft.value)
    _apply(db, item, data)
    if item.owner_id is None:
        item.owner_id = owner_id
    db.add(item)
    db.flush()
    return item


def update_item(db: Session, *, item_id: int, data: ItemIn) -> LearningItem:
    item = get_item(db, item_id)
    _apply(db, item, data)
    if item.status == ItemStatus.published.value:
        _check_publishable(item)
    db.flush()
    return item


def patch_item(db: Session, *, item_id: int, data: ItemPatch) -> LearningItem:
    item = get_item(db, item_id)
    for name in ("title", "summary"):
        if (value := getattr(data, name)) is not None:
            setattr(item, name, value)
    if data.objectives is not None:
        _set_objectives(item, data.objectives)
    if data.status is not None:
        set_status(db, item_id=item.id, status=data.status)
    elif item.status == ItemStatus.published.value:
        _check_publishable(item)
    db.flush()
    return item


def set_status(db: Session, *, item_id: int, status: ItemStatus) -> LearningItem:
    """Publish, retire or return to draft. Publishing needs at least one learning objective:
    a learner must be able to see what an item is for."""
    item = get_item(db, item_id)
    if status == ItemStatus.published:
        _check_publishable(item)
        if item.status != ItemStatus.published.value:
            item.published_at = utcnow()
    item.status = status.value
    db.flush()
    return item


def _check_publishable(item: LearningItem) -> None:
    if not item.objectives:
        raise Invalid(field="objectives", message="add at least one learning objective before publishing")


def _set_objectives(item: LearningItem, objectives: list[str]) -> None:
    item.objectives = [line.strip() for line in objectives if line.strip()]
    item.objectives_text = "\n".join(item.objectives)


def _apply(db: Session, item: LearningItem, data: ItemIn) -> None:
    errors = _check_skills(db, data) + _check_steps(db, item, data) + _check_owner(db, data)
    if errors:
        raise Invalid(errors)
    for name in (
        "title",
        "summary",
        "duration_minutes",
        "vendor_name",
        "cost",
        "currency",
        "url",
        "owner_id",
    ):
        setattr(item, name, getattr(data, name))
    item.kind, item.format, item.provider = data.kind.value, data.format.value, data.provider.value
    _set_objectives(item, data.objectives)
    wanted = {s.skill_id: s.level for s in data.skills}
    item.skills = [link for link in item.skills if link.skill_id in wanted]
    for link in item.skills:
        link.level = wanted.pop(link.skill_id)
    item.skills.extend(ItemSkill(skill_id=skill_id, level=level) for skill_id, level in wanted.items())
    if [step.item_id for step in item.steps] != data.steps:
        item.steps.clear()
        db.flush()
        item.steps.extend(PathwayStep(item_id=i, position=n) for n, i in enumerate(data.steps, start=1))


def _check_owner(db: Session, data: ItemIn) -> list[FieldError]:
    if data.owner_id is None or db.get(Person, data.owner_id) is not None:
        return []
    return [FieldError(field="owner_id", message=f"no person has id {data.owner_id}")]


def _load_skills(db: Session, items: list[ItemIn]) -> dict[int, Skill]:
    ids = {s.skill_id for item in items for s in item.skills}
    if not ids:
        return {}
    stmt = (
        select(Skill)
        .where(Skill.id.in_(ids))
        .options(selectinload(Skill.framework).selectinload(Framework.levels))
    )
    return {skill.id: skill for skill in db.scalars(stmt)}


def _check_skills(db: Session, data: ItemIn, found: dict[int, Skill] | None = None) -> list[FieldError]:
    """Each skill exists, is listed once, and its level is on its framework's scale."""
    ids = [s.skill_id for s in data.skills]
    if len(set(ids)) != len(ids):
        return [FieldError(field="skills", message="a skill is listed twice")]
    found = found if found is not None else _load_skills(db, [data])
    errors = []
    for n, wanted in enumerate(data.skills):
        skill = found.get(wanted.skill_id)
        if skill is None:
            errors.append(FieldError(field=f"skills[{n}].skill_id", message=f"no skill {wanted.skill_id}"))
        elif skill.framework.max_level and wanted.level > skill.framework.max_level:
            message = f"{skill.name} has levels 1 to {skill.framework.max_level}"
            errors.append(FieldError(field=f"skills[{n}].level", message=message))
    return errors


def _check_steps(db: Session, item: LearningItem, data: ItemIn) -> list[FieldError]:
    """Pathways are one level deep: their steps are other items, never pathways, so no pathway
    can end up inside itself."""
    if data.kind == ItemKind.pathway and item.id is not None:
        in_pathway = db.scalar(select(exists().where(PathwayStep.item_id == item.id)))
        if in_pathway:
            return [FieldError(field="kind", message="this item is a step of a pathway, so it cannot be one")]
    if not data.steps:
        return []
    if data.kind != ItemKind.pathway:
        return [FieldError(field="steps", message="only a pathway has steps")]
    if item.id is not None and item.id in data.steps:
        return [FieldError(field="steps", message="a pathway cannot contain itself")]
    kinds = dict(
        db.execute(select(LearningItem.id, LearningItem.kind).where(LearningItem.id.in_(data.steps))).all()
    )
    missing = [str(i) for i in data.steps if i not in kinds]
    if missing:
        return [FieldError(field="steps", message=f"no items {', '.join(missing)}")]
    nested = [str(i) for i in data.steps if kinds[i] == ItemKind.pathway.value]
    return [FieldError(field="steps", message=f"items {', '.join(nested)} are pathways")] if nested else []


def find_items(
    db: Session, *, filters: ItemFilter, cursor: str | None = None, limit: int = 24
) -> ItemResults:
    """Items matching the filters: by relevance when searching, by title otherwise; keyset-paged."""
    rank = search.ranking(db, filters.q)
    stmt = _filtered(select(LearningItem), filters)
    order: list[SortKey] = [LearningItem.title, LearningItem.id]
    if rank is not None:
        if rank.join is not None:
            stmt = stmt.join(rank.join, rank.join.c.id == LearningItem.id)
        stmt, order = stmt.where(rank.match), [rank.score, LearningItem.id]
    page = keyset_page(db, stmt.options(*_eager()), order=order, cursor=cursor, limit=limit)
    return ItemResults(items=page.items, next=page.next)


def _eager() -> list[ExecutableOption]:
    """Skills with their skill and framework in one query, the frameworks' levels in another.
    Pathway steps are left to load on access: few items are pathways, and each round trip counts
    in a search."""
    skills = selectinload(LearningItem.skills).joinedload(ItemSkill.skill, innerjoin=True)
    return [skills.joinedload(Skill.framework, innerjoin=True).selectinload(Framework.levels)]


def _filtered(stmt: Select[LearningItem], filters: ItemFilter) -> Select[LearningItem]:
    stmt = stmt.where(LearningItem.status.in_(filters.statuses))
    if filters.format:
        stmt = stmt.where(LearningItem.format == filters.format)
    if filters.kind:
        stmt = stmt.where(LearningItem.kind == filters.kind)
    if filters.skill_id is not None:
        stmt = stmt.where(
            exists().where(ItemSkill.item_id == LearningItem.id, ItemSkill.skill_id == filters.skill_id)
        )
    return stmt


def import_items(
    db: Session, *, items: list[ItemIn], status: ItemStatus, owner_id: int | None = None
) -> list[int]:
    """Add many items in a few set-based statements (demo data, migrations from another system).
    Skills are checked once for the whole batch; pathway steps are left to `update_item`."""
    found = _load_skills(db, items)
    errors = [e for item in items for e in _check_skills(db, item, found)]
    if errors:
        raise Invalid(errors)
    now = utcnow()
    rows = [
        {
            **item.model_dump(include=_COLUMNS),
            "kind": item.kind.value,
            "format": item.format.value,
            "provider": item.provider.value,
            "objectives_text": "\n".join(item.objectives),
            "owner_id": item.owner_id or owner_id,
            "status": status.value,
            "created_at": now,
            "updated_at": now,
            "published_at": now if status == ItemStatus.published else None,
        }
        for item in items
    ]
    table = table_of(LearningItem)
    ids = list(db.scalars(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows))
    links = [
        {"item_id": item_id, "skill_id": s.skill_id, "level": s.level}
        for item_id, item in zip(ids, items, strict=True)
        for s in item.skills
    ]
    if links:
        db.execute(table_of(ItemSkill).insert(), links)
    db.flush()
    return ids


_COLUMNS = {"title", "summary", "objectives", "duration_minutes", "vendor_name", "cost", "currency", "url"}


def count_items_by_status(db: Session) -> dict[str, int]:
    rows = db.execute(select(LearningItem.status, func.count()).group_by(LearningItem.status))
    return dict(rows.all())
