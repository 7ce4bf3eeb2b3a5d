"""Skill pickers and the Skills tree in the browser: an L&D admin picks a skill in the item editor by
typing part of its name (keyboard only), saves and sees it; the picker and the tree at 390 px, and the
catalogue filtered through the picker. axe checks each page with the options open."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import check_accessibility, pick_skill, sign_in


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _sideways(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_an_admin_picks_a_skill_by_typing_part_of_its_name(page: Page) -> None:
    title = f"Lifting Right {uuid.uuid4().hex[:6]}"
    sign_in(page, "admin@example.com")
    page.goto("/admin/catalog/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Learning objectives").fill("Lift a box without hurting your back")
    field = page.get_by_label("Skill 1", exact=True)
    field.press_sequentially("handl", delay=20)
    listbox = page.get_by_role("listbox").first
    expect(listbox.get_by_role("option").first).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    check_accessibility(page)  # with the options open
    expect(listbox.get_by_role("option", name=re.compile(r"^Manual Handling ·"))).to_be_visible()
    pick_skill(page, "Skill 1", "handl", "Manual Handling", keyboard=True)
    expect(page.locator("#skill_id_1-help")).to_have_text("Chosen: Manual Handling.")
    pick_skill(page, "Skill 2", "FIRST", "First Aid")
    page.get_by_role("button", name="Clear Skill 2").click()
    expect(page.get_by_label("Skill 2", exact=True)).to_have_value("")
    page.get_by_label("Up to level").first.fill("2")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_label("Skill 1", exact=True)).to_have_value("Manual Handling")
    expect(page.get_by_label("Skill 2", exact=True)).to_have_value("")
    check_accessibility(page)
    page.get_by_role("link", name="View as a learner sees it").click()
    expect(page.get_by_role("heading", name="Skills it builds")).to_be_visible()
    expect(page.get_by_role("link", name="Manual Handling")).to_be_visible()


def test_a_learner_filters_the_catalogue_through_the_picker_at_390_px(phone: Page) -> None:
    sign_in(phone, "learner@example.com")
    phone.goto("/catalog")
    pick_skill(phone, "Skill (any when empty)", "forklift", "Forklift Operation")
    expect(phone).to_have_url(re.compile(r"skill=\d+"))
    expect(phone.locator("#results")).to_contain_text("Forklift")
    assert _sideways(phone) <= 0
    phone.get_by_label("Skill (any when empty)").press_sequentially(" x", delay=20)
    assert _sideways(phone) <= 0, "the open picker pushes the page sideways at 390 px"
    check_accessibility(phone)


def test_the_skills_page_opens_a_skill_and_searches_a_framework_at_390_px(phone: Page) -> None:
    sign_in(phone, "learner@example.com")
    phone.goto("/skills")
    check_accessibility(phone)
    node = phone.locator("details", has=phone.locator("summary", has_text=re.compile("^Coaching$")))
    node.locator("summary").click()
    expect(node.get_by_role("link", name="Learning for Coaching")).to_be_visible()
    assert _sideways(phone) <= 0, "the Skills page scrolls sideways at 390 px"
    search = phone.get_by_label("Find a skill in Leadership & Management")
    # The label stands above the field, which keeps room to type in (Pico would put all three in a row).
    box = search.bounding_box()
    assert box is not None and box["width"] >= 200, f"the search field is {box} wide at 390 px"
    search.fill("DELEG")
    search.press("Enter")
    expect(phone.get_by_role("heading", name="Skills matching “DELEG”")).to_be_visible()
    expect(phone.get_by_text("Delegation", exact=True)).to_be_visible()
    assert _sideways(phone) <= 0
    check_accessibility(phone)
