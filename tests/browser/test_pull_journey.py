"""The pull journey end to end, on a demo server of its own (it changes what other browser tests read):
the learner closes the demo plan and starts one with a goal for a skill at a level; For you gives the
goal as a reason; the learner joins the waitlist of the full coaching session, the manager gives up
their seat and the learner is promoted and downloads the invite; a session needing approval waits for
the manager, who approves it. Every page opened is checked with axe."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Browser, Locator, Page, expect

from tests.helpers.browser import browser_page, check_accessibility, go, pick_skill, sign_in, sign_out

LEARNER, MANAGER = "learner@example.com", "manager@example.com"
PLAN, GOAL = "Becoming a team leader", "Lead a team"
# The demo's full session (6 of 6 booked, the manager holds a seat) and its session needing approval.
FULL, APPROVAL = "Coaching Conversations for Team Leaders", "First-Time Manager Programme"


@pytest.fixture
def page(browser: Browser, own_server: str) -> Iterator[Page]:
    """This module's journeys change the demo's data: they run on a server of their own."""
    with browser_page(browser, own_server) as page:
        yield page


def open_page(page: Page, link: str) -> None:
    go(page, link)
    check_accessibility(page)


def booking(page: Page, title: str) -> Locator:
    """The row for the session on My bookings."""
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=title, exact=True))


def close_demo_plan_and_start_mine(page: Page) -> None:
    open_page(page, "My plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Growing towards team leader")
    page.get_by_role("button", name="Close this plan").click()
    expect(page.locator("#plan-status")).to_have_text("Closed")
    check_accessibility(page)

    open_page(page, "My plan")
    expect(page.get_by_role("heading", name="Start a plan")).to_be_visible()
    past = page.get_by_role("region", name="Past plans")
    expect(past.get_by_role("link", name="Growing towards team leader")).to_be_visible()
    today = dt.date.today()
    page.get_by_label("Title").fill(PLAN)
    page.get_by_label("Period starts").fill(today.isoformat())
    page.get_by_label("Period ends").fill((today + dt.timedelta(days=365)).isoformat())
    page.get_by_label("Aspirations").fill("Lead a shift team of my own within two years.")
    page.get_by_role("button", name="Start my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(PLAN)
    check_accessibility(page)

    add_goal = page.get_by_role("form", name="Add a goal")
    add_goal.get_by_label("Goal").fill(GOAL)
    pick_skill(add_goal, "Skill (optional)", "COACHING", "Coaching", keyboard=True)
    add_goal.get_by_label("Target level").select_option("3")
    add_goal.get_by_role("button", name="Add goal").click()
    goal = page.get_by_role("article", name=GOAL)
    expect(goal).to_contain_text("Coaching at level 3")
    check_accessibility(page)


def see_the_goal_as_a_reason(page: Page) -> None:
    open_page(page, "For you")
    cards = page.locator("article.recommendation")
    expect(cards.first).to_be_visible()
    for card in cards.all():
        assert card.locator(".reason").inner_text().strip(), card.inner_text()
    # Level 3 is the new goal's: the closed demo plan's goal of the same name asked for level 2.
    reason = f"→ 3, the goal '{GOAL}' in your plan"
    expect(cards.locator(".reason").filter(has_text=reason).first).to_be_visible()


def join_the_waitlist(page: Page) -> None:
    open_page(page, "Schedule")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=FULL, exact=True))
    expect(row).to_contain_text("Full - join the waitlist")
    row.get_by_role("link", name=FULL, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FULL)
    check_accessibility(page)
    page.get_by_role("button", name="Join waitlist").click()
    expect(page.get_by_role("region", name="Your place")).to_contain_text(
        "You are waitlisted: number 1 on the waitlist"
    )
    check_accessibility(page)
    open_page(page, "My bookings")
    expect(booking(page, FULL).locator(".booking-status")).to_have_text("Waitlisted, number 1")


def give_up_the_seat(page: Page) -> None:
    sign_in(page, MANAGER)
    open_page(page, "My bookings")
    expect(booking(page, FULL).locator(".booking-status")).to_have_text("Booked")
    page.get_by_role("button", name=f"Cancel {FULL}").click()
    expect(booking(page, FULL).locator(".booking-status")).to_have_text("Cancelled")
    check_accessibility(page)
    sign_out(page)


def download_the_invite(page: Page, tmp_path: Path) -> None:
    open_page(page, "My bookings")
    row = booking(page, FULL)
    expect(row.locator(".booking-status")).to_have_text("Booked")
    session_id = row.get_attribute("data-session")
    with page.expect_download() as download:
        row.get_by_role("link", name=".ics").click()
    saved = tmp_path / "invite.ics"
    download.value.save_as(saved)
    calendar = Calendar.from_ical(saved.read_text())
    assert str(calendar["method"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    # This installation's UID: the session id, its random id, the host (unique across installations).
    assert re.fullmatch(rf"session-{session_id}-[0-9a-f]{{16}}@[\w.-]+", str(event["uid"]))
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert FULL in str(event["summary"])


def ask_to_book(page: Page) -> None:
    open_page(page, "Schedule")
    page.get_by_role("link", name=APPROVAL, exact=True).click()
    check_accessibility(page)
    page.get_by_role("button", name="Ask to book").click()
    expect(page.get_by_role("region", name="Your place")).to_contain_text("You are pending approval")
    open_page(page, "My bookings")
    expect(booking(page, APPROVAL).locator(".booking-status")).to_have_text("Pending approval")
    sign_out(page)


def approve(page: Page) -> None:
    sign_in(page, MANAGER)
    open_page(page, "Approvals")
    request = page.get_by_role("row").filter(has_text="Lee Carter").filter(has_text=APPROVAL)
    request.get_by_label("Note to Lee Carter").fill("A good next step for your plan.")
    request.get_by_role("button", name="Approve").click()
    expect(page.get_by_role("status")).to_contain_text("Approved: Lee Carter")
    expect(page.get_by_role("status")).to_contain_text("told in their inbox and by e-mail, with your note")
    expect(page.get_by_role("row").filter(has_text="Lee Carter").filter(has_text=APPROVAL)).to_have_count(0)
    check_accessibility(page)
    sign_out(page)


def test_plan_recommendations_waitlist_promotion_and_approval(page: Page, tmp_path: Path) -> None:
    sign_in(page, LEARNER)
    close_demo_plan_and_start_mine(page)
    see_the_goal_as_a_reason(page)
    join_the_waitlist(page)
    sign_out(page)

    give_up_the_seat(page)

    sign_in(page, LEARNER)
    download_the_invite(page, tmp_path)
    ask_to_book(page)

    approve(page)

    sign_in(page, LEARNER)
    open_page(page, "My bookings")
    status = booking(page, APPROVAL).locator(".booking-status")
    expect(status).to_contain_text("Booked")
    expect(status).to_contain_text("Approved by Maria Jensen: A good next step for your plan.")
    expect(booking(page, FULL).locator(".booking-status")).to_have_text("Booked")
