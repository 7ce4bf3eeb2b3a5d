"""The catalogue's forms: the item form into an ItemIn, with errors named by field; the status form."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.catalog.schemas import ItemIn
from learnbridge.core.deps import form_of
from learnbridge.core.errors import invalid_from

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


def item_from_form(form: FormData) -> ItemIn:
    """Objectives come one per line; skills as parallel skill_id/level rows; steps as item ids."""
    data: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in FORM_FIELDS}
    if not data["duration_minutes"]:
        data["duration_minutes"] = None
    data["cost"] = data["cost"] or "0"
    data["objectives"] = str(form.get("objectives", "")).splitlines()
    skills, levels = form.getlist("skill_id"), form.getlist("skill_level")
    data["skills"] = [
        {"skill_id": skill, "level": level or "1"}
        for skill, level in zip(skills, levels, strict=False)
        if skill
    ]
    data["steps"] = [step for step in form.getlist("step") if step]
    try:
        return ItemIn.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc.errors()) from None


def form_values(form: FormData) -> dict[str, Any]:
    """What the person typed, to show the form again after an error."""
    values: dict[str, Any] = {name: form.get(name, "") for name in (*FORM_FIELDS, "objectives")}
    values["skills"] = list(zip(form.getlist("skill_id"), form.getlist("skill_level"), strict=False))
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
    values["skills"] = [(str(link.skill_id), str(link.level)) for link in item.skills]
    values["steps"] = [str(step.item_id) for step in item.steps]
    return values


class StatusForm(BaseModel):
    status: ItemStatus


StatusChange = Annotated[StatusForm, Depends(form_of(StatusForm))]
