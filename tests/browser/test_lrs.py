"""The LRS clients page: an L&D admin issues credentials for an xAPI 2.0 tool that work against /xapi (a
request naming no version is answered in 2.0.0), then revokes them."""

from __future__ import annotations

import base64
import re

from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, go, sign_in


def test_admin_issues_lrs_credentials_that_work_then_revokes_them(page: Page, live_server: str) -> None:
    sign_in(page, "admin@example.com")
    go(page, "LRS clients")
    expect(page.get_by_role("heading", name="LRS clients", level=1)).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Name").fill("Browser simulator")
    page.get_by_label("xAPI version").select_option("2.0.0")
    page.get_by_role("button", name="Create client").click()
    created = page.get_by_role("heading", name=re.compile("Browser simulator can now send statements"))
    expect(created).to_be_visible()
    check_accessibility(page)
    key, secret = (
        page.get_by_test_id("client-key").inner_text(),
        page.get_by_test_id("client-secret").inner_text(),
    )
    auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
    headers = {"Authorization": auth, "X-Experience-API-Version": "1.0.3"}
    assert page.request.get(f"{live_server}/xapi/statements", headers=headers).status == 200
    unversioned = page.request.get(f"{live_server}/xapi/statements", headers={"Authorization": auth})
    assert unversioned.status == 400 and unversioned.headers["x-experience-api-version"] == "2.0.0"
    page.goto("/admin/lrs/clients")
    row = page.get_by_role("row").filter(has_text="Browser simulator")
    expect(row.get_by_role("cell", name="2.0.0", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke Browser simulator").click()
    assert page.request.get(f"{live_server}/xapi/statements", headers=headers).status == 401
