"""A taxonomy the size of ESCO's skills pillar: 4 frameworks of 3,510 skills each (14,040), four
levels deep (10 at the top, 7 below each, 7 below those, 6 below those), every name 60 to 120
characters and every description 300 to 600 of made-up words (generated here, never downloaded),
loaded through the skills importer. The app runs under uvicorn in its own process; a learner (with a
job profile, a plan goal and ratings naming skills) and an L&D admin, each signed in through the
form, read the pages that name skills, the picker's search and the paged frameworks API. Targets:
p95 < 300 ms and < 1 MB a page."""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.common import backends, console, fresh_database, median, percentile, settle, table
from bench.served import PASSWORD, Client, served
from learnbridge.accounts.service import create_account, create_token
from learnbridge.catalog.models import ItemStatus
from learnbridge.catalog.schemas import ItemIn, SkillLevelIn
from learnbridge.catalog.service import create_item, set_status
from learnbridge.core.db import make_engine
from learnbridge.people.models import Person
from learnbridge.people.service import create_job_profile
from learnbridge.pull.plans import add_goal, create_plan
from learnbridge.skills.importer import FrameworkSpec, SkillRow, import_frameworks
from learnbridge.skills.models import Framework, Rater, Skill
from learnbridge.skills.service import rate_skill, require_skill

FRAMEWORKS = 4
SHAPE = (10, 7, 7, 6)  # children per node at each depth: 10 + 70 + 490 + 2,940 = 3,510 a framework
RUNS = 3
REQUESTS = 20  # per page and run
TARGET_P95_MS = 300.0
TARGET_BYTES = 1_000_000
LEARNER, ADMIN = "bench-learner@example.org", "bench-admin@example.org"
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "ta",
    "vel",
    "dor",
    "an",
    "is",
    "um",
    "gra",
    "pli",
    "sto",
    "fen",
    "char",
    "quo",
    "bri",
    "zan",
    "ex",
    "or",
    "til",
    "wim",
]


def _word(rnd: random.Random) -> str:
    return "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4)))


def _text(rnd: random.Random, low: int, high: int) -> str:
    """Made-up words up to a length drawn between `low` and `high` characters."""
    size = rnd.randint(low, high)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < size:
        words.append(_word(rnd))
    return " ".join(words)[:size].strip().capitalize()


def generate(seed: int = 7) -> list[FrameworkSpec]:
    """The frameworks, each skill's parent before it (the importer links parents after)."""
    rnd = random.Random(seed)
    specs = []
    for f in range(1, FRAMEWORKS + 1):
        spec = FrameworkSpec(idnumber=f"TAX{f}", name=f"Taxonomy {f}: {_text(rnd, 20, 40)}")
        parents: list[str] = [""]
        for width in SHAPE:
            level: list[str] = []
            for parent in parents:
                for n in range(1, width + 1):
                    idnumber = f"{parent or spec.idnumber}.{n}"
                    name, about = _text(rnd, 60, 120), _text(rnd, 300, 600)
                    spec.rows.append(SkillRow(0, spec.idnumber, idnumber, name, about, parent))
                    level.append(idnumber)
            parents = level
        specs.append(spec)
    return specs


@dataclass
class Prepared:
    item_id: int
    framework_id: int
    top_skill_id: int
    token: str
    query: str
    skills: int


def prepare(url: str) -> Prepared:
    engine = make_engine(url)
    try:
        with Session(engine, expire_on_commit=False) as db:
            specs = generate()
            import_frameworks(db, specs=specs)
            db.flush()
            framework = db.scalars(select(Framework).order_by(Framework.name)).first()
            assert framework is not None
            skills = list(
                db.scalars(
                    select(Skill).where(Skill.framework_id == framework.id).order_by(Skill.id).limit(400)
                )
            )
            person = Person(external_id="L1", name="Bench Learner", email=LEARNER)
            profile = create_job_profile(db, code="BENCH", title="Bench profile")
            person.job_profile_id = profile.id
            db.add(person)
            db.flush()
            for skill in skills[:5]:
                require_skill(db, job_profile=profile, skill=skill, level=3)
            for skill in skills[5:10]:
                rate_skill(
                    db,
                    person_id=person.id,
                    skill_id=skill.id,
                    level=2,
                    rater=Rater.self,
                    rated_by_id=person.id,
                )
            year = dt.date.today().year
            plan = create_plan(
                db,
                person_id=person.id,
                title="Bench plan",
                period_start=dt.date(year, 1, 1),
                period_end=dt.date(year, 12, 31),
            )
            for skill in skills[10:13]:
                add_goal(
                    db, plan_id=plan.id, title=f"Grow in {skill.name[:40]}", skill_id=skill.id, target_level=3
                )
            data = ItemIn(
                title="Bench item",
                objectives=["Do it"],
                skills=[SkillLevelIn(skill_id=s.id, level=2) for s in skills[13:16]],
            )
            item = create_item(db, data=data, owner_id=None)
            set_status(db, item_id=item.id, status=ItemStatus.published)
            create_account(db, email=LEARNER, password=PASSWORD)
            create_account(db, email=ADMIN, password=PASSWORD, is_ld_admin=True)
            token = create_token(db, email=LEARNER)
            top = next(s for s in skills if s.parent_id is None)
            # A word's first four letters: what a person types before the list narrows (many match).
            query = skills[200].name.split()[0][:4].lower()
            db.commit()
            total = sum(len(spec.rows) for spec in specs)
            return Prepared(item.id, framework.id, top.id, token, query, total)
    finally:
        engine.dispose()


@dataclass
class RunResult:
    samples: dict[str, list[float]] = field(default_factory=dict)
    sizes: dict[str, int] = field(default_factory=dict)


def _pages(p: Prepared) -> list[tuple[str, str, str]]:
    """(name, who, path) of each request measured."""
    fw = p.framework_id
    return [
        ("Skills (the frameworks' trees)", "learner", "/skills"),
        (
            "a skill's children (tree fragment)",
            "learner",
            f"/skills/frameworks/{fw}/tree?parent={p.top_skill_id}",
        ),
        ("My plan", "learner", "/plan"),
        ("My skills", "learner", "/me/skills"),
        ("Catalogue", "learner", "/catalog"),
        ("Item editor", "admin", f"/admin/catalog/{p.item_id}/edit"),
        ("skill search (picker, 20 options)", "learner", f"/skills/options?q={p.query}"),
        ("API: frameworks", "api", "/api/v1/skills/frameworks"),
        ("API: a framework's skills (100)", "api", f"/api/v1/skills/frameworks/{fw}/skills?limit=100"),
    ]


def one_run(url: str, p: Prepared) -> RunResult:
    result = RunResult()
    with tempfile.TemporaryDirectory() as var, served(url, Path(var)) as port:
        clients = {"learner": Client(port), "admin": Client(port), "api": Client(port, token=p.token)}
        clients["learner"].sign_in(LEARNER)
        clients["admin"].sign_in(ADMIN)
        for name, who, path in _pages(p):
            client, samples = clients[who], result.samples.setdefault(name, [])
            for n in range(REQUESTS + 3):  # the first three warm up
                started = time.perf_counter()
                status, body = client.request("GET", path)
                if n >= 3:
                    samples.append(time.perf_counter() - started)
                assert status == 200, f"{path} answered {status}: {body[:300]!r}"
            result.sizes[name] = len(body)
        for client in clients.values():
            client.close()
    return result


def run() -> dict[str, tuple[int, list[RunResult]]]:
    out: dict[str, tuple[int, list[RunResult]]] = {}
    for backend in backends():
        with fresh_database(backend) as url:
            started = time.perf_counter()
            prepared = prepare(url)
            settle(backend, url)
            console.print(
                f"  {backend}: {prepared.skills:,} skills loaded in {time.perf_counter() - started:.1f} s"
            )
            results = []
            for n in range(RUNS):
                console.print(f"  {backend}: pages over the taxonomy, run {n + 1}/{RUNS}")
                results.append(one_run(url, prepared))
            out[backend] = (prepared.skills, results)
    return out


def render(out: dict[str, tuple[int, list[RunResult]]]) -> None:
    rows = []
    for backend, (_, results) in out.items():
        for name in results[0].samples:
            p50 = median([percentile(r.samples[name], 50) for r in results]) * 1000
            p95 = median([percentile(r.samples[name], 95) for r in results]) * 1000
            size = max(r.sizes[name] for r in results)
            ok = p95 < TARGET_P95_MS and size < TARGET_BYTES
            rows.append(
                [
                    backend,
                    name,
                    f"{p50:.1f} ms",
                    f"{p95:.1f} ms",
                    f"{size / 1024:,.1f} KB",
                    "ok" if ok else "SLOW",
                ]
            )
    skills = next(iter(out.values()))[0] if out else 0
    console.print(
        table(
            f"Pages over a {skills:,}-skill taxonomy through HTTP (uvicorn process; median of {RUNS} runs, "
            f"{REQUESTS} requests per page each); targets p95 < {TARGET_P95_MS:.0f} ms and < 1 MB",
            ["backend", "page", "p50", "p95", "size", "verdict"],
            rows,
        )
    )
