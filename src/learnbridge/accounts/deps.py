"""Who is asking: a bearer token (API) or the signed session cookie (browser)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from learnbridge.accounts import service
from learnbridge.accounts.policy import Principal, Role, principal_for
from learnbridge.core.db import write_after_reads, write_briefly, write_from_next_transaction
from learnbridge.core.deps import Db
from learnbridge.core.errors import Forbidden, Unauthorized
from learnbridge.core.security import SAFE_METHODS, csrf_protect


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in, as pages show it (the nav, the inbox badge). A copy, not the ORM account: an
    error page is rendered after the request's session closed, when a rolled-back account can no
    longer load its attributes."""

    id: int
    email: str
    person_id: int | None


def optional_principal(request: Request, db: Db) -> Principal | None:
    """The signed-in principal or None; remembered on request.state for templates. A plain `def`:
    FastAPI runs it in the threadpool, so its database calls never block the event loop (a blocked loop
    cannot hand connections back, and concurrent requests then starve the pool)."""
    account = None
    request.state.cookie_auth = False
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        token = auth[7:].strip()
        row = service.live_token(db, token=token)
        if row is None:
            raise Unauthorized("The bearer token is unknown or revoked.")
        account = row.account
        if service.use_unrecorded(row):
            # A stamp, not the request's work: in a short transaction of its own that gives up rather than
            # wait for a busy writer, so a read never needs (or waits for) the write lock.
            write_briefly(db, lambda: service.mark_token_used(db, token=token))
    elif session_token := request.session.get("sid"):
        account = service.account_for_session(db, token=str(session_token))
        request.state.cookie_auth = account is not None
    principal = principal_for(db, account) if account is not None else None
    if account is not None and principal is not None:
        request.state.account = SignedIn(id=account.id, email=account.email, person_id=account.person_id)
        request.state.roles = principal.roles
    # End the read-only transaction: the connection goes back to the pool while the request waits for a
    # worker thread for its route. Held across that wait, a burst of requests could hold every connection
    # while every worker waits for one (loaded objects stay usable: expire_on_commit=False).
    db.commit()
    if request.method not in SAFE_METHODS:
        write_from_next_transaction(db)
    return principal


async def current_principal(
    request: Request, principal: Annotated[Principal | None, Depends(optional_principal)]
) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in first.")
    if request.state.cookie_auth and request.url.path.startswith("/api/"):
        # A browser calling the API with its cookie must prove the request came from our pages.
        await csrf_protect(request)
    return principal


def require_role(*roles: Role) -> object:
    """A dependency that lets through only principals holding one of these roles."""

    async def check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.roles & set(roles):
            names = " or ".join(role.value for role in roles)
            raise Forbidden(f"This needs the {names} role.")
        return principal

    return Depends(check)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


async def write_db(db: Db, _: Annotated[Principal | None, Depends(optional_principal)]) -> Session:
    """The request's session for a route that writes whatever it reads first (a GET that records, a
    sign-in, a booking). Resolved after authentication, whose reads are committed: the route's transaction
    then holds SQLite's write lock from its first statement (core.db.write_after_reads), so it waits its
    turn instead of failing when another writer committed between its read and its write. Usually nothing
    was read since, and marking the next transaction is no I/O: only a commit goes to the threadpool."""
    if db.in_transaction():
        await run_in_threadpool(write_after_reads, db)
    else:
        write_from_next_transaction(db)
    return db


WriteDb = Annotated[Session, Depends(write_db)]
