"""The HR CSV format: columns, and the rules each row must follow (no database needed).

Columns (header row required, order free): external_id and name are required; email,
manager_external_id, org_unit ("Operations / Warehouse North"), job_profile (a title), location,
hire_date (YYYY-MM-DD) and active (true/false, yes/no, 1/0; empty means true) are optional; any
`attr_<name>` column becomes the free attribute <name>. A column the file lacks leaves that field
alone for everyone; an empty cell in a column it has clears the field. So every row must have a cell
for every column. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from learnbridge.core.csv_rows import read_csv
from learnbridge.core.db import max_length
from learnbridge.core.errors import FieldError, Invalid
from learnbridge.core.progress import Progress, no_progress
from learnbridge.people.models import JobProfile, OrgUnit, Person
from learnbridge.people.service import canonical_unit_name, split_unit_name

REQUIRED = ("external_id", "name")
OPTIONAL = ("email", "manager_external_id", "org_unit", "job_profile", "location", "hire_date", "active")
ATTR_PREFIX = "attr_"
MAX_ERRORS = 1000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_TRUE = {"", "true", "yes", "y", "1", "active"}
_FALSE = {"false", "no", "n", "0", "inactive", "left"}


@dataclass
class PersonRow:
    row: int
    external_id: str
    name: str
    email: str | None
    manager_external_id: str | None
    org_unit: str | None
    job_profile: str | None
    location: str | None
    hire_date: dt.date | None
    active: bool
    attributes: dict[str, Any]


@dataclass
class HrFile:
    """The checked rows, and which optional columns the file has: only those are written."""

    columns: frozenset[str]
    # The free attributes the file has a column for (without the attr_ prefix).
    attributes: tuple[str, ...]
    rows: list[PersonRow]


def parse_csv(text: str, *, progress: Progress = no_progress) -> HrFile:
    """Parse and check every row; raise Invalid listing every problem (row number and field)."""
    header, lines = read_csv(text)
    errors = _check_header(header)
    if errors:
        raise Invalid(errors)
    attributes = tuple(name[len(ATTR_PREFIX) :] for name in header if name.startswith(ATTR_PREFIX))
    rows: list[PersonRow] = []
    for index, cells in lines:
        if len(cells) != len(header):
            errors.append(_wrong_width(index, len(cells), len(header)))
            continue
        parsed = _parse_row(index, dict(zip(header, cells, strict=True)), attributes, errors)
        if parsed is not None:
            rows.append(parsed)
        if index % 5000 == 0:
            progress("checking", index - 1, 0)
        if len(errors) >= MAX_ERRORS:
            break
    if not rows and not errors:
        errors.append(FieldError(row=2, field="row", message="the file has no data rows"))
    _check_duplicates(rows, errors)
    if errors:
        raise Invalid(errors)
    return HrFile(columns=frozenset(OPTIONAL).intersection(header), attributes=attributes, rows=rows)


def _wrong_width(index: int, cells: int, columns: int) -> FieldError:
    """A row with fewer cells than the header is refused, not read as empty cells: an empty cell
    clears its field, and a cut-off row must not clear anyone's."""
    if cells > columns:
        return FieldError(row=index, field="row", message="has more cells than the header")
    message = f"has {cells} cells but the header has {columns} (an empty value still needs its comma)"
    return FieldError(row=index, field="row", message=message)


def _check_header(header: list[str]) -> list[FieldError]:
    errors = [
        FieldError(row=1, field=name, message="required column is missing")
        for name in REQUIRED
        if name not in header
    ]
    known = set(REQUIRED) | set(OPTIONAL)
    for name in header:
        if name not in known and not (name.startswith(ATTR_PREFIX) and len(name) > len(ATTR_PREFIX)):
            errors.append(
                FieldError(
                    row=1,
                    field=name or "(blank)",
                    message="unknown column (free attributes start with attr_)",
                )
            )
    if len(set(header)) != len(header):
        errors.append(FieldError(row=1, field="header", message="a column name appears twice"))
    return errors


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


# The longest value each column may hold, from the tables it is stored in.
LIMITS = {
    "external_id": max_length(Person.external_id),
    "name": max_length(Person.name),
    "email": max_length(Person.email),
    "location": max_length(Person.location),
    "job_profile": max_length(JobProfile.title),
    "manager_external_id": max_length(Person.external_id),
}
UNIT_NAME_LIMIT = max_length(OrgUnit.name)
UNIT_PATH_LIMIT = max_length(OrgUnit.full_name)


def _check_lengths(index: int, raw: dict[str, str], errors: list[FieldError]) -> None:
    for field, limit in LIMITS.items():
        if len((raw.get(field) or "").strip()) > limit:
            errors.append(FieldError(row=index, field=field, message=f"is longer than {limit} characters"))
    unit = (raw.get("org_unit") or "").strip()
    if len(unit) > UNIT_PATH_LIMIT or any(len(part) > UNIT_NAME_LIMIT for part in split_unit_name(unit)):
        message = f"each unit name may have {UNIT_NAME_LIMIT} characters, the whole path {UNIT_PATH_LIMIT}"
        errors.append(FieldError(row=index, field="org_unit", message=message))


def _parse_row(
    index: int, raw: dict[str, str], attributes: tuple[str, ...], errors: list[FieldError]
) -> PersonRow | None:
    before = len(errors)
    external_id = _clean(raw.get("external_id"))
    name = _clean(raw.get("name"))
    if external_id is None:
        errors.append(FieldError(row=index, field="external_id", message="is required"))
    if name is None:
        errors.append(FieldError(row=index, field="name", message="is required"))
    email = _clean(raw.get("email"))
    if email is not None:
        email = email.lower()
        if not _EMAIL.match(email):
            errors.append(FieldError(row=index, field="email", message=f"{email!r} is not an e-mail address"))
    hire_date = None
    if (text := _clean(raw.get("hire_date"))) is not None:
        try:
            hire_date = dt.date.fromisoformat(text)
        except ValueError:
            errors.append(
                FieldError(row=index, field="hire_date", message=f"{text!r} is not a date (use YYYY-MM-DD)")
            )
    active_text = (raw.get("active") or "").strip().lower()
    if active_text not in _TRUE and active_text not in _FALSE:
        errors.append(FieldError(row=index, field="active", message=f"{active_text!r} is not true or false"))
    manager = _clean(raw.get("manager_external_id"))
    if manager is not None and manager == external_id:
        errors.append(
            FieldError(row=index, field="manager_external_id", message="a person cannot manage themself")
        )
    unit = _clean(raw.get("org_unit"))
    _check_lengths(index, raw, errors)
    if len(errors) > before:
        return None
    assert external_id is not None
    assert name is not None
    return PersonRow(
        row=index,
        external_id=external_id,
        name=name,
        email=email,
        manager_external_id=manager,
        org_unit=canonical_unit_name(unit) if unit else None,
        job_profile=_clean(raw.get("job_profile")),
        location=_clean(raw.get("location")),
        hire_date=hire_date,
        active=active_text in _TRUE,
        # Only the attributes with a value: an empty cell clears (removes) that attribute.
        attributes={name: value for name in attributes if (value := raw[ATTR_PREFIX + name].strip())},
    )


def _check_duplicates(rows: list[PersonRow], errors: list[FieldError]) -> None:
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    for row in rows:
        if (first := seen_ids.setdefault(row.external_id, row.row)) != row.row:
            errors.append(
                FieldError(
                    row=row.row, field="external_id", message=f"{row.external_id!r} already on row {first}"
                )
            )
        if row.email and (first := seen_emails.setdefault(row.email, row.row)) != row.row:
            errors.append(
                FieldError(row=row.row, field="email", message=f"{row.email!r} already on row {first}")
            )
