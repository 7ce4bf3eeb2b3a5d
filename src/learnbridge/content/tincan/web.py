"""Launching an xAPI package of the learner's attempt (content.tincan.launch)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.content import service
from learnbridge.content.tincan.launch import launch_package
from learnbridge.core.deps import AppSettings
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.pull.api import me

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


@router.post("/attempts/{attempt_id}/xapi/launch")
def launch(
    attempt_id: Id, request: Request, db: WriteDb, principal: CurrentPrincipal, settings: AppSettings
) -> Response:
    """JSON {url, own_window} for the player's script, else a redirect to the package."""
    attempt = service.get_attempt(db, attempt_id, person_id=me(principal))
    launched = launch_package(
        db,
        attempt,
        base_url=settings.base_url,
        files_url=f"/content/{attempt.version_id}/files/",
        site_url=str(request.base_url),
    )
    db.commit()
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"url": launched.url, "own_window": launched.own_window})
    return RedirectResponse(launched.url, status_code=303)
