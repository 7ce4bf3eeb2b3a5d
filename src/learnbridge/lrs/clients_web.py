"""The L&D admin page for LRS clients: the list, creating one (its secret shown on this one response
only, since only a digest is stored), switching whether it counts as evidence and whether its tools'
known deviations are accepted (compatibility), and revoking one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from learnbridge.accounts.deps import WriteDb, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.deps import AppSettings, Db, FormFields
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.settings import Settings
from learnbridge.core.templates import render
from learnbridge.lrs import clients

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]
PAGE = "lrs/clients.html"


def _page(db: Db, settings: Settings, **extra: Any) -> dict[str, Any]:
    return {
        "clients": clients.list_clients(db),
        "scopes": clients.SCOPES,
        "versions": clients.XAPI_VERSIONS,
        "endpoint": settings.base_url.rstrip("/") + "/xapi",
        "admin_scope": clients.ADMIN_SCOPE,
        "values": {
            "name": "",
            "scopes": clients.PACKAGE_SCOPES,
            "xapi_version": clients.XAPI_VERSIONS[0],
            "counts_as_evidence": False,
            "compatibility": False,
        },
        "errors": [],
        **extra,
    }


SAVED = {
    "revoked": "{name} is revoked: its credentials no longer work.",
    "trusted": "{name} now counts as evidence for mandatory training: its completed and passed statements "
    "from now on satisfy requirements.",
    "untrusted": "{name} no longer counts as evidence for mandatory training: what it sends from now on is "
    "recorded as learning done but satisfies no requirement.",
    "compatible": "{name} now has compatibility on: its statements from now on are accepted with the known "
    "deviations of popular tools, stored in conformant form.",
    "strict": "{name} is held to strict conformance: a statement from it that breaks the xAPI "
    "specification refuses its whole batch.",
}
# The toggle's only two values: anything else is refused rather than read as "off".
SWITCH = {"true": True, "false": False}


@router.get("/admin/lrs/clients")
def lrs_clients(
    request: Request, db: Db, settings: AppSettings, _: Admin, saved: str = "", client: Id | None = None
) -> Response:
    page = _page(db, settings)
    named = next((c.name for c in page["clients"] if c.id == client), "The client")
    message = SAVED[saved].format(name=named) if saved in SAVED else ""
    return render(request, PAGE, {**page, "saved": message})


@router.post("/admin/lrs/clients")
def create_lrs_client(
    request: Request, db: Db, settings: AppSettings, _: Admin, form: FormFields
) -> Response:
    name, scopes = str(form.get("name", "")), [str(s) for s in form.getlist("scopes")]
    version = str(form.get("xapi_version", clients.XAPI_VERSIONS[0]))
    evidence = form.get("counts_as_evidence") == "on"
    compatible = form.get("compatibility") == "on"
    try:
        client, secret = clients.create_client(
            db,
            name=name,
            home_page=settings.base_url,
            scopes=scopes,
            xapi_version=version,
            counts_as_evidence=evidence,
            compatibility=compatible,
        )
    except Invalid as exc:
        values = {
            "name": name,
            "scopes": scopes,
            "xapi_version": version,
            "counts_as_evidence": evidence,
            "compatibility": compatible,
        }
        return render(request, PAGE, _page(db, settings, values=values, errors=exc.errors), status_code=422)
    db.commit()
    return render(request, PAGE, _page(db, settings, created=client, secret=secret), status_code=201)


@router.post("/admin/lrs/clients/{client_id}/evidence")
def set_evidence(client_id: Id, db: Db, _: Admin, form: FormFields) -> Response:
    counts = form.get("counts_as_evidence") == "true"
    clients.set_counts_as_evidence(db, client_id=client_id, counts=counts)
    db.commit()
    said = "trusted" if counts else "untrusted"
    return RedirectResponse(f"/admin/lrs/clients?saved={said}&client={client_id}", status_code=303)


@router.post("/admin/lrs/clients/{client_id}/compatibility")
def set_compatibility(client_id: Id, db: WriteDb, _: Admin, form: FormFields) -> Response:
    chosen = str(form.get("compatibility", ""))
    if chosen not in SWITCH:
        raise Invalid(field="compatibility", message="must be true or false")
    clients.set_compatibility(db, client_id=client_id, compatible=SWITCH[chosen])
    db.commit()
    said = "compatible" if SWITCH[chosen] else "strict"
    return RedirectResponse(f"/admin/lrs/clients?saved={said}&client={client_id}", status_code=303)


@router.post("/admin/lrs/clients/{client_id}/revoke")
def revoke_lrs_client(client_id: Id, db: Db, _: Admin) -> Response:
    clients.revoke_client(db, client_id=client_id)
    db.commit()
    return RedirectResponse(f"/admin/lrs/clients?saved=revoked&client={client_id}", status_code=303)
