"""The demo's compliance programme: five requirements, activated at different times in the past, and
completions spread so that oversight shows compliant, due soon, overdue, expiring and expired people.

`learner@example.com` (Lee Carter, a warehouse operative in Rotterdam) always has one of each of:
completed (forklift), due soon (fire safety) and overdue (information security)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from learnbridge.catalog.models import LearningItem
from learnbridge.core.db import utcnow
from learnbridge.core.progress import Progress, no_progress
from learnbridge.people.models import JobProfile, OrgUnit, Person
from learnbridge.push.audience import audience_clause
from learnbridge.push.audit import Actor
from learnbridge.push.models import Requirement
from learnbridge.push.requirements import activate_requirement, create_requirement
from learnbridge.push.schemas import RequirementIn
from learnbridge.records.completions import NewCompletion, record_completions
from learnbridge.records.models import CompletionSource

DEMO = Actor.system("demo data")
LEARNER = "learner@example.com"


@dataclass(frozen=True)
class Programme:
    name: str
    description: str
    items: tuple[str, ...]
    rules: tuple[dict[str, Any], ...]
    due: dict[str, Any]
    # Activated this many days ago; completions are spread over `history_days` before today.
    activated_days_ago: int
    completed_share: float
    history_days: int
    learner_done_days_ago: int | None


def _programmes(units: dict[str, int], profiles: dict[str, int]) -> list[Programme]:
    root = "Northwind Logistics"
    return [
        Programme(
            "Annual information security",
            "Phishing and lost devices are how most breaches start; everyone renews this every year.",
            ("Information Security Essentials",),
            ({"kind": "everyone"},),
            {
                "due_kind": "after_assignment",
                "due_days": 30,
                "validity_months": 12,
                "window_days": 30,
                "renew_from": "expiry",
            },
            45,
            0.72,
            44,
            None,
        ),
        Programme(
            "Fire safety",
            "Required at our warehouse sites by local fire regulations.",
            ("Fire Safety Awareness", "Fire Warden Training"),
            ({"kind": "location", "value": "Rotterdam"}, {"kind": "location", "value": "Antwerp"}),
            {"due_kind": "after_assignment", "due_days": 30, "validity_months": 24, "window_days": 60},
            20,
            0.45,
            19,
            None,
        ),
        Programme(
            "Anti-bribery for Sales",
            "Everyone who deals with customers' money must know where a gift becomes a bribe.",
            ("Anti-Bribery and Corruption",),
            ({"kind": "unit_tree", "org_unit_id": units[f"{root} / Sales"]},),
            {"due_kind": "after_assignment", "due_days": 45, "grace_days": 7, "validity_months": 24},
            70,
            0.8,
            69,
            None,
        ),
        Programme(
            "Forklift certification",
            "Nobody drives a forklift without a valid certificate: it lapses after 12 months.",
            ("Forklift Operator Certification", "Forklift Refresher Assessment"),
            (
                {"kind": "unit_tree", "org_unit_id": units[f"{root} / Operations / Warehouse North"]},
                {"kind": "unit_tree", "org_unit_id": units[f"{root} / Operations / Warehouse South"]},
                {"kind": "job_profile", "job_profile_id": profiles["forklift-driver"]},
                {"kind": "job_profile", "job_profile_id": profiles["warehouse-operative"]},
            ),
            {
                "due_kind": "after_assignment",
                "due_days": 30,
                "validity_months": 12,
                "window_days": 30,
                "renew_from": "expiry",
            },
            400,
            0.9,
            420,
            90,
        ),
        Programme(
            "Data protection for managers",
            "Managers see their people's personal data and must handle it lawfully.",
            ("Data Protection for Managers",),
            tuple(
                {"kind": "job_profile", "job_profile_id": profiles[code]}
                for code in ("team-manager", "operations-team-leader", "sales-team-manager")
            ),
            {"due_kind": "after_assignment", "due_days": 30},
            40,
            0.6,
            39,
            None,
        ),
    ]


def load_compliance(db: Session, *, rng: random.Random, progress: Progress = no_progress) -> int:
    """Create and activate the programmes with a believable history; returns how many."""
    today = utcnow().date()
    units = _lookup(db, OrgUnit.full_name, OrgUnit.id)
    profiles = _lookup(db, JobProfile.code, JobProfile.id)
    items = _lookup(db, LearningItem.title, LearningItem.id)
    learner = db.scalar(select(Person.id).where(Person.email == LEARNER))
    programmes = _programmes(units, profiles)
    for done, p in enumerate(programmes, start=1):
        spec = RequirementIn(
            name=p.name,
            description=p.description,
            item_ids=[items[t] for t in p.items],
            rules=list(p.rules),
            **p.due,
        )
        requirement = create_requirement(db, data=spec, actor=DEMO)
        _complete(db, requirement, p, rng=rng, today=today, learner=learner)
        activate_requirement(
            db,
            requirement_id=requirement.id,
            actor=DEMO,
            today=today - dt.timedelta(days=p.activated_days_ago),
        )
        progress("compliance", done, len(programmes))
    return len(programmes)


def _lookup(
    db: Session, key: InstrumentedAttribute[str], value: InstrumentedAttribute[int]
) -> dict[str, int]:
    return {str(row[0]): int(row[1]) for row in db.execute(select(key, value))}


def _complete(
    db: Session,
    requirement: Requirement,
    p: Programme,
    *,
    rng: random.Random,
    today: dt.date,
    learner: int | None,
) -> None:
    """Completions recorded before activation count at once (the latest per person)."""
    audience = list(
        db.scalars(select(Person.id).where(audience_clause(requirement.rules)).order_by(Person.id))
    )
    completions = []
    for person_id in audience:
        if person_id == learner:
            if p.learner_done_days_ago is None:
                continue
            ago = p.learner_done_days_ago
        elif rng.random() < p.completed_share:
            ago = rng.randint(1, p.history_days)
        else:
            continue
        when = dt.datetime.combine(today - dt.timedelta(days=ago), dt.time(10), tzinfo=dt.UTC)
        item_id = rng.choice(requirement.items).id
        completions.append(NewCompletion(person_id, item_id, when, evidence="Imported from the previous LMS"))
    # Recorded before the requirement is activated: activating it counts them (no assignment exists yet
    # for push to apply them to).
    record_completions(db, source=CompletionSource.csv_import, completions=completions)
