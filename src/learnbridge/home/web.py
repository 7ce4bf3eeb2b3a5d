"""The home page."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from learnbridge.accounts.deps import CurrentPrincipal
from learnbridge.core.db import utcnow
from learnbridge.core.deps import Db
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.home.views import home_for
from learnbridge.push.models import STATUS_LABELS

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


@router.get("/")
def home(request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    home = home_for(db, principal=principal, today=utcnow().date())
    return render(request, "home/index.html", {"home": home, "labels": STATUS_LABELS})
