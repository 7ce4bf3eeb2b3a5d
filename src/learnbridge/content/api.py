"""Content under /api/v1: adding a version to an item (an upload or a description) and a person's
progress on an item."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from starlette.datastructures import UploadFile

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.catalog.service import get_item
from learnbridge.content import offers, packages
from learnbridge.content.models import Slot
from learnbridge.content.web import add_and_commit
from learnbridge.core.deps import AppSettings, Db
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import Id
from learnbridge.pull.api import me

router = APIRouter(tags=["content"])
Admin = Annotated[Principal, require_role(Role.ld_admin)]


class ContentAdded(BaseModel):
    kind: str
    version: int
    slot: str
    id: int


class ProgressOut(BaseModel):
    status: Literal["not_started", "in_progress", "completed", "passed", "failed"]
    score: float | None
    attempts: int


async def read_content_body(request: Request) -> tuple[str, bytes, dict[str, Any]] | dict[str, Any]:
    """A multipart upload (file name, bytes, the other fields) or a JSON description. The body's size is
    bounded before it is read (core.limits: the content family)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get(packages.FIELD)
        if not isinstance(upload, UploadFile):
            raise Invalid(field=packages.FIELD, message="send the package, video or PDF in the field `file`")
        fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str)}
        return upload.filename or "", await upload.read(), fields
    if content_type.startswith("application/json"):
        try:
            body = json.loads(await request.body())
        except (ValueError, UnicodeDecodeError):
            raise Invalid(field="body", message="is not valid JSON") from None
        if not isinstance(body, dict):
            raise Invalid(field="body", message="must be a JSON object with a `kind`")
        return body
    raise Invalid(
        field="content-type",
        message="send multipart/form-data with a `file`, or JSON describing a link, policy or quiz",
    )


ContentBody = Annotated[tuple[str, bytes, dict[str, Any]] | dict[str, Any], Depends(read_content_body)]


@router.post("/catalog/items/{item_id}/content", status_code=201)
def add_content(
    item_id: Id,
    body: ContentBody,
    db: WriteDb,
    principal: Admin,
    settings: AppSettings,
    slot: Annotated[str, Query(max_length=20)] = Slot.main.value,
) -> ContentAdded:
    """Add the item's next content version: a SCORM, cmi5 or xAPI package, a video or a PDF uploaded in
    the multipart field `file`; or a link, policy or quiz described in JSON. 422 names what is wrong."""
    get_item(db, item_id)
    if slot not in Slot.__members__:
        raise Invalid(field="slot", message=f"must be one of {', '.join(Slot)}")
    if isinstance(body, dict):
        added = add_and_commit(db, settings, principal, item_id=item_id, slot=Slot(slot), description=body)
    else:
        added = add_and_commit(db, settings, principal, item_id=item_id, slot=Slot(slot), upload=body)
    version = added.version
    return ContentAdded(kind=version.kind, version=version.version, slot=version.slot, id=version.id)


@router.get("/me/items/{item_id}/progress")
def get_my_progress(item_id: Id, db: Db, principal: CurrentPrincipal) -> ProgressOut:
    """The caller's progress on the item's main content (completed also when finished by other means)."""
    get_item(db, item_id)
    found = offers.progress(db, person_id=me(principal), item_id=item_id)
    return ProgressOut(status=found.status, score=found.score, attempts=found.attempts)
