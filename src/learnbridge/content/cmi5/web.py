"""cmi5 routes: launching an AU of the learner's attempt, its AUs' status for the player, and the fetch
URL an AU gets its auth token from (cmi5 8.2)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.accounts.policy import Principal
from learnbridge.content import service
from learnbridge.content.cmi5 import progress
from learnbridge.content.cmi5.launch import launch_au
from learnbridge.content.models import STATUS_LABELS, Attempt
from learnbridge.core.deps import AppSettings, Db, FormFields
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.lrs.launch import FetchError, fetch_auth_token
from learnbridge.pull.api import me
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
# The fetch URL is POSTed by the AU itself, which holds no session or CSRF token: the one-time token in
# its path is the credential (cmi5 8.2.1).
fetch_router = APIRouter(include_in_schema=False)


def _own_attempt(db: Db, attempt_id: int, principal: Principal) -> Attempt:
    return service.get_attempt(db, attempt_id, person_id=me(principal))


def _au_index(form: FormFields) -> int:
    raw = str(form.get("au") or "")
    if not raw.isdigit() or len(raw) > 6:
        raise Invalid(field="au", message="must be the number of an AU of the course")
    return int(raw)


@router.post("/attempts/{attempt_id}/cmi5/launch")
def launch(
    attempt_id: Id,
    request: Request,
    db: WriteDb,
    principal: CurrentPrincipal,
    settings: AppSettings,
    form: FormFields,
) -> Response:
    """Launch an AU: JSON {url, own_window} for the player's script, else a redirect to the AU (8.1:
    redirecting the learner's window is a launch any AU accepts)."""
    attempt = _own_attempt(db, attempt_id, principal)
    version = attempt.version
    launched = launch_au(
        db,
        attempt,
        index=_au_index(form),
        base_url=settings.base_url,
        files_url=f"/content/{version.id}/files/",
        site_url=str(request.base_url),
    )
    if launched.change.added or launched.change.revoked:
        apply_evidence(db, change=launched.change, actor=Actor.of(principal.account))
    db.commit()
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"url": launched.url, "own_window": launched.own_window})
    return RedirectResponse(launched.url, status_code=303)


@router.get("/attempts/{attempt_id}/cmi5/status")
def status(attempt_id: Id, db: Db, principal: CurrentPrincipal) -> JSONResponse:
    """The attempt's status and each AU's, for the player to refresh while an AU runs."""
    attempt = _own_attempt(db, attempt_id, principal)
    return JSONResponse(au_statuses(attempt))


def au_statuses(attempt: Attempt) -> dict[str, Any]:
    state = progress.state_of(attempt)
    aus = []
    for index, au in enumerate(attempt.version.spec.get("aus") or []):
        outcome = state["aus"].get(str(index)) or {}
        aus.append({"index": index, "status": au_status(au, outcome)})
    return {
        "status": attempt.status,
        "label": STATUS_LABELS.get(attempt.status, attempt.status),
        "finished": attempt.finished,
        "aus": aus,
    }


def au_status(au: dict[str, Any], outcome: dict[str, Any]) -> str:
    """What the learner is shown for an AU: satisfied, passed, failed, completed or not started."""
    if outcome.get("satisfied"):
        return "Done"
    for name in ("passed", "failed", "completed"):
        if outcome.get(name):
            return name.capitalize()
    return "Not done yet" if au["moveOn"] != "NotApplicable" else "Optional"


@fetch_router.post("/content/cmi5/fetch/{token}")
def fetch(token: str, db: WriteDb) -> JSONResponse:
    """cmi5 8.2: the auth-token on the first POST; an error JSON (still 200, 8.2.2) after that."""
    found = fetch_auth_token(db, token=token[:100])
    db.commit()
    if isinstance(found, FetchError):
        return JSONResponse({"error-code": found.code, "error-text": found.text}, headers=_no_store())
    return JSONResponse({"auth-token": found}, headers=_no_store())


def _no_store() -> dict[str, str]:
    return {"Cache-Control": "no-store"}
