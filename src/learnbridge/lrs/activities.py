"""The Activities resource (xAPI 1.0.3 Part 3, 2.5): one canonical definition per activity id, merged
from the statements that define it (Part 2, 2.4.4.1: the LRS SHOULD update its stored definition when a
statement brings a different one)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from learnbridge.core.db import table_of, utcnow
from learnbridge.lrs.models import Activity

# Language maps gain and replace languages; every other property is replaced whole.
LANGUAGE_MAPS = ("name", "description")


def merged_definition(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """`new` over `old`, language maps merged per language."""
    merged = dict(old) | dict(new)
    for prop in LANGUAGE_MAPS:
        if isinstance(old.get(prop), dict) and isinstance(new.get(prop), dict):
            merged[prop] = old[prop] | new[prop]
    return merged


def merge_activity_definitions(db: Session, *, definitions: Mapping[str, Mapping[str, Any]]) -> None:
    """Record the definitions statements bring, by activity id, in three statements whatever their
    number: insert the ids not yet known (a concurrent insert of the same id is skipped, not an error),
    lock every row, merge."""
    if not definitions:
        return
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    now = utcnow()
    rows = [{"activity_id": a, "definition": {}, "updated_at": now} for a in sorted(definitions)]
    db.execute(dialect.insert(table_of(Activity)).values(rows).on_conflict_do_nothing())
    stmt = select(Activity).where(Activity.activity_id.in_(list(definitions))).order_by(Activity.activity_id)
    if db.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    for activity in db.scalars(stmt.execution_options(populate_existing=True)):
        activity.definition = merged_definition(activity.definition, definitions[activity.activity_id])
        activity.updated_at = now
    db.flush()


def merge_activity_definition(db: Session, *, activity_id: str, definition: Mapping[str, Any]) -> None:
    """One activity's definition, merged as merge_activity_definitions does."""
    merge_activity_definitions(db, definitions={activity_id: definition})


def activity_object(db: Session, *, activity_id: str) -> dict[str, Any]:
    """The full Activity object; an unknown id still gets one, without a definition (Part 3, 2.5)."""
    definition = db.scalar(select(Activity.definition).where(Activity.activity_id == activity_id))
    found: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    if definition:
        found["definition"] = definition
    return found
