"""Recording completions: one at a time (with evidence) or a CSV file from another system."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.core.csv_rows import CsvRow, read_rows
from learnbridge.core.db import max_length, utcnow
from learnbridge.core.errors import FieldError, Invalid, NotFound
from learnbridge.core.progress import Progress, no_progress
from learnbridge.people.models import Person
from learnbridge.records.completions import CompletionChange, NewCompletion, Recorded, record_completions
from learnbridge.records.models import Completion, CompletionSource, Enrolment, ItemOpening, Origin
from learnbridge.records.platform_events import ActivityRef, PlatformEvent, emit
from learnbridge.records.platform_iris import ITEM_TYPES, item_path


def add_completion(
    db: Session,
    *,
    person_id: int,
    item_id: int,
    completed_at: dt.datetime,
    source: CompletionSource,
    evidence: str = "",
    reference: str | None = None,
    recorded_by_id: int | None = None,
) -> tuple[Completion, CompletionChange]:
    """A completion names a known person and item and cannot lie in the future. Recorded through
    `record_completions`, so a reference recorded before is not recorded twice (the first is returned)."""
    errors = _check(db, person_id=person_id, item_id=item_id, completed_at=completed_at, evidence=evidence)
    if errors:
        raise Invalid(errors)
    wanted = NewCompletion(person_id, item_id, completed_at, evidence=evidence, reference=reference)
    change = record_completions(db, source=source, completions=[wanted], recorded_by_id=recorded_by_id)
    if change.added:
        completion = db.get(Completion, change.added[0].id)
    else:
        found = select(Completion).where(Completion.source == source.value, Completion.reference == reference)
        completion = db.scalar(found)
    assert completion is not None
    return completion, change


def _check(
    db: Session, *, person_id: int, item_id: int, completed_at: dt.datetime, evidence: str
) -> list[FieldError]:
    errors = []
    if db.get(Person, person_id) is None:
        errors.append(FieldError("person_id", f"no person has id {person_id}"))
    if db.get(LearningItem, item_id) is None:
        errors.append(FieldError("item_id", f"no catalogue item has id {item_id}"))
    if completed_at > utcnow() + dt.timedelta(minutes=5):
        errors.append(FieldError("completed_at", "lies in the future"))
    if len(evidence) > 4000:
        errors.append(FieldError("evidence", "is longer than 4000 characters"))
    return errors


@dataclass
class ImportResult:
    created: list[Recorded] = field(default_factory=list)
    duplicates: int = 0


def import_completions(
    db: Session, text: str, *, recorded_by_id: int | None, progress: Progress = no_progress
) -> ImportResult:
    """Every row valid or nothing written. A row whose reference was imported before is skipped."""
    rows = parse_completions_csv(text)
    people = _people_by_key(db, {row.person for row in rows})
    items = set(db.scalars(select(LearningItem.id).where(LearningItem.id.in_({r.item_id for r in rows}))))
    errors = [
        FieldError(row=r.row, field="person", message=f"no person {r.person!r}")
        for r in rows
        if r.person.lower() not in people
    ]
    errors += [
        FieldError(row=r.row, field="item_id", message=f"no catalogue item has id {r.item_id}")
        for r in rows
        if r.item_id not in items
    ]
    if errors:
        raise Invalid(errors)
    wanted = [
        NewCompletion(
            person_id=people[row.person.lower()],
            item_id=row.item_id,
            completed_at=row.completed_on,
            evidence=row.evidence or "",
            reference=row.reference,
        )
        for row in rows
    ]
    result = ImportResult()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        change = record_completions(
            db, source=CompletionSource.csv_import, completions=chunk, recorded_by_id=recorded_by_id
        )
        result.created += change.added
        progress("completions", start + len(chunk), len(rows))
    # A reference imported before, or twice in the file, is recorded once.
    result.duplicates = len(rows) - len(result.created)
    return result


def _people_by_key(db: Session, keys: set[str]) -> dict[str, int]:
    """External ids and e-mail addresses (case-insensitive) to person ids."""
    lowered = {key.lower() for key in keys}
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(lowered), 500):
        stmt = select(Person.id, func.lower(Person.external_id), func.lower(Person.email)).where(
            or_(func.lower(Person.external_id).in_(chunk), func.lower(Person.email).in_(chunk))
        )
        for person_id, external_id, email in db.execute(stmt):
            for key in (external_id, email):
                if key in lowered:
                    found[key] = person_id
    return found


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _item_id(value: object) -> object:
    try:
        item_id = int(str(value).strip())
    except ValueError:
        item_id = 0
    if not 1 <= item_id < 2**31:
        raise ValueError("must be a catalogue item id")
    return item_id


def _completed_at(value: object) -> object:
    when = _parse_when(str(value).strip()) if isinstance(value, str) else None
    if when is None:
        raise ValueError("must be YYYY-MM-DD or an ISO date-time")
    return when


def _not_future(when: dt.datetime) -> dt.datetime:
    if when > utcnow() + dt.timedelta(minutes=5):
        raise ValueError("lies in the future")
    return when


class CompletionRow(CsvRow):
    """One row of a completions CSV: person is an external id or an e-mail address; completed_on a day
    (YYYY-MM-DD) or an ISO date-time; reference the other system's id for the record."""

    person: str
    item_id: Annotated[int, BeforeValidator(_item_id)]
    completed_on: Annotated[dt.datetime, BeforeValidator(_completed_at), AfterValidator(_not_future)]
    evidence: Annotated[str, StringConstraints(max_length=4000)] | None = None
    reference: Annotated[str, StringConstraints(max_length=max_length(Completion.reference))] | None = None


def parse_completions_csv(text: str) -> list[CompletionRow]:
    """Every row checked; raise Invalid listing every problem (row number and column)."""
    table = read_rows(text, CompletionRow)
    table.check()
    return table.rows


def day_at_noon(day: dt.date) -> dt.datetime:
    """A completion known only by its day: noon UTC (the same day in every time zone near UTC),
    or now when that is earlier (a completion recorded on the morning it happened)."""
    noon = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    midnight = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    return min(noon, max(utcnow(), midnight))


def _parse_when(text: str) -> dt.datetime | None:
    try:
        if len(text) == 10:
            return day_at_noon(dt.date.fromisoformat(text))
        when = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return when.replace(tzinfo=dt.UTC) if when.tzinfo is None else when.astimezone(dt.UTC)


def _published_item(db: Session, item_id: int) -> LearningItem:
    item = db.get(LearningItem, item_id)
    if item is None or item.status != ItemStatus.published.value:
        raise NotFound(f"No catalogue item {item_id}.")
    return item


def enrol(db: Session, *, person_id: int, item_id: int, origin: Origin) -> Enrolment:
    """A person enrols once in a published item; enrolling again returns the first enrolment, whose
    origin stands (what first brought them to it is what the push/pull balance counts)."""
    _published_item(db, item_id)
    found = db.scalar(select(Enrolment).where(Enrolment.person_id == person_id, Enrolment.item_id == item_id))
    if found is not None:
        return found
    enrolment = Enrolment(person_id=person_id, item_id=item_id, origin=Origin(origin).value)
    try:
        with db.begin_nested():
            db.add(enrolment)
    except IntegrityError:
        # Two clicks at once: the other request's row won the unique constraint, and is the answer.
        return db.scalars(
            select(Enrolment).where(Enrolment.person_id == person_id, Enrolment.item_id == item_id)
        ).one()
    return enrolment


def enrolment_origin(db: Session, *, person_id: int, item_id: int) -> Origin | None:
    """What brought the person to the item, if they enrolled in it."""
    stmt = select(Enrolment.origin).where(Enrolment.person_id == person_id, Enrolment.item_id == item_id)
    origin = db.scalar(stmt)
    return Origin(origin) if origin is not None else None


def item_activity(item: LearningItem) -> ActivityRef:
    """A catalogue item as the activity of a platform event."""
    return ActivityRef(
        id=item_path(item.id), name=item.title, type=ITEM_TYPES.get(item.kind, ITEM_TYPES["course"])
    )


def list_enrolments(db: Session, *, person_id: int, limit: int = 200) -> list[Enrolment]:
    """A person's enrolments, newest first."""
    stmt = select(Enrolment).where(Enrolment.person_id == person_id)
    return list(db.scalars(stmt.order_by(Enrolment.enrolled_at.desc(), Enrolment.id.desc()).limit(limit)))


def record_opening(db: Session, *, person_id: int, item_id: int, origin: Origin) -> ItemOpening:
    """Every opening of a published item is kept, with what led to it, and is `launched` in the LRS."""
    item = _published_item(db, item_id)
    opening = ItemOpening(person_id=person_id, item_id=item_id, origin=Origin(origin).value)
    db.add(opening)
    db.flush()
    emit(db, [_launched(opening, item)])
    return opening


def _launched(opening: ItemOpening, item: LearningItem) -> PlatformEvent:
    return PlatformEvent(
        key=f"opening:{opening.id}",
        person_id=opening.person_id,
        verb="launched",
        activity=item_activity(item),
        origin=Origin(opening.origin),
        timestamp=opening.opened_at,
    )
