"""A manager's team compliance page in the browser: filter, open a row, remind the people ticked, and
assign learning to someone found by typing in the Who list; every action says what it did."""

from __future__ import annotations

import datetime as dt
import uuid

from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, go, sign_in


def test_the_manager_filters_reminds_and_assigns(page: Page) -> None:
    sign_in(page, "manager@example.com")
    go(page, "Team compliance")
    expect(page.get_by_role("heading", name="Team compliance")).to_be_visible()
    check_accessibility(page)
    summary = page.locator("#team-summary")
    everyone = summary.inner_text()
    page.get_by_label("Status").select_option(label="Overdue")
    page.get_by_role("button", name="Filter").click()
    expect(summary).not_to_have_text(everyone)
    expect(page.get_by_role("link", name="Clear filters").first).to_be_visible()
    page.get_by_role("link", name="Clear filters").first.click()
    expect(summary).to_have_text(everyone)

    row = page.locator("table.team tbody tr").filter(has_text="Lee Carter")
    row.locator("summary").click()
    expect(row.locator(".team-assignments li").first).to_be_visible()
    row.get_by_label("Choose Lee Carter").check()
    page.get_by_role("button", name="Remind them now").click()
    expect(page.locator("p.notice[role=status]")).to_contain_text("Reminded 1 person")

    page.get_by_role("button", name="Assign learning").first.click()
    who = page.get_by_role("group", name="Who")
    who.get_by_label("Filter: Who").fill("lee car")
    expect(who.get_by_label("Lee Carter", exact=True)).to_be_visible()
    who.get_by_label("Lee Carter", exact=True).check()
    expect(who.locator("[data-picker-count]")).to_have_text("1 chosen")
    page.get_by_label("Learning", exact=True).select_option(label="Manual Handling")
    page.get_by_label("Due on").fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.get_by_label("Why").fill(f"Back injuries in the yard ({uuid.uuid4().hex[:4]})")
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.locator("#assigned-notice")).to_contain_text("Assigned to 1 person")
    check_accessibility(page)
