"""The LRS document resources, Activities and Agents under /xapi (xAPI 1.0.3 Part 3, 2.2-2.7).

Each route parses its query parameters (naming the offending one in a 400), calls one service in
lrs.documents / lrs.activities, and answers 204, a document with its ETag and
Last-Modified, or a JSON array of ids."""

from __future__ import annotations

import datetime as dt
import json
from email.utils import format_datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, Response

from learnbridge.core.deps import Db
from learnbridge.lrs import activities, documents
from learnbridge.lrs.documents import (
    ACTIVITY_PROFILE,
    AGENT_PROFILE,
    STATE,
    DocumentKey,
    Preconditions,
)
from learnbridge.lrs.http import (
    Caller,
    LrsWriteDb,
    XapiCaller,
    XapiClient,
    XapiRoute,
    XapiVersion,
    require_scope,
)
from learnbridge.lrs.launch_rules import check_document

router = APIRouter(prefix="/xapi", include_in_schema=False, route_class=XapiRoute)

# Part 4, 4.2: "state" and "profile" read and write their documents; "all/read" reads everything.
SCOPES_WRITE = {
    STATE: ("all", "state"),
    ACTIVITY_PROFILE: ("all", "profile"),
    AGENT_PROFILE: ("all", "profile"),
}
SCOPES_READ = {kind: (*needed, "all/read") for kind, needed in SCOPES_WRITE.items()}
SCOPES_DESCRIBE = ("all", "all/read", "define", "profile", "state", "statements/read")
PATHS = {
    STATE: "/activities/state",
    ACTIVITY_PROFILE: "/activities/profile",
    AGENT_PROFILE: "/agents/profile",
}


async def raw_body(request: Request) -> bytes:
    return await request.body()


Body = Annotated[bytes, Depends(raw_body)]


def _key(kind: str, request: Request) -> DocumentKey:
    q = request.query_params
    return documents.document_key(
        kind, activity_id=q.get("activityId"), agent=q.get("agent"), registration=q.get("registration")
    )


def _document_id(kind: str, request: Request) -> str | None:
    return request.query_params.get(documents.ID_PARAMETER[kind])


def _pre(request: Request) -> Preconditions:
    return Preconditions(request.headers.get("If-Match"), request.headers.get("If-None-Match"))


def _http_date(moment: dt.datetime) -> str:
    return format_datetime(moment.astimezone(dt.UTC), usegmt=True)


def _confined(caller: Caller, kind: str, key: DocumentKey, document_id: str | None, *, write: bool) -> None:
    """Launched content uses only its learner's documents (lrs.launch_rules)."""
    if caller.launch is not None:
        check_document(
            caller.launch, kind=kind, agent_ifi=key.agent_ifi, document_id=document_id, write=write
        )


def _read(kind: str, request: Request, db: Db, caller: Caller) -> Response:
    require_scope(caller.client, SCOPES_READ[kind])
    key, document_id = _key(kind, request), _document_id(kind, request)
    _confined(caller, kind, key, document_id, write=False)
    if document_id is None:
        since = documents.parse_since(request.query_params.get("since"))
        ids, newest = documents.list_document_ids(db, key=key, since=since)
        headers = {"Last-Modified": _http_date(newest)} if newest else {}
        return JSONResponse(ids, headers=headers)
    doc = documents.get_document(db, key=key, document_id=document_id)
    headers = {"ETag": f'"{doc.etag}"', "Last-Modified": _http_date(doc.updated_at)}
    return Response(doc.content, media_type=doc.content_type, headers=headers)


def _write(kind: str, request: Request, db: Session, caller: Caller, body: bytes, version: str) -> Response:
    require_scope(caller.client, SCOPES_WRITE[kind])
    key, document_id = _key(kind, request), _document_id(kind, request)
    _confined(caller, kind, key, document_id, write=True)
    content_type = request.headers.get("Content-Type") or "application/octet-stream"
    args: dict[str, Any] = {"key": key, "document_id": document_id, "pre": _pre(request)}
    method = request.method
    if method == "DELETE" and kind == STATE and document_id is None:
        documents.delete_documents(db, key=key)
    elif method == "DELETE":
        documents.delete_document(db, **args)
    elif method == "PUT":
        documents.put_document(db, content=body, content_type=content_type, xapi_version=version, **args)
    else:
        documents.post_document(db, content=body, content_type=content_type, **args)
    db.commit()
    return Response(status_code=204)


def _routes(kind: str) -> None:
    """GET/HEAD, PUT, POST and DELETE for one document resource."""

    def read(request: Request, db: Db, caller: XapiCaller, version: XapiVersion) -> Response:
        return _read(kind, request, db, caller)

    def write(
        request: Request, db: LrsWriteDb, caller: XapiCaller, version: XapiVersion, body: Body
    ) -> Response:
        return _write(kind, request, db, caller, body, version)

    router.add_api_route(PATHS[kind], read, methods=["GET", "HEAD"], name=f"xapi_{kind}_read")
    router.add_api_route(PATHS[kind], write, methods=["PUT", "POST", "DELETE"], name=f"xapi_{kind}_write")


for _kind in (STATE, ACTIVITY_PROFILE, AGENT_PROFILE):
    _routes(_kind)


@router.api_route("/activities", methods=["GET", "HEAD"])
def get_activity(request: Request, db: Db, client: XapiClient, version: XapiVersion) -> Response:
    """The Activity object with its merged definition (Part 3, 2.5)."""
    require_scope(client, SCOPES_DESCRIBE)
    activity_id = documents.document_key(
        ACTIVITY_PROFILE, activity_id=request.query_params.get("activityId")
    ).activity_id
    return JSONResponse(activities.activity_object(db, activity_id=activity_id))


@router.api_route("/agents", methods=["GET", "HEAD"])
def get_person(request: Request, client: XapiClient, version: XapiVersion) -> Response:
    """The Person object for an Agent (Part 3, 2.4)."""
    require_scope(client, SCOPES_DESCRIBE)
    agent = documents.parse_agent(request.query_params.get("agent"))
    return Response(json.dumps(documents.person_for_agent(agent)), media_type="application/json")
