"""A compliance programme end to end in the browser: an admin writes, previews and activates a
requirement; the learner sees it and why; a completion is recorded; the manager sees the team go green."""

from __future__ import annotations

import datetime as dt
import uuid

from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, go, sign_in, sign_out


def _pick(page: Page, picker: str, *, typed: str, choice: str, hidden: str) -> None:
    """Choose in a searchable picker: typing narrows the list; the count says what is ticked."""
    group = page.get_by_role("group", name=picker)
    group.get_by_label(f"Filter: {picker}").fill(typed)
    expect(group.get_by_label(hidden, exact=False).first).to_be_hidden()
    group.get_by_label(choice, exact=True).check()
    expect(group.locator("[data-picker-count]")).to_have_text("1 chosen")


def test_requirement_from_preview_to_a_green_team(page: Page) -> None:
    name = f"Safe reversing {uuid.uuid4().hex[:6]}"
    sign_in(page, "admin@example.com")
    go(page, "Requirements")
    check_accessibility(page)
    page.get_by_role("button", name="New requirement").click()
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Why it is required").fill("Two near misses in the yard this quarter.")
    _pick(
        page,
        "Learning that satisfies it",
        typed="manual hand",
        choice="Manual Handling",
        hidden="Fire Safety",
    )
    page.get_by_label("Named people").fill("learner@example.com")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-added")).to_have_text("1")
    expect(page.locator("#preview")).to_contain_text("Lee Carter")
    expect(page.locator("#preview")).to_contain_text("Nothing has been saved.")
    check_accessibility(page)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator("#requirement-status")).to_have_text("Draft")
    page.get_by_role("button", name="Activate").click()
    expect(page.locator("#activation-count")).to_contain_text(
        "Activate: 1 person will be assigned, 0 at once"
    )
    check_accessibility(page)
    page.get_by_role("button", name="Yes, activate").click()
    expect(page.locator("#requirement-status")).to_have_text("Active")
    expect(page.locator("#saved-notice")).to_contain_text("Activated: 1 person assigned and told")
    sign_out(page)

    sign_in(page, "learner@example.com")
    required = page.get_by_role("region", name="Required of you")
    row = required.get_by_role("row").filter(has_text=name)
    expect(row).to_contain_text("Assigned")
    expect(row).to_contain_text("Two near misses in the yard this quarter.")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "manager@example.com")
    go(page, "Team compliance")
    team_row = page.get_by_role("row").filter(has_text=name)
    expect(team_row).to_contain_text("Lee Carter")
    expect(team_row).to_contain_text("Assigned")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "admin@example.com")
    go(page, "Record a completion")
    check_accessibility(page)
    page.get_by_label("Person").fill("learner@example.com")
    page.get_by_label("Learning", exact=True).select_option(label="Manual Handling")
    page.get_by_label("Completed on").fill(dt.date.today().isoformat())
    page.get_by_label("Evidence").fill("Assessed in the yard by the safety lead")
    page.get_by_role("button", name="Record completion").click()
    expect(page.locator("#completion-saved")).to_contain_text("Lee Carter completed Manual Handling")
    sign_out(page)

    sign_in(page, "manager@example.com")
    go(page, "Team compliance")
    expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("Completed")


def test_oversight_drills_down_to_people_and_the_audit_trail_exports(page: Page) -> None:
    sign_in(page, "auditor@example.com")
    go(page, "Compliance")
    expect(page.get_by_role("heading", name="Compliance: Northwind Logistics")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Operations", exact=True).click()
    expect(page.get_by_role("heading", name="Compliance: Northwind Logistics / Operations")).to_be_visible()
    page.get_by_role("link", name="compliant: Forklift certification, Warehouse North").first.click()
    expect(page.get_by_role("heading", name="Forklift certification")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="Forklift certification").first.click()
    expect(page.get_by_role("heading", name="History")).to_be_visible()
    check_accessibility(page)
    go(page, "Audit trail")
    page.get_by_label("Action").select_option("assigned")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("cell", name="Assigned").first).to_be_visible()
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Export these rows (CSV)").click()
    path = download.value.path()
    assert path is not None
    lines = path.read_text().splitlines()
    assert lines[0].startswith("id,at,actor,action") and len(lines) > 1


def test_every_other_compliance_page_opens_and_passes_axe(page: Page) -> None:
    sign_in(page, "admin@example.com")
    go(page, "Compliance")
    for days in ("30", "60", "90 days"):
        page.get_by_role("link", name=days, exact=True).first.click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Expiring in the next")
        check_accessibility(page)
    page.get_by_role("link", name="Back to compliance").click()
    page.get_by_role("link", name="Exceptions queue").click()
    expect(page.get_by_role("heading", name="Exceptions queue")).to_be_visible()
    check_accessibility(page)
    go(page, "Import completions")
    expect(page.get_by_role("heading", name="Import completions")).to_be_visible()
    check_accessibility(page)
    go(page, "Outbox")
    check_accessibility(page)
    go(page, "Inbox")
    check_accessibility(page)


def test_the_preview_pages_through_everyone(page: Page) -> None:
    """The demo organisation has more people than one page of the preview shows (50)."""
    sign_in(page, "admin@example.com")
    page.goto("/admin/requirements/new")
    page.get_by_label("Name", exact=True).fill(f"Everyone {uuid.uuid4().hex[:6]}")
    page.get_by_label("Everyone in the organisation").check()
    _pick(
        page,
        "Learning that satisfies it",
        typed="manual hand",
        choice="Manual Handling",
        hidden="Fire Safety",
    )
    page.get_by_role("button", name="Preview").click()
    people = page.locator("#preview-people tbody tr")
    expect(page.locator("#preview-people-caption")).to_contain_text("page 1 of")
    expect(people).to_have_count(50)
    first = people.first.inner_text()
    check_accessibility(page)
    page.get_by_role("button", name="Next page").click()
    expect(page.locator("#preview-people-caption")).to_contain_text("page 2 of")
    assert people.first.inner_text() != first
    page.get_by_role("button", name="Previous page").click()
    expect(page.locator("#preview-people-caption")).to_contain_text("page 1 of")
    expect(page.locator("#preview")).to_contain_text("Nothing has been saved.")
