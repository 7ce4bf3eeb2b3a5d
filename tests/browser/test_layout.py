"""The layout at the widths people use: on a phone (390 px) the menu collapses behind a Menu button and no
key page scrolls sideways; on a desktop (1024 and 1280 px) the header stays on one line for every role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.helpers.browser import check_accessibility, sign_in

ROLES = ["learner@example.com", "manager@example.com", "admin@example.com", "auditor@example.com"]
KEY_PAGES = {
    "learner@example.com": [
        "/",
        "/plan",
        "/for-you",
        "/catalog",
        "/sessions",
        "/bookings",
        "/skills",
        "/me/skills",
        "/inbox",
    ],
    "manager@example.com": ["/team", "/team/compliance", "/team/approvals", "/transcript"],
    "admin@example.com": [
        "/compliance",
        "/admin/requirements",
        "/admin/sessions",
        "/people",
        "/admin/catalog",
        "/admin/catalog/new",
    ],
    "auditor@example.com": ["/audit", "/compliance"],
}


AXE_AT_390 = {"/bookings", "/team/compliance", "/compliance", "/transcript"}


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


# Each visible button's words, each measured on its own: a word whose letters sit on two lines was broken.
BROKEN_WORDS = """() => {
  const broken = [];
  for (const el of document.querySelectorAll('main button, main a[role=button], main input[type=submit]')) {
    if (!el.offsetParent) continue;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.textContent.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def _sideways(page: Page) -> int:
    """How far the page reaches past the screen's right edge, in CSS pixels."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("email", ROLES)
def test_on_a_phone_the_menu_collapses_and_no_key_page_scrolls_sideways(phone: Page, email: str) -> None:
    sign_in(phone, email)
    toggle = phone.get_by_role("button", name="Menu")
    catalogue = phone.get_by_role("navigation", name="Main").get_by_role("link", name="Catalogue")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(catalogue).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(catalogue).to_be_visible()
    check_accessibility(phone)
    phone.keyboard.press("Escape")
    expect(catalogue).to_be_hidden()
    for path in KEY_PAGES[email]:
        answer = phone.goto(path)
        assert answer is not None and answer.status == 200, path
        assert _sideways(phone) <= 0, f"{path} scrolls sideways by {_sideways(phone)} px at 390 px"
        assert phone.evaluate(BROKEN_WORDS) == [], f"{path} breaks words inside buttons at 390 px"
        if path in AXE_AT_390:  # pages with wide tables: their scrolling boxes must take focus
            check_accessibility(phone)


@pytest.mark.parametrize("width", [1024, 1280])
def test_on_a_desktop_the_header_is_one_line_for_every_role(
    browser: Browser, live_server: str, width: int
) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 800})
    page = context.new_page()
    try:
        for email in ROLES:
            sign_in(page, email)
            expect(page.get_by_role("button", name="Menu")).to_be_hidden()
            # Items on one line share their middle (a button is taller than a link; a wrapped item is a
            # whole line lower).
            tops = page.evaluate(
                "[...document.querySelectorAll('#site-menu > li')]"
                ".map(li => { const r = li.getBoundingClientRect(); return Math.round(r.y + r.height / 2) })"
            )
            assert max(tops) - min(tops) <= 4, (
                f"{email}'s menu wraps at {width} px: item tops {sorted(set(tops))}"
            )
            brand_bottom = page.evaluate(
                "document.querySelector('header .brand').getBoundingClientRect().bottom"
            )
            assert max(tops) < brand_bottom, f"{email}'s menu sits below the brand at {width} px"
            nav_right = page.evaluate("document.querySelector('header nav').getBoundingClientRect().right")
            last_right = page.evaluate(  # what each item shows (an item's padding may reach past the edge)
                "Math.max(...[...document.querySelectorAll('header nav > ul > li > *')]"
                ".map(el => el.getBoundingClientRect().right))"
            )
            assert last_right <= nav_right + 1, f"{email}'s header overflows at {width} px"
            assert _sideways(page) <= 0
    finally:
        context.close()


def test_the_footer_names_roles_as_people_say_them(page: Page) -> None:
    sign_in(page, "admin@example.com")
    footer = page.locator("footer")
    expect(footer).to_contain_text("L&D admin")
    expect(footer).not_to_contain_text("ld_admin")
