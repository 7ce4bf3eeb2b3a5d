"""Lee acknowledges the data-protection policy: the item's one action, the text with its version, the
tick that must be given, the confirmation with its time, and the acknowledgement on his transcript."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, sign_in


def test_lee_acknowledges_the_policy_and_it_is_on_his_transcript(page: Page) -> None:
    sign_in(page, "learner@example.com")
    found = page.request.get("/api/v1/catalog/items", params={"q": "Northwind Data Protection Policy"}).json()
    page.goto(f"/catalog/{found['items'][0]['id']}")
    expect(page.get_by_role("heading", name="Your progress")).to_be_visible()
    page.get_by_role("button", name="Acknowledge").click()
    expect(
        page.get_by_text("Report it to privacy@northwind.example within one hour", exact=False)
    ).to_be_visible()
    expect(page.get_by_text(re.compile(r"Version 1 \(2026\)"))).to_be_visible()
    check_accessibility(page)
    # The box must be ticked: the browser holds the form back until it is.
    page.get_by_role("button", name="Acknowledge").click()
    expect(page).to_have_url(re.compile(r"/attempts/\d+$"))
    page.get_by_label("I have read and understood this policy").check()
    page.get_by_role("button", name="Acknowledge").click()
    expect(
        page.get_by_role("status").filter(has_text="your acknowledgement of this version is recorded")
    ).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"You acknowledged this version on \d+ \w+ \d{4} at \d\d:\d\d UTC"))
    ).to_be_visible()
    check_accessibility(page)
    page.goto("/transcript")
    row = page.get_by_role("row").filter(has_text="Northwind Data Protection Policy")
    expect(row).to_contain_text("Acknowledged the policy")
