"""An L&D admin ties real e-learning to the record in the browser: records the account a partner LMS
knows Lee Carter by (and removes it), names the authoring tool's activity id of a catalogue item, and
turns compatibility on and off for an H5P-like tool; each action says what happened."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, go, sign_in

INFOSEC = "Information Security Essentials"


def _shot(page: Page, name: str) -> None:
    """Screenshots for a person to look at, where LEARNBRIDGE_SHOTS names a folder."""
    if folder := os.environ.get("LEARNBRIDGE_SHOTS"):
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def test_admin_records_and_removes_a_persons_account_on_another_system(page: Page) -> None:
    sign_in(page, "admin@example.com")
    page.goto("/people?q=Lee+Carter")
    page.get_by_role("link", name="Lee Carter").first.click()
    section = page.locator("#identifiers")
    expect(section.get_by_role("heading", name="xAPI identifiers")).to_be_visible()
    name = f"lee-{uuid.uuid4().hex[:6]}"
    section.get_by_label("System's address (homePage)").fill("https://lms.partner.example")
    section.get_by_label("The person's name or id there").fill(name)
    section.get_by_role("button", name="Add account").click()
    expect(page.get_by_role("status")).to_contain_text("Identifier added")
    expect(section.get_by_role("row").filter(has_text=name)).to_have_count(1)
    _shot(page, "identifiers-added")
    check_accessibility(page)
    section.get_by_role("button", name=f"Remove {name}").click()
    expect(page.get_by_role("status")).to_contain_text("Identifier removed")
    expect(section.get_by_role("row").filter(has_text=name)).to_have_count(0)


def test_admin_names_an_items_own_activity_ids(page: Page) -> None:
    sign_in(page, "admin@example.com")
    page.goto(f"/catalog?q={INFOSEC.replace(' ', '+')}")
    page.get_by_role("link", name=INFOSEC).first.click()
    page.get_by_role("button", name="Content", exact=True).click()  # a link styled as a button
    # The item's own activity as the stream matches it: under the configured base URL (the default here),
    # not the address the admin's browser happens to use.
    expect(page.get_by_text(re.compile(r"^http://127\.0\.0\.1:8000/catalog/\d+$"))).to_be_visible()
    iri = f"urn:articulate:storyline:{uuid.uuid4().hex[:10]}"
    page.get_by_label("Activity IRIs, one a line").fill(iri)
    page.get_by_label(re.compile("Statements about their parts count too")).check()
    page.get_by_role("button", name="Save activities").click()
    expect(page.get_by_role("status")).to_contain_text("statements about these activities now count")
    expect(page.get_by_label("Activity IRIs, one a line")).to_have_value(iri)
    expect(page.get_by_label(re.compile("Statements about their parts count too"))).to_be_checked()
    _shot(page, "content-activities")
    check_accessibility(page)


def test_admin_turns_compatibility_on_for_a_tool_and_back_to_strict(page: Page) -> None:
    sign_in(page, "admin@example.com")
    go(page, "LRS clients")
    tool = f"H5P quizzes {uuid.uuid4().hex[:4]}"
    page.get_by_label("Name").fill(tool)
    page.get_by_label(re.compile("Accept the known deviations of popular tools")).check()
    page.get_by_role("button", name="Create client").click()
    expect(page.get_by_test_id("client-compatibility")).to_have_text("On")
    page.goto("/admin/lrs/clients")
    # Eight columns fit a desktop window: the table scrolls in its own box, never the page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name=f"Hold to strict conformance: {tool}").click()
    expect(page.get_by_role("status")).to_contain_text("held to strict conformance")
    row = page.get_by_role("row").filter(has_text=tool)
    expect(row.get_by_role("cell", name=re.compile("^Strict"))).to_be_visible()
    _shot(page, "lrs-clients-strict")
    check_accessibility(page)
    row.get_by_role("button", name=f"Turn compatibility on for {tool}").click()
    expect(page.get_by_role("status")).to_contain_text("compatibility on")
