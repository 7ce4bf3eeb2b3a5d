"""The L&D admin page for LRS clients: the list, creating one (its secret shown on this one response
only, since only a digest is stored), and revoking one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.deps import Db, get_settings
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.settings import Settings
from learnbridge.core.templates import render
from learnbridge.records import xapi_clients

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]
AppSettings = Annotated[Settings, Depends(get_settings)]
PAGE = "records/lrs_clients.html"


async def _read_form(request: Request) -> FormData:
    # Read here, in the event loop, so the route itself can stay a plain `def`.
    return await request.form()


Form = Annotated[FormData, Depends(_read_form)]


def _page(db: Db, settings: Settings, **extra: Any) -> dict[str, Any]:
    return {
        "clients": xapi_clients.list_clients(db),
        "scopes": xapi_clients.SCOPES,
        "versions": xapi_clients.XAPI_VERSIONS,
        "endpoint": settings.base_url.rstrip("/") + "/xapi",
        "values": {"name": "", "scopes": ["all"], "xapi_version": xapi_clients.XAPI_VERSIONS[0]},
        "errors": [],
        **extra,
    }


@router.get("/admin/lrs/clients")
def lrs_clients(request: Request, db: Db, settings: AppSettings, _: Admin, saved: str = "") -> Response:
    return render(request, PAGE, _page(db, settings, saved=saved))


@router.post("/admin/lrs/clients")
def create_lrs_client(request: Request, db: Db, settings: AppSettings, _: Admin, form: Form) -> Response:
    name, scopes = str(form.get("name", "")), [str(s) for s in form.getlist("scopes")]
    version = str(form.get("xapi_version", xapi_clients.XAPI_VERSIONS[0]))
    try:
        client, secret = xapi_clients.create_client(
            db, name=name, home_page=settings.base_url, scopes=scopes, xapi_version=version
        )
    except Invalid as exc:
        values = {"name": name, "scopes": scopes, "xapi_version": version}
        return render(request, PAGE, _page(db, settings, values=values, errors=exc.errors), status_code=422)
    db.commit()
    return render(request, PAGE, _page(db, settings, created=client, secret=secret), status_code=201)


@router.post("/admin/lrs/clients/{client_id}/revoke")
def revoke_lrs_client(client_id: Id, db: Db, _: Admin) -> Response:
    xapi_clients.revoke_client(db, client_id=client_id)
    db.commit()
    return RedirectResponse("/admin/lrs/clients?saved=revoked", status_code=303)
