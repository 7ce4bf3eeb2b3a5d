"""Recording completions: one at a time (with evidence) or a CSV file from another system."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.core.csv_rows import read_csv
from learnbridge.core.db import max_length, utcnow
from learnbridge.core.errors import FieldError, Invalid, NotFound
from learnbridge.core.progress import Progress, no_progress
from learnbridge.people.models import Person
from learnbridge.records.completions import CompletionChange, NewCompletion, Recorded, record_completions
from learnbridge.records.models import Completion, CompletionSource, Enrolment, ItemOpening, Origin
from learnbridge.records.platform_events import ActivityRef, PlatformEvent, emit
from learnbridge.records.platform_iris import ITEM_TYPES, item_path

CSV_COLUMNS = ("person", "item_id", "completed_on", "evidence", "reference")
MAX_ERRORS = 1000


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
class CompletionRow:
    row: int
    person_key: str
    item_id: int
    completed_at: dt.datetime
    evidence: str
    reference: str | None


@dataclass
class ImportResult:
    created: list[Recorded] = field(default_factory=list)
    duplicates: int = 0


def import_completions(
    db: Session, text: str, *, recorded_by_id: int | None, progress: Progress = no_progress
) -> ImportResult:
    """Every row valid or nothing written. A row whose reference was imported before is skipped."""
    rows = parse_completions_csv(text)
    people = _people_by_key(db, {row.person_key for row in rows})
    items = set(db.scalars(select(LearningItem.id).where(LearningItem.id.in_({r.item_id for r in rows}))))
    errors = [
        FieldError(row=r.row, field="person", message=f"no person {r.person_key!r}")
        for r in rows
        if r.person_key.lower() not in people
    ]
    errors += [
        FieldError(row=r.row, field="item_id", message=f"no catalogue item has id {r.item_id}")
        for r in rows
        if r.item_id not in items
    ]
    if errors:
        raise Invalid(errors[:MAX_ERRORS])
    wanted = [
        NewCompletion(
            person_id=people[row.person_key.lower()],
            item_id=row.item_id,
            completed_at=row.completed_at,
            evidence=row.evidence,
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


def parse_completions_csv(text: str) -> list[CompletionRow]:
    """Columns: person (external id or e-mail), item_id, completed_on (YYYY-MM-DD or an ISO date-time),
    and optionally evidence and reference (the other system's id for the record)."""
    header, lines = read_csv(text)
    missing = [c for c in ("person", "item_id", "completed_on") if c not in header]
    if missing:
        raise Invalid([FieldError("header", f"missing column {c}") for c in missing])
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if unknown:
        raise Invalid([FieldError("header", f"unknown column {c!r}") for c in unknown])
    rows: list[CompletionRow] = []
    errors: list[FieldError] = []
    for index, cells in lines:
        row, row_errors = _parse_row(index, header, cells)
        errors += row_errors
        if row:
            rows.append(row)
        if len(errors) >= MAX_ERRORS:
            break
    if errors:
        raise Invalid(errors[:MAX_ERRORS])
    if not rows:
        raise Invalid([FieldError("file", "has no rows after the header")])
    return rows


def _parse_row(
    index: int, header: list[str], cells: list[str]
) -> tuple[CompletionRow | None, list[FieldError]]:
    if len(cells) > len(header):
        return None, [FieldError(row=index, field="row", message="has more cells than the header")]
    value = dict.fromkeys(header, "") | {key: cell.strip() for key, cell in zip(header, cells, strict=False)}
    errors = []
    person = value["person"]
    if not person:
        errors.append(FieldError(row=index, field="person", message="is required"))
    item_id = 0
    try:
        item_id = int(value["item_id"])
        if not 1 <= item_id < 2**31:
            raise ValueError
    except ValueError:
        errors.append(FieldError(row=index, field="item_id", message="must be a catalogue item id"))
    completed_at = _parse_when(value["completed_on"])
    if completed_at is None:
        errors.append(
            FieldError(row=index, field="completed_on", message="must be YYYY-MM-DD or an ISO date-time")
        )
    elif completed_at > utcnow() + dt.timedelta(minutes=5):
        errors.append(FieldError(row=index, field="completed_on", message="lies in the future"))
    reference = value.get("reference") or None
    if reference and len(reference) > max_length(Completion.reference):
        errors.append(FieldError(row=index, field="reference", message="is longer than 200 characters"))
    evidence = value.get("evidence", "")
    if len(evidence) > 4000:
        errors.append(FieldError(row=index, field="evidence", message="is longer than 4000 characters"))
    if errors or completed_at is None:
        return None, errors
    return CompletionRow(index, person, item_id, completed_at, evidence, reference), []


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
