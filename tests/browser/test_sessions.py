"""Sessions in the browser: an admin schedules a one-seat session, the learner is waitlisted behind the
manager, the manager cancels and the learner moves up; a session needing approval is approved by the
manager; the downloaded .ics parses. Every page is checked with axe."""

from __future__ import annotations

import random
import re
from pathlib import Path

from icalendar import Calendar
from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, sign_in


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login**")


def schedule(page: Page, title: str, day: str, *, approval: bool = False) -> str:
    """As the signed-in admin: schedule a one-seat session on `day` (YYYY-MM-DD); returns its path."""
    page.goto("/admin/sessions/new")
    check_accessibility(page)
    page.get_by_label("Catalogue item").select_option(label="Manual Handling")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Starts (local time)").fill(f"{day}T09:00")
    page.get_by_label("Ends (local time)").fill(f"{day}T11:00")
    page.get_by_label("Time zone").fill("Europe/Amsterdam")
    page.get_by_label("Location").fill("Rotterdam training room")
    page.get_by_label("Capacity").fill("1")
    if approval:
        page.get_by_label("Approval").select_option("manager")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Saved")
    check_accessibility(page)
    return page.url.split("/admin")[1].split("?")[0]


def test_waitlist_promotion_approval_and_ics(page: Page, tmp_path: Path) -> None:
    year = random.randint(2040, 2090)  # a day nobody else's test books, so no overlap
    full_title, approval_title = f"Forklift refresher {year}", f"Coaching circle {year}"
    sign_in(page, "admin@example.com")
    path = schedule(page, full_title, f"{year}-03-10")
    approval_path = schedule(page, approval_title, f"{year}-03-11", approval=True)
    page.goto("/admin/sessions")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "manager@example.com")
    page.goto(path)
    page.get_by_role("button", name="Book").click()
    expect(page.locator("#my-status")).to_contain_text("booked")
    sign_out(page)

    _learner_waits_and_asks(page, full_title, approval_path)

    sign_in(page, "manager@example.com")
    page.goto("/bookings")
    page.get_by_role("button", name=f"Cancel {full_title}").click()
    page.goto("/team/approvals")
    check_accessibility(page)
    request = page.get_by_role("row").filter(has_text=approval_title)
    request.get_by_label("Note to Lee Carter").fill("Good idea")
    request.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("Approved: Lee Carter")
    sign_out(page)

    sign_in(page, "learner@example.com")
    page.goto("/bookings")
    promoted = page.get_by_role("row").filter(has_text=full_title)
    expect(promoted.locator(".booking-status")).to_have_text("Booked")
    approved = page.get_by_role("row").filter(has_text=approval_title).locator(".booking-status")
    expect(approved).to_contain_text("Booked")
    expect(approved.locator(".decision")).to_contain_text(": Good idea")
    with page.expect_download() as download:
        promoted.get_by_role("link", name=".ics").click()
    saved = tmp_path / "session.ics"
    download.value.save_as(saved)
    (event,) = Calendar.from_ical(saved.read_text()).walk("VEVENT")
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    session_id = path.rsplit("/", 1)[1]
    assert re.fullmatch(rf"session-{session_id}-[0-9a-f]{{16}}@[\w.-]+", str(event["uid"]))
    page.get_by_role("button", name="Create my feed address").click()
    expect(page.get_by_label("Feed address")).to_have_value(re.compile(r"/calendar/[\w-]+\.ics$"))
    check_accessibility(page)


def _learner_waits_and_asks(page: Page, full_title: str, approval_path: str) -> None:
    """The learner joins the full session's waitlist and asks to book the one that needs approval."""
    sign_in(page, "learner@example.com")
    page.goto("/sessions")
    row = page.get_by_role("row").filter(has_text=full_title)
    expect(row).to_contain_text("Full - join the waitlist")
    check_accessibility(page)
    row.get_by_role("link", name=full_title).click()
    page.get_by_role("button", name="Join waitlist").click()
    expect(page.locator("#my-status")).to_contain_text("number 1 on the waitlist")
    check_accessibility(page)
    page.goto(approval_path)
    page.get_by_role("button", name="Ask to book").click()
    expect(page.locator("#my-status")).to_contain_text("pending approval")
    page.goto("/bookings")
    expect(page.get_by_role("row").filter(has_text=full_title)).to_contain_text("Waitlisted, number 1")
    check_accessibility(page)
    sign_out(page)
