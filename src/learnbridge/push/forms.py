"""The requirement editor's form, to and from RequirementIn, with errors named by field.

The audience is a set of pick lists rather than a rule builder: units with everything below them,
single units, job profiles, locations, `attribute=value` lines and named people (external id or e-mail,
one per line); the same for exclusions. The reminder ladder is one line: "-14 learner, 0 learner,
7 manager, 14 ld". Also the small forms of an assignment's page (exemption, due date) and archiving.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import Depends
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from learnbridge.core.deps import form_of
from learnbridge.core.errors import FieldError, Invalid, invalid_from
from learnbridge.people.models import Person
from learnbridge.push.models import Recipient, Requirement, RuleKind
from learnbridge.push.schemas import DEFAULT_LADDER, ReminderIn, RequirementIn

SCALARS = (
    "name",
    "description",
    "due_kind",
    "due_date",
    "due_days",
    "grace_days",
    "validity_months",
    "window_days",
    "renew_from",
)
PICKS = {
    "tree_units": (RuleKind.unit_tree, "org_unit_id"),
    "units": (RuleKind.unit, "org_unit_id"),
    "profiles": (RuleKind.job_profile, "job_profile_id"),
    "locations": (RuleKind.location, "value"),
}
LISTS = (*PICKS, "item_ids", *(f"ex_{name}" for name in PICKS))
TEXTS = ("attributes", "people", "ex_attributes", "ex_people", "reminders")


def requirement_from_form(db: Session, form: FormData) -> RequirementIn:
    values = form_values(form)
    data: dict[str, Any] = {name: values[name] for name in SCALARS}
    for name in ("due_date", "validity_months"):
        data[name] = data[name] or None
    data["item_ids"] = values["item_ids"]
    errors: list[FieldError] = []
    data["rules"] = _rules(db, values, errors)
    data["reminders"] = _ladder(values["reminders"], errors)
    if errors:
        raise Invalid(errors)
    try:
        return RequirementIn.model_validate(data)
    except ValidationError as exc:
        raise invalid_from(exc.errors()) from None


def _rules(db: Session, values: dict[str, Any], errors: list[FieldError]) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = [{"kind": "everyone"}] if values["everyone"] else []
    for exclude, prefix in ((False, ""), (True, "ex_")):
        for name, (kind, key) in PICKS.items():
            rules += [{"kind": kind.value, key: v, "exclude": exclude} for v in values[prefix + name] if v]
        for line in values[prefix + "attributes"].splitlines():
            if line.strip():
                attribute, sep, value = line.partition("=")
                if not sep or not attribute.strip() or not value.strip():
                    errors.append(
                        FieldError(prefix + "attributes", f"write name=value, not {line.strip()!r}")
                    )
                    continue
                rules.append(
                    {
                        "kind": "attribute",
                        "attribute": attribute.strip(),
                        "value": value.strip(),
                        "exclude": exclude,
                    }
                )
        for person_id in _people(db, values[prefix + "people"], prefix + "people", errors):
            rules.append({"kind": "person", "person_id": person_id, "exclude": exclude})
    return rules


def _people(db: Session, text: str, field: str, errors: list[FieldError]) -> list[int]:
    keys = [line.strip().lower() for line in text.splitlines() if line.strip()]
    if not keys:
        return []
    stmt = select(Person.id, func.lower(Person.external_id), func.lower(Person.email)).where(
        or_(func.lower(Person.external_id).in_(keys), func.lower(Person.email).in_(keys))
    )
    found: dict[str, int] = {}
    for person_id, external_id, email in db.execute(stmt):
        found[external_id] = person_id
        if email:
            found[email] = person_id
    errors += [
        FieldError(field, f"no person has the id or e-mail {key!r}") for key in keys if key not in found
    ]
    return [found[key] for key in keys if key in found]


def _ladder(text: str, errors: list[FieldError]) -> list[dict[str, Any]]:
    steps = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        if not part:
            continue
        days, _, who = part.partition(" ")
        who = who.strip() or Recipient.learner.value
        if not days.lstrip("+-").isdigit() or who not in Recipient.__members__:
            errors.append(
                FieldError("reminders", f"write steps like '-14 learner' or '7 manager', not {part!r}")
            )
            continue
        steps.append({"offset_days": int(days), "recipient": who})
    return steps


def ladder_text(steps: list[ReminderIn]) -> str:
    return ", ".join(
        f"{s.offset_days:+d} {s.recipient.value}" if s.offset_days else f"0 {s.recipient.value}"
        for s in steps
    )


def form_values(form: FormData) -> dict[str, Any]:
    """What the admin entered, to show the form again (after a preview or an error). The reminder
    ladder comes as rows (days, before or after the due date, to whom) from the page, or as one line
    ("-14 learner, 7 manager") from older clients."""
    values: dict[str, Any] = {name: str(form.get(name, "")).strip() for name in SCALARS}
    values.update({name: [str(v) for v in form.getlist(name)] for name in LISTS})
    values.update({name: str(form.get(name, "")) for name in TEXTS})
    if "reminder_days" in form:
        values["reminders"] = _rows_text(form)
    values["everyone"] = bool(form.get("everyone"))
    values["reminder_rows"] = reminder_rows(values["reminders"])
    return values


MAX_REMINDER_ROWS = 20


def _rows_text(form: FormData) -> str:
    """The ladder's rows as its one-line form; a row without days is an empty row, left out. A row that
    is not a number stays in the text, so the line's own check names it."""
    days = [str(v).strip() for v in form.getlist("reminder_days")][:MAX_REMINDER_ROWS]
    when = [str(v) for v in form.getlist("reminder_when")]
    to = [str(v) for v in form.getlist("reminder_to")]
    steps = []
    for n, day in enumerate(days):
        if not day:
            continue
        sign = "-" if n < len(when) and when[n] == "before" and day.isdigit() and int(day) else ""
        steps.append(f"{sign}{day} {to[n] if n < len(to) else Recipient.learner.value}")
    return ", ".join(steps)


def reminder_rows(text: str) -> list[dict[str, str]]:
    """The ladder's one-line form as the page's rows, plus two empty rows to add steps in."""
    rows = []
    for part in (p.strip() for p in text.replace(";", ",").split(",")):
        days, _, who = part.partition(" ")
        if not part or not days.lstrip("+-").isdigit():
            continue
        offset = int(days)
        rows.append(
            {
                "days": str(abs(offset)),
                "when": "before" if offset < 0 else "after",
                "to": who.strip() or "learner",
            }
        )
    return rows + [{"days": "", "when": "before", "to": "learner"}] * 2


def requirement_values(requirement: Requirement | None) -> dict[str, Any]:
    """A stored requirement (or a new one's defaults) as form values."""
    values: dict[str, Any] = dict.fromkeys(SCALARS, "")
    values.update({name: [] for name in LISTS})
    values.update(dict.fromkeys(TEXTS, ""))
    values.update(
        due_kind="after_assignment",
        due_days="30",
        grace_days="0",
        window_days="30",
        renew_from="completion",
        everyone=False,
        reminders=ladder_text(DEFAULT_LADDER),
    )
    values["reminder_rows"] = reminder_rows(values["reminders"])
    if requirement is None:
        return values
    for name in SCALARS:
        value = getattr(requirement, name)
        values[name] = "" if value is None else str(value)
    values["item_ids"] = [str(item.id) for item in requirement.items]
    keys = {kind: (name, key) for name, (kind, key) in PICKS.items()}
    for rule in requirement.rules:
        prefix = "ex_" if rule.exclude else ""
        kind = RuleKind(rule.kind)
        if kind == RuleKind.everyone:
            values["everyone"] = True
        elif kind in keys:
            name, key = keys[kind]
            values[prefix + name].append(str(getattr(rule, key)))
        elif kind == RuleKind.attribute:
            values[prefix + "attributes"] += f"{rule.attribute}={rule.value}\n"
        elif rule.person is not None:
            values[prefix + "people"] += f"{rule.person.external_id}\n"
    values["reminders"] = ladder_text(
        [
            ReminderIn(offset_days=s.offset_days, recipient=Recipient(s.recipient))
            for s in requirement.reminders
        ]
    )
    values["reminder_rows"] = reminder_rows(values["reminders"])
    return values


Reason = Annotated[str, Field(min_length=3, max_length=2000)]


class ActivateForm(BaseModel):
    # Sent only by the confirmation page's button: activating without having seen the count is refused.
    confirm: Literal["yes"]
    reason: Annotated[str, Field(max_length=2000)] = ""


class ArchiveForm(BaseModel):
    reason: Annotated[str, Field(max_length=2000)] = ""


class ExemptionForm(BaseModel):
    reason: Reason
    ends_on: dt.date | None = None


class RevokeForm(BaseModel):
    reason: Reason


class DueForm(BaseModel):
    due_on: dt.date
    reason: Reason


Activate = Annotated[ActivateForm, Depends(form_of(ActivateForm))]
Archive = Annotated[ArchiveForm, Depends(form_of(ArchiveForm))]
Exemption = Annotated[ExemptionForm, Depends(form_of(ExemptionForm))]
Revoke = Annotated[RevokeForm, Depends(form_of(RevokeForm))]
NewDue = Annotated[DueForm, Depends(form_of(DueForm))]
