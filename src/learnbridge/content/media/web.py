"""The video and document players' parts of the player page (`player_context`), the "Mark as read"
button of a document (a plain form: it works without script), and the captions of a video played from
another site."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData, UploadFile
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb
from learnbridge.accounts.policy import Role
from learnbridge.catalog.models import ItemStatus
from learnbridge.content import service
from learnbridge.content.media import document, webvtt
from learnbridge.content.media.video import DEFAULT_SHARE
from learnbridge.content.models import Attempt, ContentKind, ContentVersion
from learnbridge.core.deps import Db
from learnbridge.core.errors import NotFound
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.pull.api import me
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)


@dataclass(frozen=True)
class VideoView:
    src: str
    mime: str | None
    captions: str | None
    resume: float
    complete_share: float
    watched: float


@dataclass(frozen=True)
class DocumentView:
    src: str
    page: int
    pages: int | None
    furthest: int


def _number(text: str, default: float) -> float:
    try:
        return float(text)
    except ValueError:
        return default


def player_context(attempt: Attempt) -> dict[str, Any]:
    """What the video or document template needs beyond the player page's own context."""
    version = attempt.version
    spec = version.spec
    files = f"/content/{version.id}/files/"
    if version.kind == ContentKind.video.value:
        captions = files + spec["captions"] if spec.get("captions") else None
        if spec.get("captions_vtt"):
            captions = f"/content/{version.id}/captions.vtt"
        view = VideoView(
            src=spec.get("url") or files + spec["file"],
            mime=spec.get("mime"),
            captions=captions,
            resume=_number(attempt.location, 0.0),
            complete_share=float(spec.get("complete_share", DEFAULT_SHARE)),
            watched=attempt.progress,
        )
        return {"video": view}
    if version.kind == ContentKind.document.value:
        pages = spec.get("pages") or attempt.data.get("pages")
        page = int(_number(attempt.location, 1))
        view_doc = DocumentView(
            src=files + spec["file"],
            page=max(1, min(page, int(pages or page))),
            pages=int(pages) if pages else None,
            furthest=int(attempt.data.get("furthest") or 0),
        )
        return {"document": view_doc}
    return {}


def page_policy(request: Request, version: ContentVersion) -> str | None:
    """The player page's Content-Security-Policy when a video plays from another site: the app's, with
    that site allowed as a media source (and only for this page). None: the app's own applies."""
    url = version.spec.get("url") if version.kind == ContentKind.video.value else None
    base = getattr(request.app.state, "content_security_policy", None)
    if not url or not base:
        return None
    parts = urlsplit(str(url))
    return f"{base}; media-src 'self' {parts.scheme}://{parts.netloc}"


@router.post("/attempts/{attempt_id}/read")
def mark_read(attempt_id: Id, db: WriteDb, principal: CurrentPrincipal) -> Response:
    """The document's "Mark as read" button: the attempt is completed."""
    attempt = service.get_attempt(db, attempt_id, person_id=me(principal))
    change = document.mark_read(db, attempt)
    apply_evidence(db, change=change, actor=Actor.of(principal.account))
    db.commit()
    return RedirectResponse(f"/attempts/{attempt.id}?done=read", status_code=303)


@router.get("/content/{version_id}/captions.vtt")
def captions(version_id: Id, db: Db, principal: CurrentPrincipal) -> Response:
    """The captions of a video played from an address (kept in its spec), to anyone who may see it."""
    version = service.get_version(db, version_id)
    hidden = version.item.status != ItemStatus.published.value and Role.ld_admin not in principal.roles
    text = version.spec.get("captions_vtt") if version.kind == ContentKind.video.value else None
    if hidden or not text:
        raise NotFound(f"No captions for content version {version_id}.")
    return Response(str(text), media_type="text/vtt", headers={"Cache-Control": "private, max-age=86400"})


# ---- the admin's upload form (content.web) ---------------------------------------------------------------


def captions_field(form: FormData) -> dict[str, Any]:
    """The captions file chosen beside a video upload, as the video's reader takes it."""
    upload = form.get("captions")
    if isinstance(upload, UploadFile) and upload.filename:
        return {"captions": upload.file.read(webvtt.MAX_BYTES + 1)}
    return {}


def video_from_form(form: FormData) -> dict[str, Any]:
    """A video at an address, from the upload form's fields, as the API takes it in JSON."""
    captions = captions_field(form).get("captions")
    return {
        "kind": "video",
        "title": form.get("title") or "",
        "url": form.get("url") or "",
        "complete_share": form.get("complete_share") or None,
        "captions": webvtt.decode(captions) if isinstance(captions, bytes) else None,
    }
