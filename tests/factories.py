"""Plain factory functions with overrides: `make_person(db, name="Ada")`."""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.accounts.models import Account
from learnbridge.accounts.service import create_account, create_token
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.catalog.schemas import ItemIn, SkillLevelIn
from learnbridge.catalog.service import create_item, set_status
from learnbridge.lrs.clients import create_client
from learnbridge.people.models import JobProfile, OrgUnit, Person
from learnbridge.people.service import create_job_profile, create_org_unit
from learnbridge.pull.models import DevelopmentPlan, PlanGoal
from learnbridge.pull.plans import create_plan
from learnbridge.push.audit import Actor
from learnbridge.push.models import Requirement
from learnbridge.push.requirements import activate_requirement, create_requirement
from learnbridge.push.schemas import RequirementIn
from learnbridge.records.models import Completion
from learnbridge.sessions.models import LearningSession
from learnbridge.sessions.schemas import SessionIn
from learnbridge.sessions.service import create_session
from learnbridge.skills.models import Framework, Skill
from learnbridge.skills.service import add_skill, create_framework

PASSWORD = "correct horse battery"
ADMIN = Actor(label="admin@example.org")
_seq = itertools.count(1)


def make_unit(db: Session, name: str | None = None, parent: OrgUnit | None = None) -> OrgUnit:
    return create_org_unit(db, name=name or f"Unit {next(_seq)}", parent=parent)


def make_profile(db: Session, title: str | None = None) -> JobProfile:
    n = next(_seq)
    return create_job_profile(db, code=f"profile-{n}", title=title or f"Profile {n}")


def make_person(db: Session, **overrides: Any) -> Person:
    n = next(_seq)
    values: dict[str, Any] = {
        "external_id": f"X{n:05d}",
        "name": f"Person {n}",
        "email": f"person{n}@example.org",
    }
    values.update(overrides)
    person = Person(**values)
    db.add(person)
    db.flush()
    return person


def make_account(
    db: Session,
    person: Person | None = None,
    *,
    ld_admin: bool = False,
    auditor: bool = False,
    email: str = "",
) -> Account:
    email = email or (person.email if person and person.email else f"account{next(_seq)}@example.org")
    return create_account(db, email=email, password=PASSWORD, is_ld_admin=ld_admin, is_auditor=auditor)


def bearer(db: Session, account: Account) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(db, email=account.email)}"}


def lrs_basic(db: Session, *, name: str = "Tool", scopes: list[str] | None = None, **overrides: Any) -> str:
    """An LRS client's HTTP Basic Authorization header (scope `all` unless told otherwise)."""
    client, secret = create_client(
        db, name=name, home_page="https://lb.example", scopes=scopes or ["all"], **overrides
    )
    return "Basic " + base64.b64encode(f"{client.key}:{secret}".encode()).decode()


def make_framework(db: Session, levels: tuple[str, ...] = ("Aware", "Working", "Expert")) -> Framework:
    n = next(_seq)
    return create_framework(db, idnumber=f"FW{n}", name=f"Framework {n}", levels=levels)


def make_skill(db: Session, framework: Framework | None = None, name: str | None = None) -> Skill:
    framework = framework or make_framework(db)
    n = next(_seq)
    return add_skill(db, framework=framework, idnumber=f"S{n}", name=name or f"Skill {n}")


def make_item(
    db: Session,
    *,
    status: ItemStatus = ItemStatus.published,
    skills: Sequence[tuple[Skill, int]] = (),
    **overrides: Any,
) -> LearningItem:
    values: dict[str, Any] = {"title": f"Item {next(_seq)}", "objectives": ["Do the thing well"]}
    values.update(overrides)
    values["skills"] = [SkillLevelIn(skill_id=s.id, level=level) for s, level in skills]
    item = create_item(db, data=ItemIn(**values), owner_id=None)
    if status != ItemStatus.draft:
        set_status(db, item_id=item.id, status=status)
    return item


def login(client: TestClient, email: str, password: str = PASSWORD) -> None:
    """Sign a test client in through the real form (CSRF token included)."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_from(page.text), "next": "/"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def make_requirement(
    db: Session,
    *,
    items: list[LearningItem],
    rules: list[dict[str, Any]] | None = None,
    activate: bool = True,
    today: dt.date | None = None,
    **overrides: Any,
) -> Requirement:
    """A requirement (everyone, 30 days after assignment unless overridden), activated by default."""
    values: dict[str, Any] = {"name": f"Requirement {next(_seq)}", "item_ids": [i.id for i in items]}
    values["rules"] = rules if rules is not None else [{"kind": "everyone"}]
    values.update(overrides)
    requirement = create_requirement(db, data=RequirementIn(**values), actor=ADMIN)
    if activate:
        activate_requirement(db, requirement_id=requirement.id, actor=ADMIN, today=today)
    return requirement


def make_session(
    db: Session,
    *,
    item: LearningItem | None = None,
    capacity: int = 10,
    starts_at: dt.datetime | None = None,
    approval_mode: str = "none",
    **overrides: Any,
) -> LearningSession:
    """A classroom session of an item (a new one unless given), a week from now for two hours, UTC."""
    starts = starts_at or (dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).replace(microsecond=0)
    values: dict[str, Any] = {
        "item_id": (item or make_item(db)).id,
        "starts_at": starts,
        "ends_at": starts + dt.timedelta(hours=2),
        "timezone": "UTC",
        "location": "Room 1",
        "capacity": capacity,
        "approval_mode": approval_mode,
    }
    values.update(overrides)
    return create_session(db, data=SessionIn(**values))


def make_completion(db: Session, *, person: Person, item: LearningItem, **overrides: Any) -> Completion:
    """A completion written straight to the table (no assignment is satisfied): recorded by hand, now,
    unless overridden."""
    now = dt.datetime.now(dt.UTC)
    values: dict[str, Any] = {"completed_at": now, "completed_on": now.date(), "source": "manual"}
    values.update(overrides)
    completion = Completion(person_id=person.id, item_id=item.id, **values)
    db.add(completion)
    db.flush()
    return completion


def make_plan(db: Session, *, person: Person, **overrides: Any) -> DevelopmentPlan:
    """An active development plan for this person, for the current year unless overridden."""
    year = dt.date.today().year
    values: dict[str, Any] = {
        "title": f"Plan {next(_seq)}",
        "period_start": dt.date(year, 1, 1),
        "period_end": dt.date(year, 12, 31),
    }
    values.update(overrides)
    return create_plan(db, person_id=person.id, **values)


def make_goals(
    db: Session,
    *,
    person: Person,
    goals: list[tuple[str, Skill | None, int | None]] = (),  # type: ignore[assignment]
    aspirations: str = "",
    descriptions: dict[str, str] | None = None,
) -> DevelopmentPlan:
    """An active plan written straight into the tables, with open goals (title, skill, target level)."""
    year = dt.date.today().year
    plan = DevelopmentPlan(
        person_id=person.id,
        title=f"Plan {next(_seq)}",
        period_start=dt.date(year, 1, 1),
        period_end=dt.date(year, 12, 31),
        aspirations=aspirations,
    )
    plan.goals = [
        PlanGoal(
            title=title,
            description=(descriptions or {}).get(title, ""),
            skill_id=skill.id if skill else None,
            target_level=level,
            position=n,
        )
        for n, (title, skill, level) in enumerate(goals)
    ]
    db.add(plan)
    db.flush()
    return plan
