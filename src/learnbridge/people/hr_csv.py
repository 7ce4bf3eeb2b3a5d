"""The HR CSV format: columns, and the rules each row must follow (no database needed).

Columns (header row required, order and case free): external_id and name are required; email,
manager_external_id, org_unit ("Operations / Warehouse North"), job_profile (a title), location,
hire_date (YYYY-MM-DD) and active (true/false, yes/no, 1/0; empty means true) are optional, and so are
the person's other xAPI identifiers: xapi_openid (one OpenID URI) and xapi_accounts (accounts on other
systems as "homePage|name", several separated by ";"); any `attr_<name>` column becomes the free
attribute <name>. A column the file lacks leaves that field
alone for everyone; an empty cell in a column it has clears the field. So every row must have a cell
for every column. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from learnbridge.core.csv_rows import CsvRow, read_rows
from learnbridge.core.db import max_length
from learnbridge.core.errors import FieldError
from learnbridge.core.progress import Progress, no_progress
from learnbridge.core.text_keys import nfc
from learnbridge.people.models import JobProfile, OrgUnit, Person
from learnbridge.people.service import split_unit_name
from learnbridge.people.xapi_ids import accounts_cell, openid_cell

ATTR_PREFIX = "attr_"
_TRUE = frozenset({"", "true", "yes", "y", "1", "active"})
_FALSE = frozenset({"false", "no", "n", "0", "inactive", "left"})
NAME_LIMIT = max_length(Person.name)
UNIT_NAME_LIMIT = max_length(OrgUnit.name)
UNIT_PATH_LIMIT = max_length(OrgUnit.full_name)


def _text(limit: int) -> Any:
    return StringConstraints(max_length=limit)


def _date(value: object) -> object:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a date (use YYYY-MM-DD)") from None
    return value


def _active(value: object) -> object:
    """An empty cell means active; the words HR systems write for a leaver mean not."""
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"{text!r} is not true or false")


def _name(value: str) -> str:
    """A name in NFC (core.text_keys), as it is stored; a few characters decompose in NFC, so the stored
    length is checked again."""
    value = nfc(value)
    if len(value) > NAME_LIMIT:
        raise ValueError(f"is longer than {NAME_LIMIT} characters")
    return value


def _unit(value: str) -> str:
    parts = split_unit_name(value)
    if len(value) > UNIT_PATH_LIMIT or any(len(part) > UNIT_NAME_LIMIT for part in parts):
        raise ValueError(
            f"each unit name may have {UNIT_NAME_LIMIT} characters, the whole path {UNIT_PATH_LIMIT}"
        )
    return " / ".join(parts)  # as people.service.canonical_unit_name writes it


def _openid(value: object) -> object:
    return openid_cell(value) if isinstance(value, str) else value


def _accounts(value: object) -> object:
    return accounts_cell(value) if isinstance(value, str) else value


class PersonRow(CsvRow):
    """One row of the HR CSV; a column the file lacks reads as None here, and is left alone by the import.
    Any other column the file has must be an `attr_<name>` one: those are the row's `attributes`."""

    model_config = ConfigDict(extra="allow", frozen=True)

    external_id: Annotated[str, _text(max_length(Person.external_id))]
    name: Annotated[str, _text(NAME_LIMIT), AfterValidator(_name)]
    email: Annotated[EmailStr, AfterValidator(str.lower)] | None = None
    manager_external_id: Annotated[str, _text(max_length(Person.external_id))] | None = None
    org_unit: Annotated[str, AfterValidator(_unit)] | None = None
    job_profile: Annotated[str, _text(max_length(JobProfile.title))] | None = None
    location: Annotated[str, _text(max_length(Person.location))] | None = None
    hire_date: Annotated[dt.date | None, BeforeValidator(_date)] = None
    active: Annotated[bool, BeforeValidator(_active)] = True
    # Held in the LRS's comparable form ("openid:<uri>", "account:<homePage>|<name>"): people.xapi_ids.
    xapi_openid: Annotated[str | None, BeforeValidator(_openid)] = None
    xapi_accounts: Annotated[tuple[str, ...] | None, BeforeValidator(_accounts)] = None

    def identifiers(self, column: str) -> tuple[str, ...]:
        """The row's identifiers from one of the xAPI identifier columns (none for an empty cell)."""
        if column == "xapi_openid":
            return (self.xapi_openid,) if self.xapi_openid else ()
        return self.xapi_accounts or ()

    @field_validator("manager_external_id")
    @classmethod
    def _not_themself(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and value == info.data.get("external_id"):
            raise ValueError("a person cannot manage themself")
        return value

    @property
    def attributes(self) -> dict[str, Any]:
        """The free attributes with a value: an empty cell clears (removes) that attribute."""
        extra = self.model_extra or {}
        return {key[len(ATTR_PREFIX) :]: value.strip() for key, value in extra.items() if value}


OPTIONAL = tuple(
    name for name, info in PersonRow.model_fields.items() if not info.is_required() and name != "row"
)


@dataclass
class HrFile:
    """The checked rows, and which optional columns the file has: only those are written."""

    columns: frozenset[str]
    # The free attributes the file has a column for (without the attr_ prefix).
    attributes: tuple[str, ...]
    rows: list[PersonRow]


def _is_attribute(column: str) -> bool:
    return column.startswith(ATTR_PREFIX) and len(column) > len(ATTR_PREFIX)


def parse_csv(text: str, *, progress: Progress = no_progress) -> HrFile:
    """Parse and check every row; raise Invalid listing every problem (row number and column)."""
    table = read_rows(text, PersonRow, extra_columns=_is_attribute, short_rows="refuse", progress=progress)
    duplicates: list[FieldError] = []
    _check_duplicates(table.rows, duplicates)
    table.check(duplicates)
    attributes = tuple(name[len(ATTR_PREFIX) :] for name in table.columns if _is_attribute(name))
    return HrFile(
        columns=frozenset(OPTIONAL).intersection(table.columns), attributes=attributes, rows=table.rows
    )


IDENTIFIER_COLUMNS = ("xapi_openid", "xapi_accounts")


def _check_duplicates(rows: list[PersonRow], errors: list[FieldError]) -> None:
    seen_ids: dict[str, int] = {}
    seen_emails: dict[str, int] = {}
    seen_identifiers: dict[str, int] = {}
    for row in rows:
        for column in IDENTIFIER_COLUMNS:
            for ifi in row.identifiers(column):
                if (first := seen_identifiers.setdefault(ifi, row.row)) != row.row:
                    errors.append(
                        FieldError(row=row.row, field=column, message=f"{ifi!r} already on row {first}")
                    )
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
