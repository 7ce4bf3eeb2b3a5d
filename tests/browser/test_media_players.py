"""The video, document and quiz players in Chromium: Lee watches the forklift pre-use check to the end
(played for real, at four times the speed: what counts is the timeline played), reads the warehouse
handbook to its last page, and fails then passes a quiz. Each player page is checked with axe."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import browser_page, check_accessibility, sign_in

QUIZ = {
    "kind": "quiz",
    "title": "Manual handling check",
    "pass_mark": 100,
    "attempts_limit": 3,
    "shuffle": True,
    "questions": [
        {
            "kind": "single",
            "text": "Above which weight is a lift a two-person job?",
            "choices": [{"text": "25 kg", "correct": True}, {"text": "60 kg"}],
            "feedback": {"correct": "Yes: 25 kg.", "incorrect": "It is 25 kg."},
        },
        {"kind": "true_false", "text": "Bend your back, not your knees.", "answer": False},
        {"kind": "short", "text": "What do you test first?", "accepted": ["the weight"]},
    ],
}


@pytest.fixture
def page(browser: Browser, own_server: str) -> Iterator[Page]:
    with browser_page(browser, own_server) as page:
        yield page


def _item_id(page: Page, title: str) -> int:
    found = page.request.get("/api/v1/catalog/items", params={"q": title}).json()["items"]
    return int(next(i for i in found if i["title"] == title)["id"])


def _add(page: Page, title: str, **request: Any) -> int:
    """As the admin: the item's id, after adding `request` (multipart or JSON) as its content."""
    sign_in(page, "admin@example.com")
    item_id = _item_id(page, title)
    admin_page = page.request.get(f"/admin/catalog/{item_id}/content").text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', admin_page)
    assert token is not None
    made = page.request.post(
        f"/api/v1/catalog/items/{item_id}/content", headers={"X-CSRF-Token": token.group(1)}, **request
    )
    assert made.status == 201, made.text()
    return item_id


def _until(page: Page, script: str, timeout: float = 20.0) -> None:
    """Wait until `script` is true in the page (polled from here: the page's policy forbids the eval
    Playwright's wait_for_function uses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"still not true: {script}"
        page.wait_for_timeout(100)


def _progress(page: Page, item_id: int) -> str:
    return str(page.request.get(f"/api/v1/me/items/{item_id}/progress").json()["status"])


def test_lee_watches_the_forklift_video_to_the_end(page: Page) -> None:
    """The demo's generated clip and its captions (content.media.demo), loaded with the demo."""
    sign_in(page, "learner@example.com")
    item_id = _item_id(page, "Pre-Shift Forklift Inspection Checklist")
    page.goto(f"/items/{item_id}/launch")
    expect(page.locator(".plyr")).to_be_visible()  # the player library took over the <video>
    _until(page, "document.getElementById('video').readyState >= 1")
    assert page.evaluate("document.getElementById('video').textTracks[0].kind") == "captions"
    check_accessibility(page)
    # Seeking to the end first counts for nothing.
    page.evaluate("document.getElementById('video').currentTime = 12.8")
    page.get_by_role("button", name="Play", exact=True).first.click()
    _until(page, "document.getElementById('video').ended")
    page.wait_for_timeout(500)
    assert _progress(page, item_id) == "in_progress"
    # Played from the start (four times the speed), it completes.
    page.evaluate("const v = document.getElementById('video'); v.currentTime = 0; v.playbackRate = 4")
    page.get_by_role("button", name="Play", exact=True).first.click()
    expect(page.locator("#video-status")).to_contain_text("Completed", timeout=20_000)
    expect(page.locator("#attempt-status .tag")).to_have_text("Completed")
    assert _progress(page, item_id) == "completed"


def test_lee_reads_the_handbook_to_its_last_page(page: Page) -> None:
    """The demo's generated handbook on Manual Handling."""
    sign_in(page, "learner@example.com")
    item_id = _item_id(page, "Manual Handling")
    page.goto(f"/items/{item_id}/launch")
    expect(page.locator("#document-canvas[data-page='1']")).to_be_attached()
    expect(page.locator("#document-page")).to_have_text("Page 1 of 5")
    check_accessibility(page)
    for number in range(2, 6):
        page.get_by_role("button", name="Next page").click()
        expect(page.locator(f"#document-canvas[data-page='{number}']")).to_be_attached()
    expect(page.locator("#attempt-status .tag")).to_have_text("Completed")
    expect(page.get_by_role("button", name="Next page")).to_be_disabled()
    assert _progress(page, item_id) == "completed"


def _answer(page: Page, *, right: bool) -> None:
    page.get_by_role("group", name=re.compile("two-person job")).get_by_label(
        "25 kg" if right else "60 kg"
    ).check()
    page.get_by_role("group", name=re.compile("Bend your back")).get_by_label(
        "False" if right else "True"
    ).check()
    page.get_by_label("Your answer").fill("  The WEIGHT " if right else "the box")
    page.get_by_role("button", name="Submit answers").click()


def test_lee_fails_a_quiz_then_passes_it(page: Page) -> None:
    item_id = _add(page, "Emergency First Aid at Work", data=QUIZ)
    sign_in(page, "learner@example.com")
    page.goto(f"/items/{item_id}/launch")
    expect(page.get_by_role("button", name="Submit answers")).to_be_visible()
    check_accessibility(page)
    _answer(page, right=False)
    expect(page.get_by_role("heading", name="Not passed: 0%")).to_be_visible()
    expect(page.get_by_text("It is 25 kg.")).to_be_visible()
    check_accessibility(page)
    assert _progress(page, item_id) == "failed"
    page.get_by_role("button", name="Try again").click()
    _answer(page, right=True)
    expect(page.get_by_role("heading", name="Passed: 100%")).to_be_visible()
    expect(page.get_by_text("Yes: 25 kg.")).to_be_visible()
    expect(page.get_by_role("button", name="Try again")).to_have_count(0)
    check_accessibility(page)
    assert _progress(page, item_id) == "passed"
