"""The catalogue's forms: the item form into an ItemIn, with errors named by field; the status form."""

from __future__ import annotations

from itertools import zip_longest
from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.catalog.schemas import ItemIn
from learnbridge.core.deps import form_of
from learnbridge.core.errors import FieldError, Invalid, invalid_from
from learnbridge.skills.browse import picked_skill

FORM_FIELDS = (
    "title",
    "kind",
    "summary",
    "duration_minutes",
    "format",
    "provider",
    "vendor_name",
    "cost",
    "currency",
    "url",
)


def _skill_rows(form: FormData) -> list[tuple[str, str, str | None]]:
    """The skill rows as (picked id, level, picker text): a row without a text field names its id."""
    rows = zip_longest(form.getlist("skill_id"), form.getlist("skill_level"), form.getlist("skill_text"))
    return [
        (str(skill or ""), str(level or ""), None if text is None else str(text))
        for skill, level, text in rows
    ]


def picked_skills(db: Session, form: FormData) -> list[tuple[int, str]]:
    """Each skill row's skill (as its picker sent it, skills.browse.picked_skill) and level; rows
    without a skill are left out; a row whose text names no one skill is an error naming its row."""
    picked: list[tuple[int, str]] = []
    errors: list[FieldError] = []
    for n, (skill_id, level, text) in enumerate(_skill_rows(form)):
        try:
            chosen = picked_skill(db, skill_id=skill_id, text=text, field=f"Skill {n + 1}")
        except Invalid as exc:
            errors.extend(exc.errors)
            continue
        if chosen is not None:
            picked.append((chosen, level or "1"))
    if errors:
        raise Invalid(errors)
    return picked


def item_from_form(form: FormData, *, skills: list[tuple[int, str]]) -> ItemIn:
    """Objectives come one per line; skills as the rows picked (picked_skills); steps as item ids."""
    data: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in FORM_FIELDS}
    if not data["duration_minutes"]:
        data["duration_minutes"] = None
    data["cost"] = data["cost"] or "0"
    data["objectives"] = str(form.get("objectives", "")).splitlines()
    data["skills"] = [{"skill_id": skill, "level": level} for skill, level in skills]
    data["steps"] = [step for step in form.getlist("step") if step]
    try:
        return ItemIn.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc.errors()) from None


def form_values(form: FormData) -> dict[str, Any]:
    """What the person typed, to show the form again after an error (a skill row as its id, level and
    the text of its picker)."""
    values: dict[str, Any] = {name: form.get(name, "") for name in (*FORM_FIELDS, "objectives")}
    values["skills"] = [(skill, level, text or "") for skill, level, text in _skill_rows(form)]
    values["steps"] = form.getlist("step")
    return values


def item_values(item: LearningItem | None) -> dict[str, Any]:
    """The form's starting values: the item's, or a new item's defaults."""
    if item is None:
        return {
            "kind": "course",
            "format": "self_paced",
            "provider": "in_house",
            "currency": "EUR",
            "cost": "0",
            "objectives": "",
            "skills": [],
            "steps": [],
        }
    values: dict[str, Any] = {name: getattr(item, name) for name in FORM_FIELDS}
    values["duration_minutes"] = item.duration_minutes or ""
    values["objectives"] = "\n".join(item.objectives)
    values["skills"] = [(str(link.skill_id), str(link.level), link.skill.name) for link in item.skills]
    values["steps"] = [str(step.item_id) for step in item.steps]
    return values


class StatusForm(BaseModel):
    status: ItemStatus


StatusChange = Annotated[StatusForm, Depends(form_of(StatusForm))]
