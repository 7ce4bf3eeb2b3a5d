"""The inbox page for everyone, the outbox page for L&D admins, and the nav's unread badge."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.deps import Db
from learnbridge.core.errors import NotFound
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render
from learnbridge.notify import service
from learnbridge.notify.models import MailStatus

logger = logging.getLogger(__name__)
router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]


def unread_badge(request: Request) -> int:
    """The signed-in person's unread count for the nav (a template global). A page reads it through
    the request's own session, kept on request.state by core.deps.remember_db. An error page is
    rendered after that session closed: it reads in a short session of its own, closed at once."""
    account = getattr(request.state, "account", None)
    if account is None or account.person_id is None:
        return 0
    db = getattr(request.state, "db", None)
    try:
        if isinstance(db, Session):
            return service.unread_count(db, account.person_id)
        with request.app.state.sessionmaker() as own:
            return service.unread_count(own, account.person_id)
    except SQLAlchemyError:
        # An error page after a failed statement: the transaction is unusable, so show no badge.
        logger.debug("no unread badge: the request's transaction failed", exc_info=True)
        return 0


@router.get("/inbox")
def inbox(request: Request, db: Db, principal: CurrentPrincipal, cursor: str | None = None) -> Response:
    page = service.inbox_for(db, principal.person_id, cursor=cursor) if principal.person_id else None
    return render(request, "notify/inbox.html", {"page": page})


@router.post("/inbox/{message_id}/read")
def read_message(message_id: Id, request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    if principal.person_id is None:
        raise NotFound(f"No message {message_id} in your inbox.")
    message = service.mark_read(db, person_id=principal.person_id, message_id=message_id)
    db.commit()
    if request.headers.get("hx-request"):
        return render(request, "notify/_message.html", {"message": message, "oob": True})
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/read-all")
def read_all(request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    if principal.person_id is not None:
        service.mark_all_read(db, person_id=principal.person_id)
        db.commit()
    return RedirectResponse("/inbox", status_code=303)


@router.get("/admin/outbox")
def outbox(request: Request, db: Db, _: Admin, status: str = "", cursor: str | None = None) -> Response:
    wanted = MailStatus(status) if status in MailStatus.__members__ else None
    page = service.outbox(db, status=wanted, cursor=cursor)
    context = {"page": page, "status": wanted.value if wanted else "", "statuses": list(MailStatus)}
    return render(request, "notify/outbox.html", context)
