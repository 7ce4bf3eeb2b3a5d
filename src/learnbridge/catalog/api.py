"""Catalogue JSON API under /api/v1/catalog."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.accounts.policy import Principal, can_change_catalog, can_view_drafts, require
from learnbridge.catalog import activities, service
from learnbridge.catalog.models import ItemFormat, ItemKind, ItemStatus, LearningItem
from learnbridge.catalog.schemas import (
    ItemActivitiesIn,
    ItemActivitiesOut,
    ItemIn,
    ItemOut,
    ItemPage,
    ItemPatch,
    SkillLevelOut,
)
from learnbridge.core.deps import Db
from learnbridge.core.ids import Id

router = APIRouter(prefix="/catalog", tags=["catalog"])


def visible_statuses(principal: Principal, wanted: ItemStatus | None = None) -> tuple[str, ...]:
    """Learners see published items; L&D admins and auditors see every status (or the one asked for)."""
    if not can_view_drafts(principal):
        return (ItemStatus.published.value,)
    return (wanted.value,) if wanted else tuple(s.value for s in ItemStatus)


def item_out(item: LearningItem, statuses: tuple[str, ...]) -> ItemOut:
    return ItemOut(
        id=item.id,
        kind=item.kind,
        title=item.title,
        summary=item.summary,
        objectives=list(item.objectives),
        skills=[
            SkillLevelOut(
                skill_id=link.skill_id,
                skill=link.skill.name,
                level=link.level,
                level_name=link.skill.framework.level_name(link.level),
            )
            for link in item.skills
        ],
        duration_minutes=item.duration_minutes,
        format=item.format,
        provider=item.provider,
        vendor_name=item.vendor_name,
        cost=item.cost,
        currency=item.currency,
        url=item.url,
        owner_id=item.owner_id,
        status=item.status,
        steps=[step.id for step in item.visible_steps(statuses)] if item.kind == ItemKind.pathway else [],
        updated_at=item.updated_at,
        published_at=item.published_at,
    )


@router.get("/items")
def list_items(
    db: Db,
    principal: CurrentPrincipal,
    q: Annotated[str, Query(max_length=200, description="Full-text search; results by relevance")] = "",
    skill: Id | None = None,
    format: ItemFormat | None = None,
    kind: ItemKind | None = None,
    status: ItemStatus | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ItemPage:
    filters = service.ItemFilter(
        q=q,
        skill_id=skill,
        format=format.value if format else None,
        kind=kind.value if kind else None,
        statuses=visible_statuses(principal, status),
    )
    results = service.find_items(db, filters=filters, cursor=cursor, limit=limit)
    statuses = visible_statuses(principal)
    return ItemPage(items=[item_out(i, statuses) for i in results.items], next=results.next)


@router.get("/items/{item_id}")
def get_item(item_id: Id, db: Db, principal: CurrentPrincipal) -> ItemOut:
    statuses = visible_statuses(principal)
    return item_out(service.get_item(db, item_id, statuses=statuses), statuses)


@router.post("/items", status_code=201)
def create_item(body: ItemIn, db: Db, principal: CurrentPrincipal) -> ItemOut:
    require(can_change_catalog(principal), "Only L&D admins change the catalogue.")
    item = service.create_item(db, data=body, owner_id=principal.person_id)
    db.commit()
    return item_out(item, visible_statuses(principal))


@router.put("/items/{item_id}")
def replace_item(item_id: Id, body: ItemIn, db: Db, principal: CurrentPrincipal) -> ItemOut:
    require(can_change_catalog(principal), "Only L&D admins change the catalogue.")
    item = service.update_item(db, item_id=item_id, data=body)
    db.commit()
    return item_out(item, visible_statuses(principal))


@router.patch("/items/{item_id}")
def patch_item(item_id: Id, body: ItemPatch, db: Db, principal: CurrentPrincipal) -> ItemOut:
    require(can_change_catalog(principal), "Only L&D admins change the catalogue.")
    item = service.patch_item(db, item_id=item_id, data=body)
    db.commit()
    return item_out(item, visible_statuses(principal))


@router.get("/items/{item_id}/xapi-activities")
def get_item_activities(item_id: Id, db: Db, principal: CurrentPrincipal) -> ItemActivitiesOut:
    """The xAPI activity IRIs whose statements count for the item (besides its own id and link), and
    whether statements about their sub-activities (context parent or grouping) count too."""
    require(can_view_drafts(principal), "Only L&D admins and auditors see an item's xAPI activities.")
    found = activities.activities_of(db, item_id)
    return ItemActivitiesOut(iris=found.iris, sub_activities=found.sub_activities)


@router.put("/items/{item_id}/xapi-activities")
def replace_item_activities(
    item_id: Id, body: ItemActivitiesIn, db: WriteDb, principal: CurrentPrincipal
) -> ItemActivitiesOut:
    """Replace them: absolute IRIs of any scheme, each counting for one item at most (409 otherwise)."""
    require(can_change_catalog(principal), "Only L&D admins change the catalogue.")
    found = activities.set_activities(db, item_id=item_id, data=body)
    db.commit()
    return ItemActivitiesOut(iris=found.iris, sub_activities=found.sub_activities)
