"""The needs board in the browser, on both databases: a learner raises a need, and starting it again is
shown the one already raised as the title is typed; a colleague votes from the board (the count moves
without a page load) and takes it back; an L&D admin plans it with a reason that everyone then reads.
Axe on every page. On a demo server of its own: it changes what other tests read."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import browser_page, check_accessibility, sign_in, sign_out


@pytest.fixture
def page(browser: Browser, own_server: str) -> Iterator[Page]:
    with browser_page(browser, own_server) as page:
        yield page


def test_raise_vote_and_decide_on_a_need(page: Page) -> None:
    sign_in(page, "learner@example.com")
    page.get_by_role("link", name="the needs board").click()
    expect(page.get_by_role("heading", name="Needs board")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Raise a need").click()
    page.get_by_label("Title").fill("Night shift forklift battery swaps")
    check_accessibility(page)
    page.get_by_label("Learning need").check()
    page.get_by_label("What happens, where, and what it costs").fill("Nobody on nights was shown how.")
    page.get_by_role("button", name="Raise it").click()
    expect(page.get_by_role("status")).to_contain_text("Your need is on the board, with your vote.")
    expect(page.locator(".need-vote")).to_contain_text("1 vote")
    check_accessibility(page)
    title = "Night shift forklift battery swaps"
    # Starting the same need again: the one on the board is shown while the title is typed.
    page.goto("/needs/new")
    page.get_by_label("Title").press_sequentially("Forklift batteries at night", delay=20)
    expect(page.locator("#similar")).to_contain_text("Already raised?")
    expect(page.locator("#similar").get_by_role("link", name=title)).to_be_visible()
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "manager@example.com")
    page.goto("/needs?sort=recent")
    row = page.locator("li.need").filter(has_text=title)
    row.get_by_role("button", name=re.compile(f"^Vote.*{re.escape(title)}")).click()
    expect(row.get_by_role("status")).to_have_text("Your vote is counted.")
    expect(row.locator(".need-vote")).to_contain_text("2 votes")
    row.get_by_role("button", name=re.compile("^Take my vote back")).click()
    expect(row.locator(".need-vote")).to_contain_text("1 vote")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "admin@example.com")
    page.goto("/needs?sort=recent")
    page.get_by_role("link", name=title).click()
    page.get_by_label("New status").select_option("planned")
    page.get_by_label(re.compile("^Reason")).fill("A short how-to video, filmed on the night shift.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.get_by_role("status")).to_contain_text("Decision saved")
    expect(page.get_by_role("region", name="Decisions")).to_contain_text("New → Planned")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "learner@example.com")
    page.goto("/needs?status=planned")
    page.get_by_role("link", name=title).click()
    expect(page.get_by_role("region", name="Decisions")).to_contain_text("filmed on the night shift")
    expect(page.get_by_role("button", name="Save the decision")).to_have_count(0)
