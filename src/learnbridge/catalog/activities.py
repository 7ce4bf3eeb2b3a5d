"""The xAPI activities that count for a catalogue item, besides its own id under the base URL
(`{base_url}/catalog/{id}`) and its link: the activity ids authoring tools and other platforms use for
the same learning, of any IRI scheme (`https:`, `urn:`, `tag:` ...). An IRI counts for one item at most.

With `sub_activities`, a statement about any activity whose context names one of the item's activities as
its `parent` or `grouping` (xAPI 1.0.3 Part 2, 2.4.6.2: a question inside a course, a lesson inside a
module) counts for the item too."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemActivity, LearningItem
from learnbridge.catalog.schemas import ItemActivitiesIn
from learnbridge.core.errors import Conflict, FieldError, Invalid, NotFound

# RFC 3987's shape, loosely: a scheme, a colon, then no spaces (what xAPI's "IRI" asks for).
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class ItemActivities:
    iris: list[str]
    sub_activities: bool


def activities_of(db: Session, item_id: int) -> ItemActivities:
    item = db.get(LearningItem, item_id)
    if item is None:
        raise NotFound(f"No catalogue item {item_id}.")
    stmt = select(ItemActivity.iri).where(ItemActivity.item_id == item_id).order_by(ItemActivity.id)
    return ItemActivities(list(db.scalars(stmt)), item.xapi_sub_activities)


def set_activities(db: Session, *, item_id: int, data: ItemActivitiesIn) -> ItemActivities:
    """Replace the item's activity IRIs: each must be an absolute IRI not already another item's."""
    item = db.get(LearningItem, item_id)
    if item is None:
        raise NotFound(f"No catalogue item {item_id}.")
    iris = list(dict.fromkeys(i.strip() for i in data.iris if i.strip()))
    errors = [
        FieldError(f"iris.{n}", "must be an absolute IRI, such as urn:x:1 or https://…")
        for n, iri in enumerate(iris)
        if not _IRI.match(iri)
    ]
    if errors:
        raise Invalid(errors)
    taken = db.execute(
        select(ItemActivity.iri, ItemActivity.item_id).where(
            ItemActivity.iri.in_(iris), ItemActivity.item_id != item_id
        )
    ).first()
    if taken is not None:
        raise Conflict(f"{taken.iri} already counts for catalogue item {taken.item_id}.")
    db.execute(delete(ItemActivity).where(ItemActivity.item_id == item_id))
    db.add_all(ItemActivity(item_id=item_id, iri=iri) for iri in iris)
    item.xapi_sub_activities = data.sub_activities
    db.flush()
    return ItemActivities(iris, data.sub_activities)


def items_by_iri(db: Session, iris: Iterable[str], *, sub_activities_only: bool = False) -> dict[str, int]:
    """IRIs recorded for items -> the item ids (those whose items count sub-activities, if asked)."""
    wanted = sorted(set(iris))
    found: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        stmt = select(ItemActivity.iri, ItemActivity.item_id).where(
            ItemActivity.iri.in_(wanted[start : start + 500])
        )
        if sub_activities_only:
            stmt = stmt.join(LearningItem, LearningItem.id == ItemActivity.item_id).where(
                LearningItem.xapi_sub_activities.is_(True)
            )
        found.update(dict(db.execute(stmt).all()))
    return found
