"""The signed-in person's inbox, for integrations and apps."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learnbridge.accounts.deps import CurrentPrincipal
from learnbridge.core.deps import Db
from learnbridge.core.errors import NotFound
from learnbridge.core.ids import Id
from learnbridge.core.paging import decode_cursor
from learnbridge.notify import service
from learnbridge.notify.schemas import InboxMessageOut, InboxPage

router = APIRouter(tags=["notify"])


@router.get("/me/inbox")
def list_my_messages(
    db: Db,
    principal: CurrentPrincipal,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InboxPage:
    """Your messages, newest first. An account without a person record has an empty inbox."""
    if principal.person_id is None:
        if cursor:
            decode_cursor(cursor)  # a cursor this API never gave out is refused, even for an empty inbox
        return InboxPage(items=[], next=None, unread=0)
    page = service.inbox_for(db, principal.person_id, cursor=cursor, limit=limit)
    items = [InboxMessageOut.model_validate(m) for m in page.items]
    return InboxPage(items=items, next=page.next, unread=service.unread_count(db, principal.person_id))


@router.post("/me/inbox/{message_id}/read")
def mark_message_read(message_id: Id, db: Db, principal: CurrentPrincipal) -> InboxMessageOut:
    if principal.person_id is None:
        raise NotFound(f"No message {message_id} in your inbox.")
    message = service.mark_read(db, person_id=principal.person_id, message_id=message_id)
    db.commit()
    return InboxMessageOut.model_validate(message)
