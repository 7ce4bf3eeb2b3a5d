"""Pull in the browser: the learner rates a skill on My skills, reads recommendations and their reasons
on For you, saves one and dismisses another (it goes); the manager rates a report; L&D opens the
offering gap. Axe on every page. On a demo server of its own: it changes what other tests read."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import browser_page, check_accessibility, sign_in, sign_out


@pytest.fixture
def page(browser: Browser, own_server: str) -> Iterator[Page]:
    """This module's journeys change the demo's data: they run on a server of their own."""
    with browser_page(browser, own_server) as page:
        yield page


def test_rate_a_skill_then_save_and_dismiss_recommendations(page: Page) -> None:
    sign_in(page, "learner@example.com")
    page.goto("/me/skills")
    check_accessibility(page)
    row = page.locator("tbody tr").filter(has_text="Inventory Control")
    row.get_by_label("Level in Inventory Control").select_option("1")
    row.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("status")).to_contain_text("Rating saved")
    expect(page.locator("tbody tr").filter(has_text="Inventory Control")).to_contain_text("(at 1)")
    check_accessibility(page)

    page.goto("/for-you")
    check_accessibility(page)
    cards = page.locator("article.recommendation")
    expect(cards.first.locator(".reason")).to_contain_text("Builds ")
    assert cards.count() >= 2
    first_title = cards.nth(0).locator("h3").inner_text()
    second_id = cards.nth(1).get_attribute("id")
    second_title = cards.nth(1).locator("h3").inner_text()
    expect(cards.first.get_by_role("button", name=re.compile("^Open"))).to_have_attribute(
        "href", re.compile(r"^/items/\d+/open\?origin=recommendation&t=[\w.-]+$")
    )

    cards.nth(0).get_by_role("button", name=re.compile(f"^Save.*{re.escape(first_title)}")).click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    expect(page.locator("#saved-list")).to_contain_text(first_title)
    check_accessibility(page)

    page.locator(f"#{second_id}").get_by_role(
        "button", name=re.compile(f"^Not for me.*{re.escape(second_title)}")
    ).click()
    expect(page.get_by_role("status")).to_contain_text("not suggest that again")
    expect(page.locator(f"#{second_id}")).to_have_count(0)
    sign_out(page)


def test_ld_opens_the_offering_gap(page: Page) -> None:
    sign_in(page, "admin@example.com")
    page.goto("/admin/offering-gap")
    expect(page.get_by_role("heading", name="Offering gap")).to_be_visible()
    check_accessibility(page)
    page.get_by_label("Show covered skills too").check()
    page.get_by_label("Sort by").select_option("skill")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#offering-gap tbody tr").first).to_be_visible()
    check_accessibility(page)


def test_the_manager_rates_a_report(page: Page) -> None:
    sign_in(page, "manager@example.com")
    page.goto("/team")
    href = page.get_by_role("link", name="Lee Carter").first.get_attribute("href") or ""
    person_id = href.rsplit("/", 1)[-1]
    page.goto(f"/team/skills/{person_id}")
    expect(page.get_by_role("heading", name="Skills of Lee Carter")).to_be_visible()
    check_accessibility(page)
    row = page.locator("tbody tr").filter(has_text="Fire Safety")
    row.get_by_label("Level in Fire Safety").select_option("1")
    row.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_role("status")).to_contain_text("Rating saved")
    expect(page.locator("tbody tr").filter(has_text="Fire Safety")).to_contain_text("met")
    check_accessibility(page)
