"""Driving Debian's Chromium (Playwright) against a served demo organisation: the browser's flags, a page
with its own cookies, signing in and out, the main navigation, and the axe-core check every journey runs."""

from __future__ import annotations

import functools
import hashlib
import json
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from learnbridge.app import create_app
from learnbridge.core.settings import Settings
from tests.helpers.databases import create_database, demo_content_dir, drop_database
from tests.helpers.servers import serve

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CSP_REFUSALS = "learnbridge_csp_refusals"


@contextmanager
def serve_demo(backend: str, tmp: Path) -> Iterator[str]:
    """A uvicorn server in a thread, on a fresh database holding the demo organisation."""
    url, handle = create_database(backend, tmp, demo=True)
    settings = Settings(
        database_url=url, secret_key="browser-tests", var_dir=tmp, content_dir=demo_content_dir(backend)
    )
    app = create_app(settings)
    try:
        with serve(app) as base_url:
            yield base_url
    finally:
        drop_database(handle)


@contextmanager
def browser_page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A page in a fresh browser context (its own cookies) against a server."""
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    setattr(page, CSP_REFUSALS, refused)  # read back by check_accessibility
    yield page
    context.close()


# Pages axe has passed in this run, by their markup less the per-session tokens (CSRF, signed links): a
# journey signs in a dozen times, and the same page (on the other backend, in another worker) need not be
# checked again. A file per page in a folder the workers share (set by the browser conftest).
AXE_PASSED = {"folder": Path(tempfile.gettempdir()) / "learnbridge-axe-passed"}
_TOKENS = re.compile(r"[A-Za-z0-9_.-]{32,}")


@functools.cache
def _axe() -> str:
    return AXE.read_text()


def check_accessibility(page: Page) -> None:
    """Run axe-core on the current page; fail on serious or critical violations, and on anything the
    page's Content-Security-Policy refused (an inline script or style left behind). axe goes in as the
    exact text `make assets` installed, which the CSP of a development checkout admits by its hash.
    Markup already passed in this run (tokens aside) is not checked twice."""
    # A click that navigates returns once the new document is committed, before it is parsed: wait for it
    # to load (stylesheets too, which axe's contrast rules read) before reading or adding to it.
    page.wait_for_load_state("load")
    refused = getattr(page, CSP_REFUSALS, [])
    assert not refused, f"the Content-Security-Policy refused something on {page.url}: {refused}"
    markup = hashlib.sha256(_TOKENS.sub("", page.content()).encode()).hexdigest()
    passed = AXE_PASSED["folder"] / markup
    if passed.exists():
        return
    page.add_script_tag(content=_axe())
    assert not refused, f"the Content-Security-Policy refused something on {page.url}: {refused}"
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:3]],
        }
        for v in bad
    ]
    assert not bad, f"axe found serious problems on {page.url}:\n{json.dumps(summary, indent=2)}"
    passed.parent.mkdir(parents=True, exist_ok=True)
    passed.touch()


def sign_in_with_the_form(page: Page, email: str, password: str = "learnbridge") -> None:
    """Sign in as a person does: the login page (checked with axe), its labelled fields and its button."""
    page.goto("/login")
    check_accessibility(page)
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def sign_in(page: Page, email: str, password: str = "learnbridge") -> None:
    """Sign in for a journey's next step: the login form posted through the browser context's own HTTP
    client (same cookies, same CSRF token, the same POST /login), then the home page opened. Journeys
    switch people a dozen times; the form itself is driven by sign_in_with_the_form."""
    login = page.request.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', login.text())
    assert token is not None, "the login page has no CSRF token"
    form = {"email": email, "password": password, "csrf_token": token.group(1), "next": "/"}
    answer = page.request.post("/login", form=form, max_redirects=0)
    assert answer.status == 303, f"signing in as {email} answered {answer.status}"
    page.goto("/")


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login**")


def go(page: Page, name: str) -> None:
    """Follow a link in the main navigation, opening the menu (Team, Manage) it is in when needed."""
    nav = page.get_by_role("navigation", name="Main")
    # The name, alone or followed by a count ("Inbox 2 unread").
    link = nav.get_by_role("link", name=re.compile(rf"^{re.escape(name)}(\s|$)"))
    if not link.is_visible():
        menu = nav.locator("details", has=page.locator(f'a:text-is("{name}")'))
        menu.locator("summary").click()
    link.click()


def pick_skill(scope: Page | Locator, label: str, typed: str, skill: str, *, keyboard: bool = False) -> None:
    """Choose a skill in a skill picker as a person does: type part of its name into the field labelled
    `label`, wait for the server's options, then pick the one named `skill` by click (or, with
    `keyboard`, by arrow keys and Enter)."""
    field = scope.get_by_label(label, exact=True)
    field.fill("")
    field.press_sequentially(typed, delay=20)
    listbox = scope.locator(f"#{field.get_attribute('id')}-options")
    option = listbox.get_by_role("option", name=re.compile(rf"^{re.escape(skill)} ·"))
    expect(option).to_be_visible()
    if keyboard:
        for _ in range(10):
            field.press("ArrowDown")
            if option.get_attribute("aria-selected") == "true":
                break
        field.press("Enter")
    else:
        option.click()
    expect(field).to_have_value(skill)
    expect(listbox).to_be_hidden()
