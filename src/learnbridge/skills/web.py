"""Skills pages: each framework as a tree for everyone (a level at a time), the skill search behind
every skill picker, and CSV import for L&D admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from learnbridge.accounts.deps import CurrentPrincipal, require_role
from learnbridge.accounts.policy import Principal, Role
from learnbridge.core.deps import CsvFile, Db, FormFields
from learnbridge.core.errors import Invalid
from learnbridge.core.ids import Id
from learnbridge.core.security import csrf_protect
from learnbridge.core.templates import render, render_invalid
from learnbridge.skills import browse
from learnbridge.skills.importer import import_skills_csv

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
Admin = Annotated[Principal, require_role(Role.ld_admin)]
Cursor = Annotated[str | None, Query(max_length=500)]
Search = Annotated[str, Query(max_length=browse.MAX_QUERY)]


@router.get("/skills")
def frameworks(request: Request, db: Db, principal: CurrentPrincipal, cursor: Cursor = None) -> Response:
    """The frameworks, each with the first page of its top level."""
    page = browse.frameworks_page(db, cursor=cursor, limit=10)
    trees = {f.id: browse.tree_level(db, framework_id=f.id, parent_id=None) for f in page.items}
    counts = browse.skill_counts(db, [f.id for f in page.items])
    return render(request, "skills/index.html", {"page": page, "trees": trees, "counts": counts})


@router.get("/skills/frameworks/{framework_id}")
def framework_page(
    framework_id: Id,
    request: Request,
    db: Db,
    principal: CurrentPrincipal,
    q: Search = "",
    parent: Id | None = None,
    cursor: Cursor = None,
) -> Response:
    """One framework: the skills below `parent` (the top level without it), or those matching `q`."""
    framework = browse.get_framework(db, framework_id)
    context = {"framework": framework, "q": q.strip(), "parent_id": parent}
    if q.strip():
        context["found"] = browse.framework_skills(
            db, framework_id=framework_id, q=q, cursor=cursor, limit=50
        )
    else:
        context["path"] = browse.ancestors(db, framework_id=framework_id, skill_id=parent)
        context["nodes"] = browse.tree_level(db, framework_id=framework_id, parent_id=parent, cursor=cursor)
    return render(request, "skills/framework.html", context)


@router.get("/skills/frameworks/{framework_id}/tree")
def tree_fragment(
    framework_id: Id,
    request: Request,
    db: Db,
    principal: CurrentPrincipal,
    parent: Id | None = None,
    cursor: Cursor = None,
) -> Response:
    """The skills below `parent` as tree nodes (an HTMX fragment: a node's children, or the next page)."""
    nodes = browse.tree_level(db, framework_id=framework_id, parent_id=parent, cursor=cursor)
    context = {"nodes": nodes, "framework_id": framework_id, "parent_id": parent}
    return render(request, "skills/_nodes.html", context)


@router.get("/skills/options")
def skill_options(
    request: Request,
    db: Db,
    principal: CurrentPrincipal,
    q: Search = "",
    picker: Annotated[str, Query(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,59}$")] = "skill",
    limit: Annotated[int, Query(ge=1, le=browse.OPTIONS_LIMIT)] = browse.OPTIONS_LIMIT,
) -> Response:
    """The skills a picker offers for what was typed (an HTMX fragment: the options of a listbox)."""
    found = browse.search_skills(db, q=q, limit=limit)
    return render(request, "skills/_options.html", {"found": found, "picker": picker, "q": q.strip()})


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
