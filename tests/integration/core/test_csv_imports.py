"""Every CSV import (people, completions, skills) refuses a stray quote, a NUL byte or an over-long cell
with a 422 naming the row, through the API, the upload form and the CLI, and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnbridge.core.db import make_engine
from learnbridge.people.models import Person
from learnbridge.records.models import Completion
from learnbridge.skills.models import Skill
from tests.factories import bearer, csrf_from, login, make_account
from tests.helpers.cli import cli
from tests.helpers.databases import BACKENDS, create_database, drop_database

# Past the csv module's own field limit (131,072): that used to be an unhandled csv.Error, a 500.
HUGE = "x" * 200_000


@dataclass(frozen=True)
class Import:
    name: str
    api: str
    page: str
    command: tuple[str, ...]
    form: tuple[tuple[str, str], ...]
    good: str  # the header and row 2
    bad: tuple[str, str, str]  # row 3 (and on): a stray quote, a NUL byte, an over-long cell


IMPORTS = [
    Import(
        "people",
        "/api/v1/people/import?full=true",
        "/admin/people/import",
        ("people", "import", "--full"),
        (("full", "on"),),
        "external_id,name,email\nE1,Al,al@x.org\n",
        ('E2,"Bo,bo@x.org\nE3,Cy,cy@x.org\n', "E2,B\x00o,bo@x.org\n", f"E2,Bo,{HUGE}\n"),
    ),
    Import(
        "completions",
        "/api/v1/completions/import",
        "/admin/completions/import",
        ("completions", "import"),
        (),
        "person,item_id,completed_on,evidence\nE1,1,2026-01-01,Certificate\n",
        (
            'E2,1,2026-01-01,"Signed\nE3,1,2026-01-01,Fine\n',
            "E2,1,2026-01-01,Sig\x00ned\n",
            f"E2,1,2026-01-01,{HUGE}\n",
        ),
    ),
    Import(
        "skills",
        "/api/v1/skills/import?format=simple",
        "/admin/skills/import",
        ("skills", "import", "--format", "simple"),
        (("format", "simple"),),
        "framework,idnumber,name,description\nSafety,S1,Fire safety,\n",
        (
            'Safety,S2,"Evacuation,\nSafety,S3,First aid,\n',
            "Safety,S2,Evac\x00uation,\n",
            f"Safety,S2,{HUGE},\n",
        ),
    ),
]
EXPECTED = ("a quote opened on row 3 is never closed", "contains a NUL byte", "longer than 10,000 characters")
CASES = [pytest.param(imp, kind, id=f"{imp.name}-{kind}") for imp in IMPORTS for kind in range(3)]


def written(db: Session) -> tuple[int, ...]:
    """What an import could have written: people (and how many are active), completions, skills."""
    active = select(func.count()).select_from(Person).where(Person.active.is_(True))
    counts = [select(func.count()).select_from(model) for model in (Person, Completion, Skill)]
    return (db.scalar(active) or 0, *(db.scalar(q) or 0 for q in counts))


def seed(db: Session) -> None:
    """People the people import's `full` would deactivate if it lost rows."""
    for ext in ("E1", "E2", "E3"):
        db.add(Person(external_id=ext, name=f"Person {ext}"))
    db.flush()


@pytest.mark.parametrize(("imp", "kind"), CASES)
def test_the_api_answers_422_naming_the_row(client: TestClient, db: Session, imp: Import, kind: int) -> None:
    seed(db)
    before = written(db)
    headers = bearer(db, make_account(db, ld_admin=True))
    response = client.post(imp.api, headers=headers, content=(imp.good + imp.bad[kind]).encode())
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert error["row"] == 3 and EXPECTED[kind] in error["message"]
    assert written(db) == before


@pytest.mark.parametrize(("imp", "kind"), CASES)
def test_the_upload_form_lists_the_row_and_imports_nothing(
    client: TestClient, db: Session, imp: Import, kind: int
) -> None:
    seed(db)
    before = written(db)
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get(imp.page).text)
    page = client.post(
        imp.page,
        data={"csrf_token": token, **dict(imp.form)},
        files={"file": ("upload.csv", (imp.good + imp.bad[kind]).encode())},
    )
    assert page.status_code == 422
    assert "Nothing was imported" in page.text and "Row 3" in page.text and EXPECTED[kind] in page.text
    assert written(db) == before


@pytest.fixture(scope="module", params=BACKENDS)
def cli_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url, handle = create_database(request.param, tmp_path_factory.mktemp("csv-cli"))
    yield url
    drop_database(handle)


@pytest.mark.parametrize("imp", IMPORTS, ids=[imp.name for imp in IMPORTS])
def test_the_cli_prints_the_row_exits_non_zero_and_writes_nothing(
    cli_url: str, tmp_path: Path, imp: Import
) -> None:
    engine = make_engine(cli_url)
    with Session(engine) as db:
        if not db.scalar(select(func.count()).select_from(Person)):
            seed(db)
            db.commit()
        before = written(db)
    for kind, bad in enumerate(imp.bad):
        upload = tmp_path / f"bad-{kind}.csv"
        upload.write_text(imp.good + bad, encoding="utf-8")
        result = cli(cli_url, *imp.command, str(upload))
        assert result.returncode == 1, result.stdout
        assert "nothing was written" in result.stderr
        problems = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("row ")]
        assert len(problems) == 1 and problems[0].startswith("row 3, ") and EXPECTED[kind] in problems[0]
        assert kind != 0 or problems[0].endswith("(a cell cannot hold a line break)")  # one line, unwrapped
    with Session(engine) as db:
        assert written(db) == before
    engine.dispose()
