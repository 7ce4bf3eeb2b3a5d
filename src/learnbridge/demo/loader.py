"""The demo organisation, Northwind Logistics, built through the same services a real one uses.

`people` scales it: the five departments and their teams stay, and big teams split into squads of
about 25 with their own leads, so 100,000 people still form a believable management tree."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zlib
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.accounts.service import create_account
from learnbridge.catalog.models import ItemStatus
from learnbridge.catalog.schemas import ItemIn, SkillLevelIn
from learnbridge.catalog.service import import_items, update_item
from learnbridge.content.storage import ContentStore
from learnbridge.core.progress import Progress, no_progress
from learnbridge.demo.compliance import load_compliance
from learnbridge.demo.content import (
    DEPARTMENTS,
    FIRST_NAMES,
    FRAMEWORKS,
    ITEMS,
    JOB_PROFILES,
    LAST_NAMES,
    LOCATIONS,
)
from learnbridge.demo.delivery import load_delivery
from learnbridge.demo.pull import load_pull
from learnbridge.people.importer import import_people
from learnbridge.people.service import create_job_profile, find_people
from learnbridge.skills.importer import FrameworkSpec, SkillRow, import_frameworks
from learnbridge.skills.service import list_skills, require_skill

PASSWORD = "learnbridge"  # noqa: S105 - the published demo password
ROOT = "Northwind Logistics"
SQUAD = 25
DEMO_LOGINS = [
    ("admin@example.com", "L&D admin"),
    ("manager@example.com", "manager (Warehouse North team leader)"),
    ("learner@example.com", "learner (reports to manager@example.com)"),
    ("auditor@example.com", "auditor"),
]
# The four demo people, placed where their role makes sense: (email, name, team, profile code).
NAMED = {
    "manager": ("manager@example.com", "Maria Jensen", "Warehouse North", "operations-team-leader"),
    "learner": ("learner@example.com", "Lee Carter", "Warehouse North", "warehouse-operative"),
    "admin": ("admin@example.com", "Alex Morgan", "Learning & Development", "ld-specialist"),
    "auditor": ("auditor@example.com", "Priya Shah", "Internal Audit", "internal-auditor"),
}
LEADER_PROFILE = {"Operations": "operations-team-leader", "Sales": "sales-team-manager"}
TEAM_SITES = {"Warehouse North": "Rotterdam", "Warehouse South": "Antwerp"}


def load_demo(
    db: Session,
    *,
    people: int = 300,
    items: int = 120,
    seed: int = 7,
    compliance: bool = True,
    pull: bool = True,
    content_store: ContentStore | None = None,
    progress: Progress = no_progress,
) -> dict[str, int]:
    """Build the organisation: skills, job profiles, people (via the HR import), catalogue, logins,
    and (unless told not to) the compliance programme and the pull side (sessions, plans, ratings);
    with a content store, the catalogue's content (SCORM, cmi5, video, policy, quizzes) too."""
    rng = random.Random(seed)
    progress("skills", 0, 1)
    skills = _load_skills(db)
    _load_profiles(db, skills)
    progress("skills", 1, 1)
    people_csv = people_csv_text(people, rng)
    summary = import_people(db, text=people_csv, progress=progress)
    admin = find_people(db, q=NAMED["admin"][0], limit=1).items
    count = _load_items(db, skills, items, rng, admin[0].id if admin else None, progress)
    for email, _ in DEMO_LOGINS:
        create_account(
            db,
            email=email,
            password=PASSWORD,
            is_ld_admin=email.startswith("admin"),
            is_auditor=email.startswith("auditor"),
        )
    requirements = load_compliance(db, rng=rng, progress=progress) if compliance else 0
    pulled = load_pull(db, rng=rng, progress=progress) if pull else {}
    content = load_delivery(db, content_store, progress=progress) if content_store is not None else 0
    return {
        "requirements": requirements,
        "people": summary.created,
        "org_units": summary.org_units_created,
        "job_profiles": len(JOB_PROFILES),
        "skills": len(skills),
        "items": count,
        "accounts": len(DEMO_LOGINS),
        "content_versions": content,
        **pulled,
    }


def _load_skills(db: Session) -> dict[str, int]:
    specs = [
        FrameworkSpec(
            idnumber=fw["idnumber"],
            name=fw["name"],
            description=fw["description"],
            levels=list(fw["levels"]),
            rows=[
                SkillRow(0, fw["idnumber"], s["idnumber"], s["name"], s["description"]) for s in fw["skills"]
            ],
        )
        for fw in FRAMEWORKS
    ]
    import_frameworks(db, specs=specs)
    return {skill.idnumber: skill.id for skill in list_skills(db)}


def _load_profiles(db: Session, skills: dict[str, int]) -> None:
    by_id = {skill.id: skill for skill in list_skills(db)}
    for spec in JOB_PROFILES:
        profile = create_job_profile(
            db, code=spec["code"], title=spec["title"], description=spec["description"]
        )
        for idnumber, level in spec["skills"]:
            require_skill(db, job_profile=profile, skill=by_id[skills[idnumber]], level=level)


def _profile_title(code: str) -> str:
    return str(next(p["title"] for p in JOB_PROFILES if p["code"] == code))


def people_csv_text(total: int, rng: random.Random) -> str:
    """An HR export for `total` people (at least 30): heads, team leaders, squad leads, members."""
    total = max(total, 30)
    rows: list[dict[str, str]] = []
    teams = [(dept, team) for dept, names in DEPARTMENTS for team in names]
    used_emails: set[str] = {named[0] for named in NAMED.values()}

    def add(
        name: str, unit: str, profile: str, manager: str, email: str | None = None, location: str = ""
    ) -> str:
        ext = f"E{len(rows) + 1:06d}"
        email = email or _email(name, len(rows) + 1, used_emails)
        hired = dt.date(2026, 11, 1) - dt.timedelta(days=rng.randint(10, 3650))
        rows.append(
            {
                "external_id": ext,
                "name": name,
                "email": email,
                "manager_external_id": manager,
                "org_unit": unit,
                "job_profile": _profile_title(profile),
                "location": location or rng.choice(LOCATIONS),
                "hire_date": hired.isoformat(),
                "active": "true",
                "attr_employment_type": rng.choice(["permanent"] * 9 + ["contractor"]),
                "attr_cost_centre": f"CC-{zlib.crc32(unit.encode()) % 9000 + 1000}",
            }
        )
        return ext

    ceo = add(_name(rng), ROOT, "team-manager", "")
    heads = {
        dept: add(_name(rng), f"{ROOT} / {dept}", LEADER_PROFILE.get(dept, "team-manager"), ceo)
        for dept, _ in DEPARTMENTS
    }
    members_left = total - len(rows) - len(teams)
    per_team = [
        members_left // len(teams) + (1 if i < members_left % len(teams) else 0) for i in range(len(teams))
    ]
    for (dept, team), size in zip(teams, per_team, strict=True):
        unit = f"{ROOT} / {dept} / {team}"
        site = TEAM_SITES.get(team, "")
        named_leader = next((n for n in NAMED.values() if n[2] == team and "leader" in n[3]), None)
        leader = add(
            named_leader[1] if named_leader else _name(rng),
            unit,
            LEADER_PROFILE.get(dept, "team-manager"),
            heads[dept],
            named_leader[0] if named_leader else None,
            site,
        )
        staff = [n for n in NAMED.values() if n[2] == team and n is not named_leader]
        profiles = [p["code"] for p in JOB_PROFILES if p["department"] == dept and not p["is_manager"]]
        squads = max(1, round(size / SQUAD)) if size > 2 * SQUAD else 1
        for squad in range(squads):
            squad_size = size // squads + (1 if squad < size % squads else 0)
            boss, squad_unit = leader, unit
            if squads > 1:
                squad_unit = f"{unit} / Squad {squad + 1}"
                boss = add(
                    _name(rng), squad_unit, LEADER_PROFILE.get(dept, "team-manager"), leader, location=site
                )
                squad_size -= 1
            for n in range(squad_size):
                if staff and squad == 0 and n == 0:
                    email, name, _, code = staff.pop()
                    add(name, squad_unit, code, boss, email, site)
                else:
                    add(_name(rng), squad_unit, rng.choice(profiles), boss, location=site)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _email(name: str, n: int, used: set[str]) -> str:
    base = "".join(c for c in name.lower().replace(" ", ".") if c.isascii() and (c.isalnum() or c == "."))
    email = f"{base}@northwind.example"
    if email in used:
        email = f"{base}.{n}@northwind.example"
    used.add(email)
    return email


def _load_items(
    db: Session,
    skills: dict[str, int],
    count: int,
    rng: random.Random,
    owner_id: int | None,
    progress: Progress,
) -> int:
    written = [_item_in(spec, skills) for spec in ITEMS]
    by_status: dict[ItemStatus, list[ItemIn]] = {}
    for spec, item in zip(ITEMS, written, strict=True):
        by_status.setdefault(ItemStatus(spec["status"]), []).append(item)
    extra = [_variant(rng.choice(written), n) for n in range(max(0, count - len(written)))]
    by_status.setdefault(ItemStatus.published, []).extend(extra)
    ids: dict[str, int] = {}
    done = 0
    for status, batch in by_status.items():
        for start in range(0, len(batch), 2000):
            chunk = batch[start : start + 2000]
            ids.update(
                zip(
                    (i.title for i in chunk),
                    import_items(db, items=chunk, status=status, owner_id=owner_id),
                    strict=True,
                )
            )
            done += len(chunk)
            progress("catalogue", done, len(written) + len(extra))
    for spec in ITEMS:
        if spec.get("steps"):
            item = _item_in(spec, skills)
            item.steps = [ids[title] for title in spec["steps"]]
            update_item(db, item_id=ids[spec["title"]], data=item)
    return len(written) + len(extra)


def _item_in(spec: dict[str, Any], skills: dict[str, int]) -> ItemIn:
    return ItemIn(
        title=spec["title"],
        kind=spec["kind"],
        format=spec["format"],
        summary=spec["summary"],
        objectives=list(spec["objectives"]),
        duration_minutes=spec["duration_minutes"],
        provider=spec["provider"],
        vendor_name=spec["vendor_name"],
        cost=Decimal(spec["cost"]),
        skills=[SkillLevelIn(skill_id=skills[code], level=level) for code, level in spec["skills"]],
    )


EDITIONS = [
    "Essentials",
    "in Practice",
    "Refresher",
    "for New Starters",
    "Deep Dive",
    "Masterclass",
    "Quick Guide",
]


def _variant(base: ItemIn, n: int) -> ItemIn:
    """More items for scale tests: editions of the written ones, with distinct titles."""
    item = base.model_copy(deep=True)
    item.title = f"{base.title}: {EDITIONS[n % len(EDITIONS)]} {n // len(EDITIONS) + 1}"
    return item
