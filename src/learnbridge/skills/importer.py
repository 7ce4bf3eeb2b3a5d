"""Skill framework import: a simple CSV, or Moodle's competency-framework CSV (tool_lpimportcsv).

Simple CSV columns: framework (name), idnumber, name, and optionally description, parent_idnumber
and levels ("Awareness|Working|Expert", lowest first; read when the framework is new). Moodle's file
is read by column position as Moodle does: Parent ID number, ID number, Short name, Description,
Description format, Scale values, Scale configuration, three rule columns, Cross-referenced
competency ID numbers, Exported ID, Is framework, Taxonomy. The row whose "Is framework" is true is
the framework; its scale values are the proficiency levels, and its scale configuration says which of
them are proficient: the lowest proficient value becomes the framework's proficient level, below which no
level meets a requirement. Both are all-or-nothing, with every bad
row reported by number (the header is row 1).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from typing import Annotated

from pydantic import Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.csv_rows import CsvRow, check_problems, read_rows, refusal
from learnbridge.core.db import max_length
from learnbridge.core.errors import FieldError, Invalid
from learnbridge.core.graph import find_cycles
from learnbridge.people.service import slug
from learnbridge.skills.models import Framework, ProficiencyLevel, Skill
from learnbridge.skills.service import DEFAULT_LEVELS

_TAG = re.compile(r"<[^>]+>")
IdNumber = Annotated[str, StringConstraints(max_length=max_length(Skill.idnumber))]
Name = Annotated[str, StringConstraints(max_length=max_length(Skill.name))]


class SimpleRow(CsvRow):
    """A row of the simple format (a column it does not know is ignored)."""

    framework: str
    idnumber: IdNumber
    name: Name
    description: str | None = None
    parent_idnumber: str | None = None
    levels: str | None = None


def _moodle(alias: str) -> str | None:
    return Field(default=None, alias=alias)


class MoodleRow(CsvRow):
    """A row of Moodle's export, read by column position as Moodle does; the framework's row and the
    competencies' rows need different columns, so which are required is checked per kind of row."""

    parent_idnumber: str | None = _moodle("Parent ID number")
    idnumber: IdNumber | None = _moodle("ID number")
    name: Name | None = _moodle("Short name")
    description: str | None = _moodle("Description")
    description_format: str | None = _moodle("Description format")
    scale_values: str | None = _moodle("Scale values")
    scale_configuration: str | None = _moodle("Scale configuration")
    rule_type: str | None = _moodle("Rule type")
    rule_outcome: str | None = _moodle("Rule outcome")
    rule_config: str | None = _moodle("Rule config")
    related_idnumbers: str | None = _moodle("Cross-referenced competency ID numbers")
    exported_id: str | None = _moodle("Exported ID")
    is_framework: str | None = _moodle("Is framework")
    taxonomy: str | None = _moodle("Taxonomy")


@dataclass
class SkillRow:
    row: int
    framework: str
    idnumber: str
    name: str
    description: str = ""
    parent_idnumber: str = ""


@dataclass
class FrameworkSpec:
    idnumber: str
    name: str
    description: str = ""
    levels: list[str] = field(default_factory=list)
    proficient_level: int | None = None
    rows: list[SkillRow] = field(default_factory=list)


@dataclass
class SkillImportSummary:
    frameworks_created: int = 0
    skills_created: int = 0
    skills_updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "frameworks_created": self.frameworks_created,
            "skills_created": self.skills_created,
            "skills_updated": self.skills_updated,
        }


def parse_simple(text: str) -> list[FrameworkSpec]:
    table = read_rows(text, SimpleRow, unknown="ignore")
    specs: dict[str, FrameworkSpec] = {}
    for row in table.rows:
        spec = specs.setdefault(
            row.framework, FrameworkSpec(idnumber=slug(row.framework), name=row.framework)
        )
        if row.levels and not spec.levels:
            spec.levels = [level.strip() for level in row.levels.split("|") if level.strip()]
        spec.rows.append(
            SkillRow(
                row.row,
                spec.idnumber,
                row.idnumber,
                row.name,
                row.description or "",
                row.parent_idnumber or "",
            )
        )
    return _checked(list(specs.values()), list(table.problems), every_row=not table.problems)


def parse_moodle(text: str) -> list[FrameworkSpec]:
    # Moodle writes descriptions as HTML, which may run over several lines: only that column may.
    table = read_rows(text, MoodleRow, by_position=True, line_breaks_in={"Description"})
    errors = list(table.problems)
    spec: FrameworkSpec | None = None
    competencies: list[MoodleRow] = []
    for row in table.rows:
        if row.is_framework in (None, "0"):
            competencies.append(row)
        elif spec is not None:
            errors.append(
                FieldError(row=row.row, field="Is framework", message="only one framework per file")
            )
        else:
            spec = _framework(row, errors)
    if spec is None:
        raise refusal(
            [*errors, FieldError(row=2, field="Is framework", message="no row marks the framework")]
        )
    for row in competencies:
        for column, value in (("ID number", row.idnumber), ("Short name", row.name)):
            if not value:
                errors.append(FieldError(row=row.row, field=column, message="is required"))
        if row.idnumber and row.name:
            name, description = html.unescape(row.name), _plain(row.description or "")
            spec.rows.append(
                SkillRow(row.row, spec.idnumber, row.idnumber, name, description, row.parent_idnumber or "")
            )
    return _checked([spec], errors, every_row=not table.problems)


def _framework(row: MoodleRow, errors: list[FieldError]) -> FrameworkSpec:
    if not row.idnumber:
        errors.append(FieldError(row=row.row, field="ID number", message="the framework needs an ID number"))
    levels = [v.strip() for v in (row.scale_values or "").split(",") if v.strip()]
    return FrameworkSpec(
        idnumber=row.idnumber or "",
        name=row.name or "",
        description=_plain(row.description or ""),
        levels=levels,
        proficient_level=_proficient_level(row, len(levels), errors),
    )


def _proficient_level(row: MoodleRow, size: int, errors: list[FieldError]) -> int | None:
    """The lowest proficient value of Moodle's scale configuration, a JSON list whose first entry names
    the scale and whose others mark a value (`id`, its 1-based position in the scale) as the default
    and/or proficient. Proficiency is a threshold here, so the proficient values must run to the top."""
    proficient = _proficient_ids(row.scale_configuration or "")
    problem = _scale_problem(proficient, size)
    if problem is not None or not proficient:
        message = problem or "marks no scale value as proficient"
        errors.append(FieldError(row=row.row, field="Scale configuration", message=message))
        return None
    return min(proficient)


def _scale_problem(proficient: set[int] | None, size: int) -> str | None:
    if proficient is None:
        return "is not Moodle's scale configuration (a JSON list of {id, scaledefault, proficient})"
    if not all(1 <= n <= size for n in proficient):
        return f"names a value outside the {size} scale values"
    if proficient and proficient != set(range(min(proficient), size + 1)):
        return "proficient values must run from one value to the top of the scale"
    return None


def _proficient_ids(text: str) -> set[int] | None:
    try:
        entries = json.loads(text)
    except ValueError:
        return None
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        return None
    found: set[int] = set()
    for entry in entries[1:]:
        try:
            if int(entry.get("proficient") or 0):
                found.add(int(entry["id"]))
        except (KeyError, TypeError, ValueError):
            return None
    return found


def _plain(description: str) -> str:
    return html.unescape(_TAG.sub(" ", description)).strip()


def _check_lengths(spec: FrameworkSpec, errors: list[FieldError]) -> None:
    """The framework's values must fit their columns (its problems are reported on row 2); the skills'
    own are checked by the row models."""
    framework_limits = [
        ("framework idnumber", spec.idnumber, max_length(Framework.idnumber)),
        ("framework name", spec.name, max_length(Framework.name)),
        *(("levels", level, max_length(ProficiencyLevel.name)) for level in spec.levels),
    ]
    for name, value, limit in framework_limits:
        if len(value) > limit:
            errors.append(FieldError(row=2, field=name, message=f"is longer than {limit} characters"))


def _checked(specs: list[FrameworkSpec], errors: list[FieldError], *, every_row: bool) -> list[FrameworkSpec]:
    """The rules across rows, added to the rows' own problems. A parent is looked for only when `every_row`
    could be read: one that could not is no reason to call its children's parent unknown."""
    for spec in specs:
        seen: dict[str, int] = {}
        for row in spec.rows:
            if (first := seen.setdefault(row.idnumber, row.row)) != row.row:
                errors.append(
                    FieldError(
                        row=row.row, field="idnumber", message=f"{row.idnumber!r} already on row {first}"
                    )
                )
        _check_lengths(spec, errors)
        for row in spec.rows if every_row else ():
            if row.parent_idnumber and row.parent_idnumber not in seen:
                errors.append(
                    FieldError(
                        row=row.row,
                        field="parent_idnumber",
                        message=f"{row.parent_idnumber!r} is not a skill in this framework",
                    )
                )
        if not errors:
            rows = {row.idnumber: row.row for row in spec.rows}
            for cycle in find_cycles({row.idnumber: row.parent_idnumber or None for row in spec.rows}):
                loop = " -> ".join([*cycle, cycle[0]])
                for idnumber in cycle:
                    message = f"parents form a loop: {loop}"
                    errors.append(FieldError(row=rows[idnumber], field="parent_idnumber", message=message))
    if not specs and not errors:
        errors.append(FieldError(row=2, field="row", message="the file has no skills"))
    check_problems(errors)
    return specs


def import_frameworks(db: Session, *, specs: list[FrameworkSpec]) -> SkillImportSummary:
    """Create or update frameworks and their skills (matched by ID number), parents linked last."""
    summary = SkillImportSummary()
    for spec in specs:
        framework = db.scalar(select(Framework).where(Framework.idnumber == spec.idnumber))
        if framework is None:
            framework = Framework(idnumber=spec.idnumber, name=spec.name, description=spec.description)
            framework.proficient_level = spec.proficient_level or 1
            framework.levels = [
                ProficiencyLevel(level=n, name=name)
                for n, name in enumerate(spec.levels or DEFAULT_LEVELS, start=1)
            ]
            db.add(framework)
            db.flush()
            summary.frameworks_created += 1
        elif spec.proficient_level and [lv.name for lv in framework.levels] == spec.levels:
            # The same scale again: its configuration is the source's, so a re-import keeps it current
            # (and repairs a framework imported before the proficient level was kept).
            framework.proficient_level = spec.proficient_level
        known = {s.idnumber: s for s in db.scalars(select(Skill).where(Skill.framework_id == framework.id))}
        for row in spec.rows:
            skill = known.get(row.idnumber)
            if skill is None:
                skill = known[row.idnumber] = Skill(framework_id=framework.id, idnumber=row.idnumber)
                db.add(skill)
                summary.skills_created += 1
            else:
                summary.skills_updated += 1
            skill.name, skill.description = row.name, row.description
        db.flush()
        for row in spec.rows:
            known[row.idnumber].parent_id = known[row.parent_idnumber].id if row.parent_idnumber else None
    db.flush()
    return summary


def import_skills_csv(db: Session, *, text: str, format: str) -> SkillImportSummary:
    """Import a skills CSV in the "simple" or "moodle" format."""
    if format not in ("simple", "moodle"):
        raise Invalid(field="format", message="must be simple or moodle")
    specs = parse_moodle(text) if format == "moodle" else parse_simple(text)
    return import_frameworks(db, specs=specs)
