"""What people do in the browser, end to end."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, go, pick_skill, sign_in, sign_in_with_the_form

LEARNER = [
    "Home",
    "My plan",
    "For you",
    "Catalogue",
    "Schedule",
    "My bookings",
    "Skills",
    "Inbox",
]
NAV = {
    "learner@example.com": LEARNER,
    # The manager's Team menu, the Oversight menu (People, Compliance, Audit trail) and the admin's Manage
    # menu are closed until opened (see `go`); only visible links count.
    "manager@example.com": LEARNER,
    "admin@example.com": LEARNER,
    "auditor@example.com": LEARNER,
}


@pytest.mark.parametrize("email", list(NAV))
def test_each_demo_role_signs_in_and_sees_its_navigation(page: Page, email: str) -> None:
    sign_in_with_the_form(page, email)
    nav = page.get_by_role("navigation", name="Main")
    # The inbox link may carry an unread badge ("Inbox 1 unread"): daily reminders run in the server.
    texts = [
        re.sub(r"\s+\d+\s*unread$", "", text.strip()) for text in nav.get_by_role("link").all_inner_texts()
    ]
    links = [text for text in texts if text != "Learnbridge"]
    assert links == NAV[email]
    check_accessibility(page)
    if email.startswith("manager"):
        go(page, "My team")
        expect(page.get_by_role("cell", name="Lee Carter")).to_be_visible()
        check_accessibility(page)
    if "People" in links:
        go(page, "People")
        expect(page.get_by_role("heading", name="People")).to_be_visible()
        check_accessibility(page)


def test_learner_searches_the_catalogue_and_opens_an_item(page: Page) -> None:
    sign_in(page, "learner@example.com")
    go(page, "Catalogue")
    check_accessibility(page)
    page.get_by_label("Search").fill("forklift")  # htmx swaps the results as they type
    result = page.get_by_role("link", name="Forklift Operator Certification")
    expect(result).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=forklift"))
    result.click()
    expect(page.get_by_role("heading", name="Forklift Operator Certification", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="What you will be able to do")).to_be_visible()
    assert page.locator("#objectives-heading + ul li").count() >= 3
    check_accessibility(page)
    go(page, "Skills")
    check_accessibility(page)


def test_admin_creates_and_publishes_an_item_that_learners_then_find(page: Page, browser: object) -> None:
    title = f"Night Shift Handover {uuid.uuid4().hex[:6]}"
    sign_in(page, "admin@example.com")
    go(page, "Manage catalogue")
    check_accessibility(page)
    page.get_by_role("button", name="New item").click()
    check_accessibility(page)
    page.get_by_label("Title").fill(title)
    page.get_by_label("Format").select_option("on_the_job")
    page.get_by_label("Summary").fill("How to hand over a shift so nothing is lost.")
    page.get_by_label("Learning objectives").fill("Run a five-minute handover\nRecord open issues in the log")
    pick_skill(page, "Skill 1", "manual hand", "Manual Handling")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.locator("#item-status")).to_have_text("Draft")
    check_accessibility(page)
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#item-status")).to_have_text("Published")
    go(page, "Catalogue")
    page.get_by_label("Search").fill(title.split()[-1])
    expect(page.get_by_role("link", name=title)).to_be_visible()


def test_admin_uploads_a_csv_with_one_bad_row_and_nothing_is_imported(page: Page, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex[:6]
    csv = tmp_path / "hr.csv"
    csv.write_text(
        "external_id,name,email,manager_external_id,org_unit,hire_date\n"
        f"B{marker}1,Bea Good,bea.{marker}@x.org,,Operations,2024-02-01\n"
        f"B{marker}2,Bob Bad,bob.{marker}@x.org,,Operations,2024-31-12\n"
        f"B{marker}3,Cat Good,cat.{marker}@x.org,B{marker}1,Operations,2024-03-01\n"
    )
    sign_in(page, "admin@example.com")
    go(page, "Import people")
    check_accessibility(page)
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", name="Nothing was imported")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("Row 3, hire_date")
    check_accessibility(page)
    page.goto(f"/people?q=bea.{marker}")
    expect(page.get_by_role("cell", name="Nobody found.")).to_be_visible()


def test_manager_opens_a_report_profile_from_the_team(page: Page) -> None:
    sign_in(page, "manager@example.com")
    go(page, "My team")
    page.get_by_role("link", name="Lee Carter").click()
    expect(page.get_by_role("heading", name="Lee Carter", level=1)).to_be_visible()
    expect(page.get_by_text("Warehouse Operative")).to_be_visible()
    expect(page.get_by_text("Maria Jensen")).to_be_visible()
    check_accessibility(page)


def test_a_learner_sees_their_own_profile_but_not_their_managers(page: Page) -> None:
    sign_in(page, "manager@example.com")
    page.get_by_role("link", name="Your profile").click()
    manager_profile = page.url
    page.context.clear_cookies()
    sign_in(page, "learner@example.com")
    page.get_by_role("link", name="Your profile").click()
    expect(page.get_by_role("heading", name="Lee Carter", level=1)).to_be_visible()
    page.goto(manager_profile)
    expect(page.get_by_role("heading", name="Not found", level=1)).to_be_visible()
    check_accessibility(page)


def test_admin_imports_a_moodle_framework_and_everyone_sees_it(page: Page, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex[:6].upper()
    moodle = tmp_path / "framework.csv"
    moodle.write_text(
        '"Parent ID number","ID number","Short name",Description,"Description format","Scale values",'
        '"Scale configuration","Rule type (optional)","Rule outcome (optional)","Rule config (optional)",'
        '"Cross-referenced competency ID numbers","Exported ID (optional)","Is framework",Taxonomy\n'
        f',FW-{marker},"Customs {marker}","<p>Customs know-how.</p>",1,"Novice,Competent,Expert",'
        '"[{""scaleid"":""2""},{""id"":2,""scaledefault"":1,""proficient"":1},'
        '{""id"":3,""scaledefault"":0,""proficient"":1}]",,,,,,1,"competency"\n'
        f',CU-{marker},"Tariff classification {marker}","<p>Classify goods.</p>",1,,,,0,null,,1,,\n'
    )
    sign_in(page, "admin@example.com")
    go(page, "Import skills")
    check_accessibility(page)
    page.get_by_label("CSV file").set_input_files(str(moodle))
    page.get_by_label("Moodle competency framework export").check()
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("status")).to_contain_text("1 new framework(s), 1 new skill(s)")
    check_accessibility(page)
    go(page, "Skills")
    expect(page.get_by_role("heading", name=f"Customs {marker}")).to_be_visible()
    expect(page.get_by_text("1 Novice · 2 Competent · 3 Expert").last).to_be_visible()
