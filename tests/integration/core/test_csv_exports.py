"""Every CSV export is safe to open in a spreadsheet: a cell that would start a formula (=, +, -, @, tab,
carriage return) starts with an apostrophe instead. The exports are found in the route table, so a new
`.csv` route is checked without touching this file."""

from __future__ import annotations

import csv
import io

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from learnbridge.core.csv_export import FORMULA_STARTS, safe_cell
from learnbridge.push.audit import Actor, record
from learnbridge.push.models import AuditAction
from tests.factories import (
    bearer,
    login,
    make_account,
    make_completion,
    make_item,
    make_person,
    make_requirement,
)

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


def test_a_formula_looking_cell_is_neutralised_and_plain_text_is_not() -> None:
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert (
        safe_cell("Lee Carter") == "Lee Carter"
        and safe_cell("") == ""
        and safe_cell("2026-12-07") == "2026-12-07"
    )


def csv_routes(client: TestClient) -> list[str]:
    paths = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        if isinstance(context.original_route, APIRoute) and (context.path or "").endswith(".csv"):
            paths.append(context.path or "")
    return sorted(paths)


def test_every_export_neutralises_formula_cells(client: TestClient, db: Session) -> None:
    admin = make_account(db, make_person(db), ld_admin=True)
    person = make_person(db, name=HOSTILE[0], email="hostile@example.org", location=HOSTILE[3])
    item = make_item(db, title=HOSTILE[3])
    requirement = make_requirement(db, items=[item], name=HOSTILE[1])
    make_completion(db, person=person, item=item)  # on the person's transcript, by the item's title
    record(
        db,
        actor=Actor(label=HOSTILE[2]),
        action=AuditAction.due_changed,
        requirement_id=requirement.id,
        person_id=person.id,
        reason=HOSTILE[4],
        detail=HOSTILE[5],
    )
    paths = csv_routes(client)
    assert "/api/v1/compliance/export.csv" in paths and "/audit.csv" in paths
    token = bearer(db, admin)
    login(client, admin.email)
    seen: set[str] = set()
    ids = {"{item_id}": str(item.id), "{person_id}": str(person.id)}
    for template in paths:
        path = template
        for name, value in ids.items():
            path = path.replace(name, value)
        assert "{" not in path, f"no id to put in {template}"
        response = client.get(path, headers=token if path.startswith("/api/") else None)
        assert response.status_code == 200, path
        cells = [cell for row in csv.reader(io.StringIO(response.text)) for cell in row]
        assert not [c for c in cells if c.startswith(FORMULA_STARTS)], path
        seen.update(c for c in cells if c.startswith("'"))
    assert {"'" + HOSTILE[0], "'" + HOSTILE[1], "'" + HOSTILE[2], "'" + HOSTILE[3]} <= seen
