"""An auditor is shown nothing they may not use: crawl every page an auditor reaches from home on the
demo organisation (nav, home, people and their records, compliance, the audit trail, catalogue,
schedule, skills) and follow every same-site link each page shows; each must answer 200 for them,
never 403 or 404 (nor send them to sign in). The forms they are shown must be ones they may submit:
none at all for an auditor who is not in the HR data, only their own learning (and raising and voting on
needs) for one who is.

The demo holds hundreds of people and items, so links are grouped by shape (the path with its ids
replaced, and the names of its query parameters): a few of each shape are followed and crawled, which
still visits every kind of page and every kind of link the auditor is shown."""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from learnbridge.accounts.service import create_account
from learnbridge.app import create_app
from learnbridge.core.settings import Settings
from learnbridge.demo.loader import PASSWORD
from tests.factories import login
from tests.helpers.databases import committing, create_database, demo_content_dir, drop_database

EXTERNAL = "external.auditor@audit-firm.example"
PER_SHAPE = 3
MOST_PAGES = 500
# Not pages: assets, and signing out (which an auditor may do, but it would end the crawl).
SKIP = ("/static/", "/logout")
# What an auditor who is also a person in the organisation may do for their own learning, and their voice
# as one of its people (raising a need, voting on one).
OWN_LEARNING = re.compile(
    r"^/(for-you/|me/|plan|bookings/|inbox|items/\d+/|sessions/\d+/(book|cancel-booking)$"
    r"|needs$|needs/\d+/(vote|unvote)$)"
)


class Page(HTMLParser):
    """The same-site links a page shows (`href`, `hx-get`) and the actions of the forms and buttons that
    change something (a POST form with a submit button, an `hx-post`/`hx-put`/`hx-delete`)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.actions: list[str] = []
        self._form: tuple[str, bool] | None = None  # (action, is a POST)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "a" and found.get("href"):
            self.links.append(found["href"])
        if found.get("hx-get"):
            self.links.append(found["hx-get"])
        self.actions += [found[verb] for verb in ("hx-post", "hx-put", "hx-delete") if found.get(verb)]
        if tag == "form":
            self._form = (found.get("action", ""), found.get("method", "get").lower() == "post")
        submits = (tag == "button" and found.get("type", "submit") == "submit") or (
            tag == "input" and found.get("type") == "submit"
        )
        if submits and self._form is not None and self._form[1]:
            self.actions.append(self._form[0])
            self._form = None  # counted once

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


@dataclass
class Crawl:
    pages: set[str] = field(default_factory=set)
    shapes: Counter[str] = field(default_factory=Counter)
    broken: list[str] = field(default_factory=list)
    actions: dict[str, str] = field(default_factory=dict)  # action -> a page showing it


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    tmp: Path = tmp_path_factory.mktemp("auditor-crawl")
    url, handle = create_database(request.param, tmp, demo=True)
    settings = Settings(
        database_url=url,
        secret_key="auditor-crawl",
        var_dir=tmp,
        content_dir=demo_content_dir(request.param),
        jobs_in_process=False,
    )
    with committing(url) as db:
        # An auditor who is not in the HR data (an external auditor): an account, no person.
        create_account(db, email=EXTERNAL, password=PASSWORD, is_auditor=True)
    with TestClient(create_app(settings)) as client:
        yield client
    drop_database(handle)


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = ",".join(sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)}))
    return re.sub(r"/\d+(?=/|$)", "/{id}", parts.path) + "?" + keys


def _same_site(page: str, href: str) -> str | None:
    if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
        return None
    absolute, _ = urldefrag(urljoin("http://testserver" + page, href))
    parts = urlsplit(absolute)
    if parts.netloc != "testserver" or parts.path.startswith(SKIP):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def _crawl(client: TestClient) -> Crawl:
    crawl = Crawl(pages={"/"})
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    while queue and len(crawl.pages) <= MOST_PAGES:
        url, found_on = queue.popleft()
        for link, on in _visit(client, crawl, url, found_on):
            if link not in crawl.pages and crawl.shapes[_shape(link)] < PER_SHAPE:
                crawl.pages.add(link)
                crawl.shapes[_shape(link)] += 1
                queue.append((link, on))
    return crawl


def _visit(client: TestClient, crawl: Crawl, url: str, found_on: str) -> list[tuple[str, str]]:
    """Fetch one page, note what is broken and what it lets them change; the links to follow next."""
    response = client.get(url, follow_redirects=False)
    if response.is_redirect:
        # Opening an item goes on to its player or its site: followed when it stays on this site; a
        # redirect to sign in is as broken as a 403.
        target = _same_site(url, response.headers["location"])
        if target is not None and urlsplit(target).path == "/login":
            crawl.broken.append(f"{url} -> sign in (linked from {found_on})")
            return []
        return [(target, f"{url} (redirected)")] if target is not None else []
    if response.status_code != 200:
        crawl.broken.append(f"{url} -> {response.status_code} (linked from {found_on})")
        return []
    if not response.headers.get("content-type", "").startswith("text/html"):
        return []
    page = Page()
    page.feed(response.text)
    for action in page.actions:
        crawl.actions.setdefault(urlsplit(action).path, url)
    links = (_same_site(url, href) for href in page.links)
    return [(link, url) for link in links if link is not None]


@pytest.mark.parametrize("email", ["auditor@example.com", EXTERNAL])
def test_every_link_an_auditor_is_shown_answers_200(demo: TestClient, email: str) -> None:
    """The demo's auditor (a person in the organisation) and an external one (an account only)."""
    demo.cookies.clear()
    login(demo, email, PASSWORD)
    crawl = _crawl(demo)
    assert not crawl.broken, "\n".join(crawl.broken)
    # The crawl did reach the auditor's pages (a page that linked nowhere would pass the check above).
    for expected in (
        "/people?",
        "/people/{id}?",
        "/compliance?",
        "/audit?",
        "/catalog/{id}?",
        "/sessions/{id}?",
    ):
        assert expected in crawl.shapes, sorted(crawl.shapes)
    # What they may change: their own learning if they are a person, nothing (but signing out) if not.
    actions = {action: page for action, page in crawl.actions.items() if action != "/logout"}
    if email == EXTERNAL:
        assert actions == {}
    else:
        assert {a: p for a, p in actions.items() if not OWN_LEARNING.match(a)} == {}
        assert any(a.endswith("/book") for a in actions)  # the check does see forms
