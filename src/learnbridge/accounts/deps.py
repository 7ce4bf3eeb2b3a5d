"""Who is asking: a bearer token (API) or the signed session cookie (browser)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from learnbridge.accounts import service
from learnbridge.accounts.policy import Principal, Role, principal_for
from learnbridge.core.db import begin_write
from learnbridge.core.deps import Db
from learnbridge.core.errors import Forbidden, Unauthorized
from learnbridge.core.security import csrf_protect


async def optional_principal(request: Request, db: Db) -> Principal | None:
    """The signed-in principal or None; remembered on request.state for templates."""
    account = None
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        token = auth[7:].strip()
        account = service.account_for_token(db, token=token)
        if account is None:
            raise Unauthorized("The bearer token is unknown or revoked.")
        # Recording the use writes after the reads above: on SQLite that upgrade fails at once if any
        # other connection committed meanwhile, so it gets a write transaction of its own (begin_write).
        # The UPDATE took SQLite's write lock before too, even when it changed nothing.
        begin_write(db)
        service.mark_token_used(db, token=token)
        db.commit()
    elif session_token := request.session.get("sid"):
        account = service.account_for_session(db, token=str(session_token))
        if account is not None and request.url.path.startswith("/api/"):
            # A browser calling the API with its cookie must prove the request came from our pages.
            await csrf_protect(request)
    if account is None:
        return None
    principal = principal_for(db, account)
    request.state.account = account
    request.state.roles = principal.roles
    return principal


async def current_principal(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise Unauthorized("Sign in first.")
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
