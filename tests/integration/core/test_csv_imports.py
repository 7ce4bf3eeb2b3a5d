"""Every CSV import (people, completions, skills) reads its file through the one reader in core: through the
API, the upload form and the CLI, a stray quote, a NUL byte or an over-long cell is a 422 naming the row;
every problem in the file is listed in one pass as (row, column, message), the same from all three; a
file in Windows-1252 or with a BOM is read, one that is no CSV text is refused in one line; and nothing is
written unless the whole file is good."""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
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
SAVE_AS = 'save it from the spreadsheet as "CSV UTF-8 (Comma delimited)"'
WORKBOOK = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U\x9f\x81"  # how an .xlsx begins


@dataclass(frozen=True)
class Import:
    name: str
    api: str
    page: str
    command: tuple[str, ...]
    form: tuple[tuple[str, str], ...]
    good: str  # the header and row 2
    bad: tuple[str, str, str]  # row 3 (and on): a stray quote, a NUL byte, an over-long cell
    wrong: str  # rows 3 to 5: two problems on row 3, one on row 5 (row 4 is fine)
    problems: tuple[tuple[int, str], ...]  # what `wrong` breaks: (row, column)


IMPORTS = [
    Import(
        "people",
        "/api/v1/people/import?full=true",
        "/admin/people/import",
        ("people", "import", "--full"),
        (("full", "on"),),
        "external_id,name,email\nE1,Al,al@x.org\n",
        ('E2,"Bo,bo@x.org\nE3,Cy,cy@x.org\n', "E2,B\x00o,bo@x.org\n", f"E2,Bo,{HUGE}\n"),
        ",,not-an-email\nE3,Cy,\nE4,Di,di@\n",
        ((3, "external_id"), (3, "name"), (3, "email"), (5, "email")),
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
        "E2,one,someday,\nE3,1,2026-01-01,\n,1,2026-01-01,\n",
        ((3, "item_id"), (3, "completed_on"), (5, "person")),
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
        ",,,Evacuation\nSafety,S3,First aid,\nSafety,S4,,\n",
        ((3, "framework"), (3, "idnumber"), (3, "name"), (5, "name")),
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


def wrong_file(imp: Import) -> str:
    """`wrong` with a row of empty cells (as Excel writes them) in the middle: it is no row at all."""
    return imp.good + imp.wrong.replace("\n", "\n,,,\n", 1)


@pytest.mark.parametrize("imp", IMPORTS, ids=[imp.name for imp in IMPORTS])
def test_the_api_and_the_page_list_every_problem_in_one_pass_alike(
    client: TestClient, db: Session, imp: Import
) -> None:
    seed(db)
    before = written(db)
    upload = wrong_file(imp).encode()
    response = client.post(imp.api, headers=bearer(db, make_account(db, ld_admin=True)), content=upload)
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    # The empty row is skipped, and the rows after it keep the numbers a spreadsheet shows (5 becomes 6).
    expected = [(row if row == 3 else row + 1, column) for row, column in imp.problems]
    assert [(e["row"], e["field"]) for e in errors] == expected
    assert all(set(e) == {"row", "field", "message"} and e["message"] for e in errors)
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get(imp.page).text)
    page = client.post(
        imp.page, data={"csrf_token": token, **dict(imp.form)}, files={"file": ("wrong.csv", upload)}
    )
    assert page.status_code == 422 and "Nothing was imported" in page.text
    for e in errors:
        assert f"Row {e['row']}, <code>{e['field']}</code>: {escape(e['message'])}" in page.text
    assert written(db) == before


def test_cli_lists_the_same_problems_as_the_api(cli_url: str, tmp_path: Path) -> None:
    for imp in IMPORTS:
        upload = tmp_path / f"{imp.name}.csv"
        upload.write_text(wrong_file(imp), encoding="utf-8")
        result = cli(cli_url, *imp.command, str(upload))
        assert result.returncode == 1, result.stdout
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("row ")]
        expected = [(row if row == 3 else row + 1, column) for row, column in imp.problems]
        assert [line.split(":")[0] for line in lines] == [f"row {row}, {column}" for row, column in expected]
        assert "Traceback" not in result.stderr
        upload.write_bytes(WORKBOOK)
        result = cli(cli_url, *imp.command, str(upload))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
        assert lines == [
            "error: 1 problem(s), nothing was written",
            f"{upload.name}: is not a CSV text file: {SAVE_AS}",
        ]


def test_cli_prints_200_problems_and_counts_the_rest(cli_url: str, tmp_path: Path) -> None:
    upload = tmp_path / "many.csv"
    upload.write_text("external_id,name\n" + "".join(f"X{n},\n" for n in range(250)), encoding="utf-8")
    result = cli(cli_url, "people", "import", str(upload))
    assert result.returncode == 1
    assert "250 problem(s), nothing was written" in result.stderr
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    problems = [line for line in lines if line.startswith("row ")]
    assert problems[0] == "row 2, name: is required" and problems[-1] == "row 201, name: is required"
    assert len(problems) == 200 and lines[-1] == "…and 50 more"


ACCENTED = "external_id,name,location\nZ1,Zoë Brontë,Besançon\n,,\n"


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF8 + ACCENTED.encode(), ACCENTED.encode("cp1252"), ACCENTED.encode("utf-16")],
    ids=["utf-8-bom", "windows-1252", "utf-16"],
)
def test_a_file_saved_by_excel_is_read_through_the_api_and_the_page(
    client: TestClient, db: Session, data: bytes
) -> None:
    response = client.post(
        "/api/v1/people/import", headers=bearer(db, make_account(db, ld_admin=True)), content=data
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 1
    zoe = db.scalar(select(Person).where(Person.external_id == "Z1"))
    assert zoe is not None and (zoe.name, zoe.location) == ("Zoë Brontë", "Besançon")
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/people/import").text)
    page = client.post("/admin/people/import", data={"csrf_token": token}, files={"file": ("hr.csv", data)})
    assert page.status_code == 200 and "Unchanged: 1" in page.text


def test_skills_in_windows_1252_are_read(client: TestClient, db: Session) -> None:
    data = "framework,idnumber,name\nSécurité,S1,Évacuation\n".encode("cp1252")
    headers = bearer(db, make_account(db, ld_admin=True))
    response = client.post("/api/v1/skills/import?format=simple", headers=headers, content=data)
    assert response.status_code == 200, response.text
    assert db.scalar(select(Skill.name).where(Skill.idnumber == "S1")) == "Évacuation"


@pytest.mark.parametrize("imp", IMPORTS, ids=[imp.name for imp in IMPORTS])
def test_a_workbook_is_refused_in_one_line_by_the_api_and_the_page(
    client: TestClient, db: Session, imp: Import
) -> None:
    response = client.post(imp.api, headers=bearer(db, make_account(db, ld_admin=True)), content=WORKBOOK)
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "body" and "is not a CSV text file" in error["message"] and "row" not in error
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get(imp.page).text)
    page = client.post(
        imp.page, data={"csrf_token": token, **dict(imp.form)}, files={"file": ("book.xlsx", WORKBOOK)}
    )
    assert page.status_code == 422 and "Nothing was imported" in page.text
    assert f"<code>file</code>: is not a CSV text file: {escape(SAVE_AS)}" in page.text


# As European Excel saves "CSV": semicolons, cells holding one (or a quote) quoted, commas left bare.
SEMICOLONS = (
    "external_id;name;email;location;attr_note\r\n"
    'S1;Núñez, José;jose@x.org;"Köln; Mitte";"said ""hi"", left"\r\n'
    "\r\n"
    ";;;;\r\n"
    "S2;Åsa Öberg;asa@x.org;Malmö;\r\n"
)
STORED = {
    "S1": ("Núñez, José", "jose@x.org", "Köln; Mitte", {"note": 'said "hi", left'}),
    "S2": ("Åsa Öberg", "asa@x.org", "Malmö", {}),
}
# Blank lines and a row of empty cells before the bad rows: each problem names the line an editor shows.
BLANKS = "external_id;name;email\nE1;Al;al@x.org\n\n\nE2;;bo@x.org\n;;\nE3;Cy;not-an-email\n"
BLANK_PROBLEMS = [(5, "name"), (7, "email")]
TABS = "external_id\tname\nT1\tTia\n"
TABS_HINT = "this file is separated by tabs, which this import does not read"


def stored(db: Session, *external_ids: str) -> dict[str, tuple[object, ...]]:
    rows = db.execute(
        select(Person.external_id, Person.name, Person.email, Person.location, Person.attributes).where(
            Person.external_id.in_(external_ids)
        )
    )
    return {ext: tuple(values) for ext, *values in rows}


def upload(client: TestClient, db: Session, data: bytes) -> str:
    login(client, make_account(db, ld_admin=True).email)
    token = csrf_from(client.get("/admin/people/import").text)
    page = client.post("/admin/people/import", data={"csrf_token": token}, files={"file": ("hr.csv", data)})
    return f"{page.status_code} {page.text}"


@pytest.mark.parametrize(
    "data",
    [codecs.BOM_UTF8 + SEMICOLONS.encode(), SEMICOLONS.encode("cp1252")],
    ids=["csv-utf-8", "csv-windows-1252"],
)
def test_a_semicolon_file_from_european_excel_is_read_by_the_api_and_the_page(
    client: TestClient, db: Session, data: bytes
) -> None:
    response = client.post(
        "/api/v1/people/import", headers=bearer(db, make_account(db, ld_admin=True)), content=data
    )
    assert response.status_code == 200, response.text
    assert response.json()["created"] == 2
    assert stored(db, "S1", "S2") == STORED
    page = upload(client, db, data)
    assert page.startswith("200 ") and "Unchanged: 2" in page


def test_blank_lines_keep_the_row_numbers_and_nothing_is_written_through_the_api_and_the_page(
    client: TestClient, db: Session
) -> None:
    seed(db)
    before = written(db)
    response = client.post(
        "/api/v1/people/import", headers=bearer(db, make_account(db, ld_admin=True)), content=BLANKS.encode()
    )
    assert response.status_code == 422, response.text
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == BLANK_PROBLEMS
    page = upload(client, db, BLANKS.encode())
    assert (
        page.startswith("422 ") and "Row 5, <code>name</code>" in page and "Row 7, <code>email</code>" in page
    )
    assert written(db) == before


def test_a_file_separated_by_tabs_is_refused_naming_them_by_the_api_and_the_page(
    client: TestClient, db: Session
) -> None:
    seed(db)
    before = written(db)
    response = client.post(
        "/api/v1/people/import", headers=bearer(db, make_account(db, ld_admin=True)), content=TABS.encode()
    )
    assert response.status_code == 422, response.text
    (error,) = response.json()["errors"]
    assert (error["row"], error["field"]) == (1, "header") and error["message"].startswith(TABS_HINT)
    page = upload(client, db, TABS.encode())
    assert page.startswith("422 ") and TABS_HINT in page
    assert written(db) == before


def test_the_cli_reads_semicolons_counts_blank_lines_and_refuses_tabs(cli_url: str, tmp_path: Path) -> None:
    engine = make_engine(cli_url)
    good = tmp_path / "semicolons.csv"
    good.write_bytes(codecs.BOM_UTF8 + SEMICOLONS.encode())
    result = cli(cli_url, "people", "import", str(good))
    assert result.returncode == 0, result.stderr
    with Session(engine) as db:
        assert stored(db, "S1", "S2") == STORED
        before = written(db)
    blanks = tmp_path / "blanks.csv"
    blanks.write_text(BLANKS, encoding="utf-8")
    result = cli(cli_url, "people", "import", str(blanks))
    assert result.returncode == 1 and "nothing was written" in result.stderr
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip().startswith("row ")]
    assert [line.split(":")[0] for line in lines] == [
        f"row {row}, {column}" for row, column in BLANK_PROBLEMS
    ]
    tabs = tmp_path / "tabs.tsv"
    tabs.write_text(TABS, encoding="utf-8")
    result = cli(cli_url, "people", "import", str(tabs))
    assert result.returncode == 1 and f"row 1, header: {TABS_HINT}" in " ".join(result.stderr.split())
    with Session(engine) as db:
        assert written(db) == before
    engine.dispose()


@pytest.mark.parametrize("imp", IMPORTS, ids=[imp.name for imp in IMPORTS])
def test_every_import_reads_semicolons_and_names_the_same_rows(
    client: TestClient, db: Session, imp: Import
) -> None:
    """The completions and skills imports read through the same reader: a semicolon file's problems are
    the comma file's, on the same rows (its blank line and row of empty cells counted)."""
    seed(db)
    before = written(db)
    semicolons = wrong_file(imp).replace(",", ";").replace("\n", "\n\n", 1).encode()
    response = client.post(imp.api, headers=bearer(db, make_account(db, ld_admin=True)), content=semicolons)
    assert response.status_code == 422, response.text
    expected = [(row + 1 if row == 3 else row + 2, column) for row, column in imp.problems]
    assert [(e["row"], e["field"]) for e in response.json()["errors"]] == expected
    assert written(db) == before
