"""The home page, and the records gathered from several areas: transcripts (page and CSV),
certificates (PDF, and the public page that verifies one), and learners' progress on an item."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role, can_view_person
from learnbridge.catalog.api import visible_statuses
from learnbridge.catalog.service import get_item
from learnbridge.core.csv_export import csv_response
from learnbridge.core.db import utcnow
from learnbridge.core.deps import Db
from learnbridge.core.errors import NotFound
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.home import progress_views, transcript_views
from learnbridge.home.certificates import (
    certificate_code,
    certificate_pdf,
    get_certificate,
    verify_certificate,
)
from learnbridge.home.views import home_for
from learnbridge.people.service import get_person
from learnbridge.push.models import STATUS_LABELS

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
# Who follows learners' progress on an item: managers (their reports), L&D admins and auditors (everyone).
Overseer = Annotated[Principal, require_role(Role.manager, Role.ld_admin, Role.auditor)]
Cursor = Annotated[str | None, Query(max_length=200)]
PROGRESS_LABELS = {
    "not_started": "Not started",
    "failed": "Failed",
    "in_progress": "In progress",
    "completed": "Completed",
    "passed": "Passed",
}


@router.get("/")
def home(request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    home = home_for(db, principal=principal, today=utcnow().date())
    return render(request, "home/index.html", {"home": home, "labels": STATUS_LABELS})


def _own(principal: Principal) -> int:
    if principal.person_id is None:
        raise NotFound("This account has no transcript: it is not linked to a person.")
    return principal.person_id


def _visible_person(db: Db, principal: Principal, person_id: int) -> int:
    """The person's records follow their profile's rule: themself, their managers up the line, L&D
    admins and auditors. Anyone else is told there is no such person, as on the profile."""
    if not can_view_person(db, principal, person_id):
        raise NotFound(f"No person {person_id}.")
    return person_id


def _transcript_page(request: Request, db: Db, person_id: int, cursor: str | None) -> Response:
    person = get_person(db, person_id)
    page = transcript_views.transcript(db, person_id=person_id, cursor=cursor)
    own = person_id == getattr(request.state.account, "person_id", None)
    context = {"person": person, "page": page, "own": own, "today": utcnow().date()}
    return render(request, "home/transcript.html", context)


@router.get("/transcript")
def my_transcript(request: Request, db: Db, principal: CurrentPrincipal, cursor: Cursor = None) -> Response:
    return _transcript_page(request, db, _own(principal), cursor)


@router.get("/transcript.csv")
def my_transcript_csv(db: Db, principal: CurrentPrincipal) -> Response:
    return csv_response(transcript_views.export_rows(db, person_id=_own(principal)), "transcript.csv")


@router.get("/people/{person_id}/transcript")
def person_transcript(
    person_id: Id, request: Request, db: Db, principal: CurrentPrincipal, cursor: Cursor = None
) -> Response:
    return _transcript_page(request, db, _visible_person(db, principal, person_id), cursor)


@router.get("/people/{person_id}/transcript.csv")
def person_transcript_csv(person_id: Id, db: Db, principal: CurrentPrincipal) -> Response:
    rows = transcript_views.export_rows(db, person_id=_visible_person(db, principal, person_id))
    return csv_response(rows, f"transcript-{person_id}.csv")


@router.get("/certificates/verify/{code}")
def verify(code: str, request: Request, db: Db) -> Response:
    """Public: whether a certificate stands, whose, for what and when; nothing else."""
    certificate = verify_certificate(db, secret_key=request.app.state.secret_key, code=code)
    return render(request, "home/verify.html", {"certificate": certificate})


@router.get("/certificates/{completion_id}.pdf")
def certificate(completion_id: Id, request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    found = get_certificate(db, completion_id=completion_id)
    if found.revoked or not can_view_person(db, principal, found.person_id):
        raise NotFound(f"No certificate {completion_id}.")
    base = request.app.state.settings.base_url.rstrip("/")
    code = certificate_code(request.app.state.secret_key, completion_id)
    pdf = certificate_pdf(found, verify_url=f"{base}/certificates/verify/{code}")
    headers = {"Content-Disposition": f'inline; filename="certificate-{completion_id}.pdf"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


def _status(status: str) -> str | None:
    return status if status in PROGRESS_LABELS else None


@router.get("/catalog/{item_id}/progress")
def item_progress(
    item_id: Id,
    request: Request,
    db: Db,
    principal: Overseer,
    status: Annotated[str, Query(max_length=20)] = "",
    cursor: Cursor = None,
) -> Response:
    item = get_item(db, item_id, statuses=visible_statuses(principal))
    page = progress_views.item_progress(
        db, item_id=item.id, principal=principal, status=_status(status), cursor=cursor
    )
    counts = progress_views.status_counts(db, item_id=item.id, principal=principal)
    context = {"item": item, "page": page, "counts": counts, "status": _status(status) or ""}
    return render(request, "home/item_progress.html", context | {"labels": PROGRESS_LABELS})


@router.get("/catalog/{item_id}/progress.csv")
def item_progress_csv(
    item_id: Id, db: Db, principal: Overseer, status: Annotated[str, Query(max_length=20)] = ""
) -> Response:
    item = get_item(db, item_id, statuses=visible_statuses(principal))
    rows = progress_views.export_rows(db, item_id=item.id, principal=principal, status=_status(status))
    return csv_response(rows, f"progress-{item.id}.csv")
