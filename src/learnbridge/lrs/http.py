"""What every /xapi resource shares: the error shape, the version header, version negotiation and
HTTP Basic authentication with scopes (xAPI 1.0.3 Part 3; IEEE 9274.1.1).

Use it as `APIRouter(prefix="/xapi", route_class=XapiRoute)`; a route takes `client: XapiClient` and
`version: XapiVersion` (or `dependencies=[Depends(xapi_version)]`) and calls `require_scope(client, ...)`.
Raise `XapiError(status, message)` anywhere below a route: the route class turns it, FastAPI's request
validation errors and `core.errors` types into `{"error": message}` with the version header set."""

from __future__ import annotations

import email
import email.message
import email.policy
import hashlib
import json
import re
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.responses import JSONResponse, Response

from learnbridge.core.db import utcnow, write_after_reads
from learnbridge.core.deps import Db
from learnbridge.core.errors import DomainError
from learnbridge.lrs.clients import allows, client_for_basic
from learnbridge.lrs.launch import session_for_basic
from learnbridge.lrs.models import Attachment, LaunchSession, LrsClient
from learnbridge.lrs.validate import StatementInvalid

VERSION_HEADER = "X-Experience-API-Version"
# The versions this LRS speaks: any 1.0.x (1.0.3 Part 3, 6.2) and 2.0.x (IEEE 9274.1.1).
_SUPPORTED = re.compile(r"^(1\.0|2\.0)(\.\d+)?$")


class XapiError(Exception):
    """An xAPI error response: `message` names the offending property (Part 3, 3.2: 400, never 422)."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})


def response_version(requested: str | None) -> str:
    """The version this LRS answers with: 2.0.0 to a 2.0 client, 1.0.3 otherwise (Part 3, 6.2)."""
    return "2.0.0" if requested and requested.startswith("2.") else "1.0.3"


def negotiate_version(headers: Mapping[str, str]) -> str:
    """The request's xAPI version; a missing or unsupported one is refused (Part 3, 6.2)."""
    requested = headers.get(VERSION_HEADER) or headers.get(VERSION_HEADER.lower())
    if not requested:
        raise XapiError(400, f"{VERSION_HEADER} header is required")
    if not _SUPPORTED.match(requested.strip()):
        raise XapiError(400, f"{VERSION_HEADER} {requested!r} is not supported (1.0.x or 2.0.x)")
    return requested.strip()


def _unauthorized() -> XapiError:
    return XapiError(
        401, "Authorization: missing or invalid Basic credentials", {"WWW-Authenticate": 'Basic realm="xAPI"'}
    )


def authenticate(db: Session, headers: Mapping[str, str]) -> LrsClient:
    """The active client named by the request's Basic credentials, else 401 (Part 4, 4.1). Launch
    credentials are not a client's: the resources that admit them call `authenticate_caller`."""
    header = headers.get("Authorization") or headers.get("authorization")
    client = client_for_basic(db, header) if header else None
    if client is None:
        raise _unauthorized()
    return client


@dataclass(frozen=True)
class Caller:
    """Who sent a request: a client, or launched content (`launch`, stored as `client`, the platform's
    content player) whose requests lrs.launch_rules confines to one actor and registration."""

    client: LrsClient
    launch: LaunchSession | None = None


def authenticate_caller(db: Session, headers: Mapping[str, str]) -> Caller:
    """A client's or a live launch session's Basic credentials (lrs.launch), else 401."""
    header = headers.get("Authorization") or headers.get("authorization")
    client = client_for_basic(db, header) if header else None
    if client is not None:
        return Caller(client)
    launch = session_for_basic(db, header) if header else None
    if launch is None:
        raise _unauthorized()
    found = db.get(LrsClient, launch.client_id)
    assert found is not None
    return Caller(found, launch)


def require_scope(client: LrsClient, needed: tuple[str, ...]) -> None:
    """403 unless the client holds one of the scopes the request needs."""
    if not allows(client, needed):
        raise XapiError(403, f"scope: this client lacks any of {', '.join(needed)}")


def xapi_version(request: Request) -> str:
    version = negotiate_version(request.headers)
    request.state.xapi_version = version
    return version


def xapi_client(request: Request, db: Db) -> LrsClient:
    return authenticate(db, request.headers)


def xapi_caller(request: Request, db: Db) -> Caller:
    return authenticate_caller(db, request.headers)


XapiVersion = Annotated[str, Depends(xapi_version)]
XapiClient = Annotated[LrsClient, Depends(xapi_client)]
XapiCaller = Annotated[Caller, Depends(xapi_caller)]


def lrs_write_db(db: Db, _: XapiCaller) -> Session:
    """The request's session for a document write, once its client is authenticated: SQLite's write
    lock from the first statement (accounts.deps.write_db has the reason)."""
    write_after_reads(db)
    return db


LrsWriteDb = Annotated[Session, Depends(lrs_write_db)]


def error_response(status: int, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=dict(headers or {}))


def _validation_message(exc: RequestValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body", "header"))
    return f"{where or 'request'}: {first.get('msg', 'invalid')}"


def _clients_version(request: Request) -> str | None:
    """A request that names no xAPI version is answered in the version its client speaks (set when the
    client is created): 1.0.3 and 2.0 disagree on what to answer it with (Part 3, 6.2)."""
    authorization = request.headers.get("authorization")
    if not authorization:
        return None
    with request.app.state.sessionmaker() as db:
        client = client_for_basic(db, authorization)
        return client.xapi_version if client is not None else None


CONSISTENT_HEADER = "X-Experience-API-Consistent-Through"


class XapiRoute(APIRoute):
    """Every /xapi response, errors included, carries the version header; errors are {"error": ...};
    a HEAD request gets the GET's headers without the body (Part 3, 2.1: HEAD for every GET)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def xapi_handler(request: Request) -> Response:
            try:
                response = await handler(request)
            except XapiError as exc:
                response = error_response(exc.status, exc.message, exc.headers)
            except StatementInvalid as exc:
                response = error_response(400, str(exc))
            except RequestValidationError as exc:
                response = error_response(400, _validation_message(exc))
            except DomainError as exc:
                # Invalid is 422 elsewhere in the app; xAPI says 400 for any bad request.
                response = error_response(400 if exc.status == 422 else exc.status, str(exc))
            requested = request.headers.get(VERSION_HEADER) or _clients_version(request)
            response.headers[VERSION_HEADER] = response_version(requested)
            if request.url.path.rstrip("/").endswith("/statements") and request.method in ("GET", "HEAD"):
                # Part 3, 2.1.3: on statement GETs "regardless of the code returned" (errors too).
                stamp = utcnow().isoformat(timespec="microseconds").replace("+00:00", "Z")
                response.headers.setdefault(CONSISTENT_HEADER, stamp)
            if request.method == "HEAD":
                return Response(status_code=response.status_code, headers=dict(response.headers))
            return response

        return xapi_handler


def credentials_first(request: Request, db: Db) -> None:
    """Refuse bad credentials before the body is read, unless the credentials are inside the body
    (the alternate request syntax, Part 3, 1.3)."""
    if "method" not in request.query_params:
        # Kept for the route, which would otherwise read the same credentials again.
        request.state.xapi_caller = authenticate_caller(db, request.headers)


async def read_body(request: Request, _: Annotated[None, Depends(credentials_first)]) -> tuple[str, bytes]:
    """The request's content type and raw body, read once for a sync route, after its credentials."""
    return request.headers.get("content-type", "application/json"), await request.body()


def parse_statement_body(content_type: str, body: bytes) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    """The JSON statement(s) and attachment parts of a POST/PUT: plain JSON, or multipart/mixed with the
    statements first and each attachment part carrying X-Experience-API-Hash (Part 3, 1.5.2)."""
    if content_type.lower().startswith("multipart/mixed"):
        return _parse_multipart(content_type, body)
    if not content_type.lower().startswith("application/json"):
        raise XapiError(400, f"Content-Type: {content_type!r} is not application/json or multipart/mixed")
    return _json(body), {}


def check_batch(document: Any, body_size: int, *, max_batch: int, max_statement_bytes: int) -> None:
    """One request stores a bounded batch: at most `max_batch` statements (400 naming the limit), none
    larger than `max_statement_bytes` serialised (413: Part 3, 3.2 lets an LRS refuse what exceeds its
    size limit). A body smaller than the statement limit cannot hold a statement over it."""
    if isinstance(document, list) and len(document) > max_batch:
        raise XapiError(
            400, f"statements: a batch may hold at most {max_batch} statements; this one has {len(document)}"
        )
    if body_size <= max_statement_bytes:
        return
    for index, item in enumerate(document if isinstance(document, list) else [document]):
        size = len(json.dumps(item, separators=(",", ":")).encode())
        if size > max_statement_bytes:
            where = f"statement {index}" if isinstance(document, list) else "statement"
            raise XapiError(
                413, f"{where}: {size} bytes, over the limit of {max_statement_bytes} per statement"
            )


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise XapiError(400, f"body: not valid JSON ({exc})") from exc


def _parse_multipart(content_type: str, body: bytes) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = email.message_from_bytes(head + body, policy=email.policy.HTTP)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    if not parts or parts[0].get_content_type() != "application/json":
        raise XapiError(400, "body: the first part of multipart/mixed must be application/json")
    document = _json(_payload(parts[0]))
    attachments: dict[str, tuple[str, bytes]] = {}
    for part in parts[1:]:
        sha2, content = part.get("X-Experience-API-Hash"), _payload(part)
        if not sha2:
            raise XapiError(400, "X-Experience-API-Hash: every attachment part needs one")
        if hashlib.sha256(content).hexdigest() != sha2.lower():
            raise XapiError(400, f"X-Experience-API-Hash: {sha2} does not match the part's content")
        attachments[sha2.lower()] = (part.get_content_type(), content)
    return document, attachments


def _payload(part: email.message.Message) -> bytes:
    content = part.get_payload(decode=True)
    return content if isinstance(content, bytes) else b""


def multipart_mixed(document: bytes, attachments: list[Attachment]) -> tuple[bytes, str]:
    """A multipart/mixed response: the JSON first, then each attachment by hash (Part 3, 2.1.3)."""
    boundary = uuid.uuid4().hex
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode() + document]
    for item in attachments:
        head = (
            f"--{boundary}\r\nContent-Type: {item.content_type}\r\n"
            f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {item.sha2}\r\n\r\n"
        )
        chunks.append(head.encode() + item.content)
    body = b"\r\n".join(chunks) + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/mixed; boundary={boundary}"
