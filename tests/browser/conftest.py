"""Browser journeys in Debian's Chromium (Playwright), against a real server per database backend,
with the demo organisation loaded. Every page a journey opens is checked with axe-core."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.helpers.browser import AXE, AXE_PASSED, CHROMIUM, FLAGS, browser_page, serve_demo
from tests.helpers.databases import BACKENDS, unavailable

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session", autouse=True)
def axe_passed_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """One folder per run for the pages axe has passed, shared by the xdist workers (their base
    temporary folders are siblings)."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if base.name.startswith("popen-gw") else base
    AXE_PASSED["folder"] = shared / "axe-passed"


@pytest.fixture(scope="session", params=BACKENDS)
def live_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo organisation served for the whole run, shared by the tests that only read or add."""
    with serve_demo(request.param, tmp_path_factory.mktemp(f"live-{request.param}")) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        unavailable(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    if not AXE.exists():
        unavailable(f"axe-core is not installed at {AXE} (run `make assets`)")
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    with browser_page(browser, live_server) as page:
        yield page


@pytest.fixture(scope="module", params=BACKENDS)
def own_server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo server for one module, for journeys that change what other tests read (a module uses it
    by overriding `page` with `browser_page(browser, own_server)`)."""
    name = request.module.__name__.rsplit(".", 1)[-1]
    with serve_demo(request.param, tmp_path_factory.mktemp(f"{name}-{request.param}")) as url:
        yield url
