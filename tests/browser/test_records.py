"""Records in the browser: Lee opens his transcript and downloads a certificate, whose printed address
verifies it; Maria, his manager, follows her reports' progress on the information-security module."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from tests.helpers.browser import check_accessibility, sign_in

INFOSEC = "Information Security Essentials"


def test_lee_downloads_a_certificate_that_verifies(page: Page, tmp_path: Path) -> None:
    sign_in(page, "learner@example.com")
    page.get_by_role("link", name="your transcript").click()  # from the home page
    expect(page.get_by_role("heading", name="My transcript")).to_be_visible()
    check_accessibility(page)
    row = page.get_by_role("row").filter(has_text=re.compile("forklift", re.I)).first
    expect(row).to_be_visible()
    with page.expect_download() as download:
        row.get_by_role("link", name=re.compile("Certificate")).click()
    saved = tmp_path / "certificate.pdf"
    download.value.save_as(saved)
    pdf = saved.read_bytes()
    assert pdf.startswith(b"%PDF-")
    found = re.search(rb"/URI \((http[^)]+/certificates/verify/[0-9a-f-]+)\)", pdf)
    assert found, "no verification address on the certificate"
    page.goto(urlparse(found.group(1).decode()).path)
    expect(page.get_by_role("status")).to_contain_text("This certificate is valid")
    expect(page.get_by_text("Lee Carter")).to_be_visible()
    check_accessibility(page)


def test_maria_follows_her_reports_progress_on_an_item(page: Page) -> None:
    sign_in(page, "manager@example.com")
    page.goto(f"/catalog?q={INFOSEC.replace(' ', '+')}")
    page.get_by_role("link", name=INFOSEC).first.click()
    page.get_by_role("button", name="Learners' progress").click()
    expect(page.get_by_role("heading", name=f"Progress: {INFOSEC}")).to_be_visible()
    check_accessibility(page)
    expect(page.get_by_role("row").filter(has_text="Lee Carter")).to_have_count(1)
    page.get_by_label("Status").select_option("not_started")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**status=not_started**")
    for status in page.get_by_role("row").locator("td:nth-child(2)").all_inner_texts():
        assert status == "Not started"
