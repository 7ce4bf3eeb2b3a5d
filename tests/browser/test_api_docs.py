"""The interactive API documentation runs under the site's Content-Security-Policy, from Swagger UI
installed by `make assets` (no CDN, no inline script)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.helpers.browser import CSP_REFUSALS


def test_api_docs_render_every_operation_under_the_csp(page: Page) -> None:
    response = page.goto("/api/docs")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    # Swagger UI renders the whole spec in the browser: allow for a loaded machine.
    expect(page.get_by_role("heading", name="Learnbridge")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("/api/v1/me/assignments", exact=True).first).to_be_visible()
    assert getattr(page, CSP_REFUSALS) == []
