"""Skills pages: the frameworks for everyone, CSV import for L&D admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.deps import CsvFile, Db, FormFields
from learnbridge.core.errors import Invalid
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render, render_invalid
from learnbridge.skills import service
from learnbridge.skills.importer import import_skills_csv

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]


@router.get("/skills")
def frameworks(request: Request, db: Db, principal: CurrentPrincipal) -> Response:
    return render(request, "skills/index.html", {"frameworks": service.list_frameworks(db)})


@router.get("/admin/skills/import")
def import_form(request: Request, _: Admin) -> Response:
    return render(request, "skills/import.html", {})


@router.post("/admin/skills/import")
def import_upload(request: Request, db: Db, _: Admin, form: FormFields, file: CsvFile) -> Response:
    try:
        summary = import_skills_csv(db, text=file.text(), format=str(form.get("format", "simple")))
    except Invalid as exc:
        return render_invalid(request, db, "skills/import.html", exc)
    db.commit()
    return render(request, "skills/import.html", {"summary": summary})
