"""A development plan end to end in the browser: the learner writes a plan with a goal (a skill and a
level) and an activity, ticks it and shares the plan; their manager finds it under Team plans,
comments and acknowledges; the learner sees the comment."""

from __future__ import annotations

import datetime as dt
import uuid

from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, pick_skill, sign_in, sign_out


def _start_plan(page: Page, title: str) -> None:
    """Start a plan, or use the learner's active plan when another journey already started one."""
    page.goto("/plan")
    check_accessibility(page)
    if not page.get_by_role("button", name="Start my plan").count():
        return
    year = dt.date.today().year
    page.get_by_label("Title").fill(title)
    page.get_by_label("Period starts").fill(f"{year}-01-01")
    page.get_by_label("Period ends").fill(f"{year}-12-31")
    page.get_by_label("Aspirations").fill("Lead the night shift by winter.")
    page.get_by_label("Held on").fill(f"{year}-01-01")
    page.get_by_label("What you talked about").fill("Maria suggested coaching new starters first.")
    page.get_by_role("button", name="Start my plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_learner_plans_shares_and_the_manager_comments(page: Page) -> None:
    tag = uuid.uuid4().hex[:6]
    goal, activity, comment = f"Coach starters {tag}", f"Shadow the night shift {tag}", f"Good start {tag}"
    sign_in(page, "learner@example.com")
    _start_plan(page, f"Grow into a shift lead {tag}")
    check_accessibility(page)
    add_goal = page.locator("form[aria-labelledby='new-goal']")
    add_goal.get_by_label("Goal").fill(goal)
    pick_skill(add_goal, "Skill (optional)", "coach", "Coaching")
    add_goal.get_by_label("Target level").select_option("2")
    add_goal.get_by_role("button", name="Add goal").click()
    expect(page.get_by_role("heading", name=goal)).to_be_visible()
    expect(page.locator("article", has=page.get_by_role("heading", name=goal))).to_contain_text(
        "Coaching at level 2"
    )
    add_activity = page.locator("form[aria-labelledby='add-activity']")
    add_activity.get_by_label("Activity").fill(activity)
    add_activity.get_by_label("Towards goal").select_option(label=goal)
    add_activity.get_by_role("button", name="Add to plan").click()
    row = page.locator("#planned tr", has_text=activity)
    expect(row).to_contain_text("Not done yet")
    row.get_by_role("button", name="Tick done").click()
    expect(page.locator("#planned tr", has_text=activity)).to_contain_text("Done — ticked by you")
    if page.get_by_role("button", name="Share with my manager").count():
        page.get_by_role("button", name="Share with my manager").click()
    expect(page.locator("#share-status")).to_contain_text("Shared with your manager")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "manager@example.com")
    page.goto("/team/plans")
    check_accessibility(page)
    team_row = page.get_by_role("row").filter(has_text="Lee Carter")
    team_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lee Carter")
    expect(page.locator("section", has=page.locator("#learning"))).to_contain_text(activity)
    check_accessibility(page)
    page.get_by_label("Your comment").fill(comment)
    page.get_by_role("button", name="Add comment").click()
    expect(page.locator("section", has=page.locator("#comments"))).to_contain_text(comment)
    page.get_by_role("button", name="Acknowledge").first.click()
    expect(page.locator("#acknowledged")).to_contain_text("Acknowledged by Maria Jensen")
    check_accessibility(page)
    sign_out(page)

    sign_in(page, "learner@example.com")
    page.goto("/plan")
    expect(page.locator("section", has=page.locator("#sharing"))).to_contain_text(comment)
    expect(page.locator("#acknowledged")).to_contain_text("Acknowledged by Maria Jensen")
    check_accessibility(page)
