"""Skill framework import: a simple CSV, or Moodle's competency-framework CSV (tool_lpimportcsv).

Simple CSV columns: framework (name), idnumber, name, and optionally description, parent_idnumber
and levels ("Awareness|Working|Expert", lowest first; read when the framework is new). Moodle's file
is read by column position as Moodle does: Parent ID number, ID number, Short name, Description,
Description format, Scale values, Scale configuration, three rule columns, Cross-referenced
competency ID numbers, Exported ID, Is framework, Taxonomy. The row whose "Is framework" is true is
the framework; its scale values are the proficiency levels. Both are all-or-nothing, with every bad
row reported by number (the header is row 1).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.core.csv_rows import read_csv
from learnbridge.core.db import max_length
from learnbridge.core.errors import FieldError, Invalid
from learnbridge.core.graph import find_cycles
from learnbridge.people.service import slug
from learnbridge.skills.models import Framework, ProficiencyLevel, Skill
from learnbridge.skills.service import DEFAULT_LEVELS

MOODLE_COLUMNS = 14
MOODLE_DESCRIPTION = 3  # the Description column's position
_TAG = re.compile(r"<[^>]+>")


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
    header, lines = read_csv(text)
    header = [h.lower() for h in header]
    missing = [c for c in ("framework", "idnumber", "name") if c not in header]
    if missing:
        raise Invalid([FieldError(row=1, field=c, message="required column is missing") for c in missing])
    specs: dict[str, FrameworkSpec] = {}
    errors: list[FieldError] = []
    for number, cells in lines:
        if not any(c.strip() for c in cells):
            continue
        values = dict(zip(header, (c.strip() for c in cells), strict=False))
        for column in ("framework", "idnumber", "name"):
            if not values.get(column):
                errors.append(FieldError(row=number, field=column, message="is required"))
        if not values.get("framework") or not values.get("idnumber") or not values.get("name"):
            continue
        spec = specs.setdefault(
            values["framework"], FrameworkSpec(idnumber=slug(values["framework"]), name=values["framework"])
        )
        if values.get("levels") and not spec.levels:
            spec.levels = [level.strip() for level in values["levels"].split("|") if level.strip()]
        spec.rows.append(
            SkillRow(
                number,
                spec.idnumber,
                values["idnumber"],
                values["name"],
                values.get("description", ""),
                values.get("parent_idnumber", ""),
            )
        )
    return _checked(list(specs.values()), errors)


def parse_moodle(text: str) -> list[FrameworkSpec]:
    # Moodle writes descriptions as HTML, which may run over several lines: only that column may.
    header, lines = read_csv(text, line_breaks_in={MOODLE_DESCRIPTION})
    errors: list[FieldError] = []
    if len(header) < MOODLE_COLUMNS:
        raise Invalid(
            field="header", message=f"a Moodle competency framework CSV has {MOODLE_COLUMNS} columns"
        )
    spec: FrameworkSpec | None = None
    competencies: list[list[str]] = []
    for number, cells in lines:
        cells = [c.strip() for c in cells] + [""] * (MOODLE_COLUMNS - len(cells))
        if not any(cells):
            continue
        if cells[12] not in ("", "0"):
            if spec is not None:
                errors.append(
                    FieldError(row=number, field="Is framework", message="only one framework per file")
                )
                continue
            spec = FrameworkSpec(
                idnumber=cells[1],
                name=cells[2],
                description=_plain(cells[3]),
                levels=[v.strip() for v in cells[5].split(",") if v.strip()],
            )
            if not spec.idnumber:
                errors.append(
                    FieldError(row=number, field="ID number", message="the framework needs an ID number")
                )
        else:
            competencies.append([str(number), *cells])
    if spec is None:
        raise Invalid(
            [*errors, FieldError(row=2, field="Is framework", message="no row marks the framework")]
        )
    for row_number, parent, idnumber, name, description, *_ in competencies:
        for column, value in (("ID number", idnumber), ("Short name", name)):
            if not value:
                errors.append(FieldError(row=int(row_number), field=column, message="is required"))
        if idnumber and name:
            spec.rows.append(
                SkillRow(
                    int(row_number), spec.idnumber, idnumber, html.unescape(name), _plain(description), parent
                )
            )
    return _checked([spec], errors)


def _plain(description: str) -> str:
    return html.unescape(_TAG.sub(" ", description)).strip()


def _check_lengths(spec: FrameworkSpec, errors: list[FieldError]) -> None:
    """Values must fit their columns (the framework's own problems are reported on row 2)."""
    limits = [("idnumber", max_length(Skill.idnumber)), ("name", max_length(Skill.name))]
    for row in spec.rows:
        for column, limit in limits:
            if len(getattr(row, column)) > limit:
                errors.append(
                    FieldError(row=row.row, field=column, message=f"is longer than {limit} characters")
                )
    framework_limits = [
        ("framework idnumber", spec.idnumber, max_length(Framework.idnumber)),
        ("framework name", spec.name, max_length(Framework.name)),
        *(("levels", level, max_length(ProficiencyLevel.name)) for level in spec.levels),
    ]
    for name, value, limit in framework_limits:
        if len(value) > limit:
            errors.append(FieldError(row=2, field=name, message=f"is longer than {limit} characters"))


def _checked(specs: list[FrameworkSpec], errors: list[FieldError]) -> list[FrameworkSpec]:
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
        for row in spec.rows:
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
    if errors:
        raise Invalid(errors)
    return specs


def import_frameworks(db: Session, *, specs: list[FrameworkSpec]) -> SkillImportSummary:
    """Create or update frameworks and their skills (matched by ID number), parents linked last."""
    summary = SkillImportSummary()
    for spec in specs:
        framework = db.scalar(select(Framework).where(Framework.idnumber == spec.idnumber))
        if framework is None:
            framework = Framework(idnumber=spec.idnumber, name=spec.name, description=spec.description)
            framework.levels = [
                ProficiencyLevel(level=n, name=name)
                for n, name in enumerate(spec.levels or DEFAULT_LEVELS, start=1)
            ]
            db.add(framework)
            db.flush()
            summary.frameworks_created += 1
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
