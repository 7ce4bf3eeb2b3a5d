"""Lee takes the demo's Fire Safety Awareness cmi5 course: two AUs built with @xapi/cmi5 run in the
player's frame, fetch their token, read their launch data and report to our LRS; when both meet their
moveOn, the LMS writes `satisfied` for the course in Lee's registration and the attempt is passed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import browser_page, check_accessibility, sign_in

SATISFIED = "https://w3id.org/xapi/adl/verbs/satisfied"


@pytest.fixture
def page(browser: Browser, own_server: str) -> Iterator[Page]:
    with browser_page(browser, own_server) as page:
        yield page


def _statements(page: Page) -> list[dict[str, Any]]:
    answer = page.request.get("/api/v1/me/statements?limit=200")
    assert answer.ok, answer.text()
    found: list[dict[str, Any]] = answer.json()["statements"]
    return found


def _wait_for(page: Page, verb: str, registration: str, seconds: float = 20) -> dict[str, Any]:
    """The LRS has the statement once the stream job ran (the in-process runner polls every 2 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for found in _statements(page):
            if found["verb"]["id"] == verb and found.get("context", {}).get("registration") == registration:
                return found
        time.sleep(0.5)
    raise AssertionError(f"no {verb} statement with registration {registration}")


def test_lee_takes_the_cmi5_course_and_satisfied_is_in_the_lrs(page: Page) -> None:
    if not page.request.get("/static/vendor/xapi-cmi5/cmi5.umd.js").ok:
        pytest.skip("@xapi/cmi5 is not installed in static/vendor (run `make assets`)")
    sign_in(page, "learner@example.com")
    page.goto("/catalog?q=Fire+Safety+Awareness")
    page.get_by_role("link", name="Fire Safety Awareness").first.click()
    page.locator("a[href*='/launch']").first.click()
    expect(page.get_by_role("heading", name="Fire Safety Awareness", level=1)).to_be_visible()
    check_accessibility(page)

    page.get_by_role("button", name="Start: The fire triangle and extinguishers").click()
    frame = page.frame_locator("[data-cmi5-frame]")
    expect(frame.get_by_text("Your progress is being recorded.")).to_be_visible()
    frame.get_by_label("Water").first.check()
    frame.get_by_label("CO2").check()
    frame.get_by_label("Smoke").check()
    frame.get_by_role("button", name="Check my answers").click()
    expect(frame.get_by_text("Passed with 100%")).to_be_visible()
    source = page.locator("[data-cmi5-frame]").get_attribute("src") or ""
    registration = parse_qs(urlsplit(source).query)["registration"][0]

    page.get_by_role("button", name="Start: Evacuation and assembly points").click()
    expect(frame.get_by_text("Your progress is being recorded.")).to_be_visible()
    frame.get_by_role("button", name="I have read this").click()
    expect(frame.get_by_text("Completed. You can close this lesson.")).to_be_visible()

    satisfied = _wait_for(page, SATISFIED, registration)
    assert satisfied["object"]["definition"]["type"] == "https://w3id.org/xapi/cmi5/activitytype/course"
    expect(page.get_by_text("Course passed.")).to_be_visible(timeout=15_000)
    page.reload()
    expect(page.locator("#attempt-status")).to_contain_text("Passed")
    check_accessibility(page)
