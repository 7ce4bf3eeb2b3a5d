"""A page form's broken field is a 422 page naming the field, one route from each module whose forms
are read by core.deps.form_of. The routes' own path ids are real, so only the form can be wrong."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import csrf_from, login, make_account, make_item, make_person

LONG = "x" * 2001
# (module, path with {id} for a real item's id, the form, the field the page must name)
CASES = [
    ("accounts.web", "/login", {"email": "a" * 250 + "@example.org", "password": "secret"}, "email"),
    ("catalog.web", "/admin/catalog/{id}/status", {"status": "burnt"}, "status"),
    ("pull.web", "/items/{id}/enrol", {"origin": "o" * 51}, "origin"),
    ("pull.recommend.web", "/for-you/feedback", {"item_id": "{id}", "action": "liked"}, "action"),
    ("sessions.web", "/team/approvals/{id}", {"decision": "maybe"}, "decision"),
    ("sessions.admin_web", "/admin/sessions/{id}/cancel", {"reason": LONG}, "reason"),
    ("push.web", "/compliance/assignments/{id}/due", {"due_on": "soon", "reason": "moved"}, "due_on"),
]


@pytest.mark.parametrize(("module", "path", "form", "field"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_form_field_is_a_422_page_naming_it(
    client: TestClient, db: Session, module: str, path: str, form: dict[str, str], field: str
) -> None:
    item = make_item(db)
    login(client, make_account(db, make_person(db), ld_admin=True).email)
    token = csrf_from(client.get("/inbox").text)
    data = {name: value.replace("{id}", str(item.id)) for name, value in form.items()}
    response = client.post(
        path.replace("{id}", str(item.id)), data={**data, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 422, response.text[:500]
    assert f"<code>{field}</code>" in response.text, response.text[:2000]
