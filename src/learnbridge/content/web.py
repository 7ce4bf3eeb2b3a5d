"""Delivery pages: launching an item's content, the player page around it, the files it is played from,
marking complete, acknowledging a policy, finishing a link; and, for L&D admins, an item's content
versions with the upload form."""

from __future__ import annotations

import mimetypes
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile
from starlette.responses import FileResponse, RedirectResponse, Response

from learnbridge.accounts.deps import CurrentPrincipal, WriteDb, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.catalog import activities
from learnbridge.catalog.models import ItemStatus
from learnbridge.catalog.schemas import ItemActivitiesIn
from learnbridge.catalog.service import get_item
from learnbridge.content import offers, packages, policy, service
from learnbridge.content.media import web as media_web
from learnbridge.content.models import (
    KIND_LABELS,
    SLOT_LABELS,
    STATUS_LABELS,
    Attempt,
    AttemptStatus,
    ContentKind,
    Slot,
)
from learnbridge.content.quiz import web as quiz_web
from learnbridge.content.storage import ContentStore, UnpackLimits
from learnbridge.core.deps import AppSettings, Db, FormFields, form_of
from learnbridge.core.errors import Conflict, Invalid, NotFound, invalid_from
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.settings import Settings
from learnbridge.core.templates import render
from learnbridge.pull.api import me
from learnbridge.push.audit import Actor
from learnbridge.push.fulfilment import apply_evidence
from learnbridge.records.completions import CompletionChange
from learnbridge.records.models import Origin
from learnbridge.records.platform_iris import item_activity_id

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]

# The player page's family of templates per kind (templates/content/players/{family}.html).
FAMILIES = {ContentKind.scorm12: "scorm", ContentKind.scorm2004: "scorm"}
# Content runs in a sandboxed frame of the player page; the files it is made of get their own policy:
# scripts may run (a package is a web page) but only in a frame of this site, never as a page of its own.
CONTENT_POLICY = (
    "sandbox allow-scripts allow-same-origin allow-forms allow-popups allow-downloads; "
    "default-src 'self' data: blob:; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "connect-src 'self'; frame-ancestors 'self'; form-action 'self'; object-src 'none'; base-uri 'self'"
)
# Types a browser should get for files packages commonly hold, whatever the system's tables say.
TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".vtt": "text/vtt", ".json": "application/json"}


def store_of(settings: Settings) -> ContentStore:
    return ContentStore(settings.resolved_content_dir())


def limits_of(settings: Settings) -> UnpackLimits:
    return UnpackLimits(total_bytes=settings.max_content_unpacked)


def applied(db: Db, change: CompletionChange, principal: Principal) -> None:
    """Apply what finishing did to the person's assignments (push, above this area)."""
    if change.added or change.revoked:
        apply_evidence(db, change=change, actor=Actor.of(principal.account))


def _slot(value: str) -> Slot:
    if value not in Slot.__members__:
        raise Invalid(field="slot", message=f"must be one of {', '.join(Slot)}")
    return Slot(value)


def _origin(value: str) -> Origin:
    return Origin(value) if value in Origin.__members__ else Origin.self


@router.get("/items/{item_id}/launch")
def launch(
    item_id: Id,
    db: WriteDb,
    principal: CurrentPrincipal,
    slot: Annotated[str, Query(max_length=20)] = Slot.main.value,
    origin: Annotated[str, Query(max_length=20)] = Origin.self.value,
) -> Response:
    """Start or resume the signed-in person's attempt at the item's content: to its player."""
    attempt = service.launch(
        db, person_id=me(principal), item_id=item_id, slot=_slot(slot), origin=_origin(origin)
    )
    db.commit()
    return RedirectResponse(f"/attempts/{attempt.id}", status_code=303)


def _own_attempt(db: Db, attempt_id: int, principal: Principal) -> Attempt:
    return service.get_attempt(db, attempt_id, person_id=me(principal))


@router.get("/attempts/{attempt_id}")
def player(attempt_id: Id, request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    attempt = _own_attempt(db, attempt_id, principal)
    version = attempt.version
    kind = ContentKind(version.kind)
    context: dict[str, Any] = {
        "item": version.item,
        "version": version,
        "attempt": attempt,
        "family": FAMILIES.get(kind, kind.value),
        "files_url": f"/content/{version.id}/files/",
        "progress": offers.progress(
            db, person_id=attempt.person_id, item_id=attempt.item_id, slot=Slot(version.slot)
        ),
        "statuses": STATUS_LABELS,
        "slots": SLOT_LABELS,
    }
    if kind is ContentKind.policy:
        context["acknowledgement"] = policy.acknowledgement_of(
            db, version_id=version.id, person_id=attempt.person_id
        )
    # Video, document and quiz players (content.media, content.quiz).
    context.update(media_web.player_context(attempt))
    if kind is ContentKind.quiz:
        context.update(quiz_web.player_context(db, attempt))
    response = render(request, "content/player.html", context)
    if (own_policy := media_web.page_policy(request, version)) is not None:
        response.headers["Content-Security-Policy"] = own_policy
    return response


@router.post("/attempts/{attempt_id}/acknowledge")
def acknowledge(attempt_id: Id, db: WriteDb, principal: CurrentPrincipal, form: FormFields) -> Response:
    attempt = _own_attempt(db, attempt_id, principal)
    if form.get("understood") != "yes":
        raise Invalid(
            field="understood", message="tick “I have read and understood” to acknowledge the policy"
        )
    applied(db, policy.acknowledge(db, attempt), principal)
    db.commit()
    return RedirectResponse(f"/attempts/{attempt.id}?done=acknowledged", status_code=303)


@router.post("/attempts/{attempt_id}/finish")
def finish_link(attempt_id: Id, db: WriteDb, principal: CurrentPrincipal) -> Response:
    """The person says they finished a link (where the link is completed by the learner)."""
    attempt = _own_attempt(db, attempt_id, principal)
    version = attempt.version
    if version.kind != ContentKind.link.value or version.spec.get("completion") != "learner":
        raise Conflict("This content is completed by what it reports, not by a button.")
    applied(db, service.finish_attempt(db, attempt, status=AttemptStatus.completed), principal)
    db.commit()
    return RedirectResponse(f"/catalog/{attempt.item_id}?done=completed", status_code=303)


@router.post("/items/{item_id}/complete")
def mark_complete(item_id: Id, db: WriteDb, principal: CurrentPrincipal) -> Response:
    applied(db, service.mark_complete(db, person_id=me(principal), item_id=item_id), principal)
    db.commit()
    return RedirectResponse(f"/catalog/{item_id}?done=completed", status_code=303)


@router.get("/content/{version_id}/files/{name:path}")
def content_file(
    version_id: Id,
    name: Annotated[str, Field(max_length=1000)],
    db: Db,
    principal: CurrentPrincipal,
    settings: AppSettings,
) -> Response:
    """A file of a content version, to anyone signed in who may see the item (L&D admins see drafts)."""
    version = service.get_version(db, version_id)
    if version.item.status != ItemStatus.published.value and Role.ld_admin not in principal.roles:
        raise NotFound(f"No content version {version_id}.")
    path = store_of(settings).file(version.storage_key, name) if version.storage_key else None
    if path is None:
        raise NotFound(f"{name} is not a file of this content.")
    media_type = (
        TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )
    headers = {
        "Content-Security-Policy": CONTENT_POLICY,
        "X-Frame-Options": "SAMEORIGIN",
        # Versions never change: a file of one may be kept (privately) as long as the browser likes.
        "Cache-Control": "private, max-age=86400",
    }
    return FileResponse(path, media_type=media_type, headers=headers)


# ---- admin ----------------------------------------------------------------------------------------------


@router.get("/admin/catalog/{item_id}/content")
def content_admin(item_id: Id, request: Request, db: Db, principal: Admin, settings: AppSettings) -> Response:
    item = get_item(db, item_id)
    context = {
        "item": item,
        "versions": service.versions(db, item_id),
        "delivery": service.delivery(db, item_id),
        "kinds": KIND_LABELS,
        "slots": SLOT_LABELS,
        "added": request.query_params.get("added"),
        "activities": activities.activities_of(db, item_id),
        # As the stream matches it: under the configured base URL, not whatever host the admin used.
        "own_activity": item_activity_id(settings.base_url, item.id),
    }
    return render(request, "content/admin.html", context)


@router.post("/admin/catalog/{item_id}/content/activities")
def item_activities(item_id: Id, db: WriteDb, principal: Admin, form: FormFields) -> Response:
    """The xAPI activity IRIs that count for the item, one a line, and whether sub-activities do."""
    text = str(form.get("iris") or "")
    if len(text) > 110_000:
        raise Invalid(field="iris", message="is too long: at most 50 IRIs of 2,048 characters")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    try:
        data = ItemActivitiesIn(iris=lines, sub_activities=form.get("sub_activities") == "true")
    except ValidationError as exc:
        raise invalid_from(exc.errors()) from None
    activities.set_activities(db, item_id=item_id, data=data)
    db.commit()
    return RedirectResponse(f"/admin/catalog/{item_id}/content?added=activities", status_code=303)


class DeliveryForm(BaseModel):
    self_completion: bool = False


@router.post("/admin/catalog/{item_id}/content/settings")
def content_settings(
    item_id: Id, db: WriteDb, principal: Admin, form: Annotated[DeliveryForm, Depends(form_of(DeliveryForm))]
) -> Response:
    get_item(db, item_id)
    service.set_self_completion(db, item_id=item_id, allowed=form.self_completion)
    db.commit()
    return RedirectResponse(f"/admin/catalog/{item_id}/content?added=settings", status_code=303)


@router.post("/admin/catalog/{item_id}/content")
def upload_content(
    item_id: Id, request: Request, db: WriteDb, principal: Admin, form: FormFields, settings: AppSettings
) -> Response:
    """The upload form: a file, or a described kind (link, policy, quiz) from the form's fields."""
    get_item(db, item_id)
    slot = _slot(str(form.get("slot") or Slot.main.value))
    upload = form.get("file")
    if isinstance(upload, UploadFile) and upload.filename:
        upload_file = (upload.filename, upload.file.read(), _upload_fields(form))
        added = add_and_commit(db, settings, principal, item_id=item_id, slot=slot, upload=upload_file)
    else:
        added = add_and_commit(
            db, settings, principal, item_id=item_id, slot=slot, description=described(form)
        )
    return RedirectResponse(
        f"/admin/catalog/{item_id}/content?added={added.version.version}", status_code=303
    )


def add_and_commit(
    db: Db,
    settings: Settings,
    principal: Principal,
    *,
    item_id: int,
    slot: Slot,
    upload: tuple[str, bytes, dict[str, Any]] | None = None,
    description: dict[str, Any] | None = None,
) -> packages.Added:
    """Add the item's next content version from an upload (file name, bytes, form fields) or a
    description, and commit; an upload's files are removed again if the commit fails. What a new policy
    version supersedes is applied to assignments first."""
    account_id = principal.account.id
    if upload is None:
        added = packages.add_description(
            db, item_id=item_id, body=description or {}, slot=slot, account_id=account_id
        )
        applied(db, added.change, principal)
        db.commit()
        return added
    filename, data, fields = upload
    store = store_of(settings)
    added = packages.add_file(
        db,
        store,
        limits_of(settings),
        item_id=item_id,
        filename=filename,
        data=data,
        fields=fields,
        slot=slot,
        account_id=account_id,
    )
    try:
        db.commit()
    except Exception:
        packages.discard(store, added.version)
        raise
    return added


def _upload_fields(form: FormFields) -> dict[str, Any]:
    fields: dict[str, Any] = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    return fields | media_web.captions_field(form)


def described(form: FormFields) -> dict[str, Any]:
    """A link or policy from the upload form's fields, as the API takes it in JSON."""
    kind = str(form.get("kind") or "")
    if kind == "link":
        return {
            "kind": "link",
            "title": form.get("title") or "",
            "url": form.get("url") or "",
            "completion": form.get("completion") or "learner",
        }
    if kind == "policy":
        return {
            "kind": "policy",
            "title": form.get("title") or "",
            "text": form.get("text") or "",
            "label": form.get("label") or "",
        }
    if kind == "quiz":
        return quiz_web.quiz_from_form(form)
    if kind == "video":
        return media_web.video_from_form(form)
    raise Invalid(field="file", message="choose a file to upload, or describe a link, policy, quiz or video")
