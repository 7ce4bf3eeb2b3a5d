"""The Statement resource and About (xAPI 1.0.3 Part 3, 2.1 and 2.8; IEEE 9274.1.1)."""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import replace
from email.utils import format_datetime
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Request
from sqlalchemy.orm import Session
from starlette.datastructures import Headers, QueryParams
from starlette.responses import JSONResponse, Response

from learnbridge.core.db import write_from_next_transaction
from learnbridge.core.deps import AppSettings, Db
from learnbridge.core.settings import Settings
from learnbridge.lrs.clients import READS, WRITES
from learnbridge.lrs.format import formatted, ifi_of
from learnbridge.lrs.http import (
    Caller,
    XapiError,
    XapiRoute,
    authenticate_caller,
    check_batch,
    multipart_mixed,
    negotiate_version,
    parse_statement_body,
    read_body,
    require_scope,
)
from learnbridge.lrs.models import LrsClient
from learnbridge.lrs.query import (
    StatementQuery,
    Stored,
    attachments_for,
    consistent_through,
    find_statements,
    get_statement,
    statement_documents,
)
from learnbridge.lrs.statements import iso, parse_time, receive_statements

_FILTERS = {"agent", "verb", "activity", "registration", "since", "until", "limit", "format"}
_FLAGS = {"related_activities", "related_agents", "ascending", "attachments"}
_SINGLE = {"statementId", "voidedStatementId"}
_SINGLE_EXTRAS = {"format", "attachments"}
_OWN_READS = ("all", "all/read", "statements/read")

router = APIRouter(prefix="/xapi", include_in_schema=False, route_class=XapiRoute)

Body = Annotated[tuple[str, bytes], Depends(read_body)]


@router.api_route("/about", methods=["GET", "HEAD"])
def about() -> JSONResponse:
    """Needs neither credentials nor a version header (Part 3, 2.8)."""
    return JSONResponse({"version": ["1.0.3", "2.0.0"], "extensions": {}})


@router.post("/statements")
def post_statements(request: Request, db: Db, settings: AppSettings, body: Body) -> Response:
    """Statements, or with `?method=` the alternate request syntax (Part 3, 1.3)."""
    if "method" in request.query_params:
        return _alternate(request, db, settings, body)
    caller = getattr(request.state, "xapi_caller", None)  # absent where the credentials are in a form
    return _write(db, settings, request.headers, request.query_params, body, put=False, caller=caller)


@router.put("/statements", status_code=204)
def put_statement(request: Request, db: Db, settings: AppSettings, body: Body) -> Response:
    caller = getattr(request.state, "xapi_caller", None)  # absent where the credentials are in a form
    return _write(db, settings, request.headers, request.query_params, body, put=True, caller=caller)


@router.api_route("/statements", methods=["GET", "HEAD"])
def get_statements(request: Request, db: Db) -> Response:
    return _read(db, request.headers, request.query_params)


_FORM_HEADERS = {"authorization", "x-experience-api-version", "content-type", "content-length"}


def _alternate(request: Request, db: Session, settings: Settings, body: tuple[str, bytes]) -> Response:
    """A POST carrying another method, its headers and content as form fields, so a browser can send
    any request without a preflight; the query string may hold `method` only (Part 3, 1.3)."""
    method = request.query_params["method"].upper()
    if set(request.query_params) != {"method"} or method not in ("GET", "PUT", "POST"):
        raise XapiError(400, "method: only GET, PUT or POST, and no other query parameter")
    if not body[0].lower().startswith("application/x-www-form-urlencoded"):
        raise XapiError(400, "Content-Type: the alternate syntax sends application/x-www-form-urlencoded")
    form = parse_qsl(body[1].decode(), keep_blank_values=True)
    # The request's own headers count too; the form's header fields win (Part 3, 1.3). The content's
    # type is the form's Content-Type field (else JSON), never the form encoding itself.
    sent = {k.lower(): v for k, v in request.headers.items() if k.lower() in _FORM_HEADERS}
    sent.pop("content-type", None)
    sent.pop("content-length", None)
    headers = Headers(sent | {k.lower(): v for k, v in form if k.lower() in _FORM_HEADERS})
    params = QueryParams([(k, v) for k, v in form if k.lower() not in _FORM_HEADERS and k != "content"])
    if negotiate_version(headers).startswith("2."):
        raise XapiError(400, "method: xAPI 2.0 has no alternate request syntax (IEEE 9274.1.1)")
    if method == "GET":
        return _read(db, headers, params)
    if not any(k == "content" for k, _ in form):
        raise XapiError(
            400, "content: the alternate syntax sends the statement in a form field named content"
        )
    content = next((v for k, v in form if k == "content"), "").encode()
    content_type = headers.get("content-type", "application/json")
    return _write(db, settings, headers, params, (content_type, content), put=method == "PUT")


def _write(
    db: Session,
    settings: Settings,
    headers: Mapping[str, str],
    params: QueryParams,
    body: tuple[str, bytes],
    *,
    put: bool,
    caller: Caller | None = None,
) -> Response:
    """Store what a POST or PUT sent; `caller` is the one the credentials dependency found, else the
    alternate syntax's form names the credentials."""
    version, caller = negotiate_version(headers), caller or authenticate_caller(db, headers)
    client = caller.client
    require_scope(client, WRITES["statements"])
    # End authentication's read transaction; on SQLite the write then takes the lock before it reads
    # (what accounts.deps does for signed-in requests), so concurrent batches queue instead of failing.
    db.commit()
    write_from_next_transaction(db)
    if put and not params.get("statementId"):
        raise XapiError(400, "statementId: required on PUT")
    with _INTAKE:
        return _store(db, settings, params, body, put=put, caller=caller, version=version)


# Batches stored at once by this process: one being written while the next is parsed and validated. More
# would only take turns on the interpreter lock and slow the writer holding the database's lock (eight
# clients at once then stored fewer statements a second than one); the others wait here, idle.
_INTAKE = threading.BoundedSemaphore(2)


def _store(
    db: Session,
    settings: Settings,
    params: QueryParams,
    body: tuple[str, bytes],
    *,
    put: bool,
    caller: Caller,
    version: str,
) -> Response:
    client = caller.client
    document, parts = parse_statement_body(*body)
    check_batch(
        document,
        len(body[1]),
        max_batch=settings.xapi_max_batch,
        max_statement_bytes=settings.xapi_max_statement_bytes,
    )
    ids = receive_statements(
        db,
        document=document,
        attachments=parts,
        client=client,
        version=version,
        put_id=params.get("statementId") if put else None,
        launch=caller.launch,
        base_url=settings.base_url,
    )
    db.commit()
    return Response(status_code=204) if put else JSONResponse(ids)


def _read(db: Session, headers: Mapping[str, str], params: QueryParams) -> Response:
    negotiate_version(headers)
    caller = authenticate_caller(db, headers)
    require_scope(caller.client, READS["statements"])
    query, single = parse_query(params, client=caller.client)
    if caller.launch is not None:
        query = _launch_query(query, caller.launch.actor_ifi)
    languages = _languages(headers.get("accept-language", ""))
    more_url: str | None = None
    if single is not None:
        rows: Sequence[Stored] = [
            get_statement(db, statement_id=single[0], voided=single[1], mine=query.mine)
        ]
        if caller.launch is not None and rows[0].actor_ifi != caller.launch.actor_ifi:
            raise XapiError(404, f"statementId: no statement {single[0]}")
    else:
        rows, more = find_statements(db, query=query)
        more_url = f"/xapi/statements?more={more}" if more else ""
    through = consistent_through(db)
    out = {
        "X-Experience-API-Consistent-Through": iso(through),
        "Last-Modified": format_datetime(max((r.stored for r in rows), default=through), True),
    }
    content = _body(db, rows, query, languages, more_url)
    if query.attachments:
        content, media = multipart_mixed(content, attachments_for(db, rows=rows))
        return Response(content, media_type=media, headers=out)
    return Response(content, media_type="application/json", headers=out)


def _body(
    db: Session, rows: Sequence[Stored], query: StatementQuery, languages: list[str], more_url: str | None
) -> bytes:
    """The JSON answer: one statement (more_url None) or a StatementResult. The exact format is the
    statements as stored, so their stored JSON text is put in as it is rather than parsed and written
    again (most of a GET's time for a page of 100)."""
    if query.format == "exact":
        statements = [row.full for row in rows]
    else:
        statements = [
            json.dumps(s, ensure_ascii=False, separators=(",", ":"))
            for s in rendered(db, rows, query, languages)
        ]
    if more_url is None:
        return statements[0].encode()
    more = json.dumps(more_url, ensure_ascii=False)
    return f'{{"statements":[{",".join(statements)}],"more":{more}}}'.encode()


def _launch_query(query: StatementQuery, actor_ifi: str) -> StatementQuery:
    """Launched content reads only its learner's statements (lrs.launch_rules)."""
    if query.agent not in (None, actor_ifi):
        raise XapiError(403, "agent: launch credentials may only read the launched learner's statements")
    return replace(query, agent=actor_ifi, related_agents=False)


def _flag(params: QueryParams, name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise XapiError(400, f"{name}: must be true or false")
    return value == "true"


def _agent_ifi(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        ifi = ifi_of(json.loads(raw))
    except (ValueError, TypeError, AttributeError) as exc:
        raise XapiError(400, "agent: must be an Agent or identified Group as JSON") from exc
    if ifi is None:
        raise XapiError(400, "agent: needs an inverse functional identifier")
    return ifi


def _timestamp(params: QueryParams, name: str) -> str | None:
    raw = params.get(name)
    if raw is not None:
        try:
            parse_time(raw)
        except ValueError as exc:
            raise XapiError(400, f"{name}: must be an ISO 8601 timestamp") from exc
    return raw


def _limit(raw: str | None) -> int:
    if raw is None:
        return 0
    if not raw.isdigit():
        raise XapiError(400, "limit: must be a non-negative integer")
    return int(raw)


def parse_query(params: QueryParams, *, client: LrsClient) -> tuple[StatementQuery, tuple[str, bool] | None]:
    """The query's filters, and for a single-statement GET its id and whether it asks for a voided one.
    An unknown parameter, or a filter beside statementId, is a 400 (Part 3, 2.1.3)."""
    if unknown := set(params) - _FILTERS - _FLAGS - _SINGLE - {"more"}:
        raise XapiError(400, f"{sorted(unknown)[0]}: not a parameter of the statements resource")
    # statements/read/mine reads only what this client stored (Part 4, 4.2), cursor or not.
    mine = None if any(s in client.scopes for s in _OWN_READS) else client.id
    if "more" in params:
        return replace(StatementQuery.from_cursor(params["more"]), mine=mine), None
    if params.get("format", "exact") not in ("ids", "exact", "canonical"):
        raise XapiError(400, "format: must be ids, exact or canonical")
    query = StatementQuery(
        agent=_agent_ifi(params.get("agent")),
        verb=params.get("verb"),
        activity=params.get("activity"),
        registration=params.get("registration"),
        since=_timestamp(params, "since"),
        until=_timestamp(params, "until"),
        limit=_limit(params.get("limit")),
        format=params.get("format", "exact"),
        **{flag: _flag(params, flag) for flag in _FLAGS},
        mine=mine,
    )
    singles = [name for name in _SINGLE if name in params]
    if not singles:
        return query, None
    if len(singles) > 1 or set(params) - _SINGLE - _SINGLE_EXTRAS:
        raise XapiError(400, f"{singles[0]}: cannot be combined with other filters")
    return query, (params[singles[0]], singles[0] == "voidedStatementId")


def _languages(accept: str) -> list[str]:
    """Accept-Language tags, most preferred first, for format=canonical."""
    weighted = []
    for item in accept.split(","):
        tag, _, q = item.strip().partition(";q=")
        if tag:
            weighted.append((float(q) if q.replace(".", "", 1).isdigit() else 1.0, tag))
    return [tag for _, tag in sorted(weighted, key=lambda pair: -pair[0])]


def rendered(db: Session, rows: Sequence[Stored], query: StatementQuery, languages: list[str]) -> list[Any]:
    documents = statement_documents(db, rows=rows, canonical=query.format == "canonical")
    return [formatted(document, format=query.format, languages=languages) for document in documents]
