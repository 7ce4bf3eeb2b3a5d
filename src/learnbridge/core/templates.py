"""Jinja2 templates with the context every page needs (who is signed in, their roles, CSRF token)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session
from starlette.responses import HTMLResponse

from learnbridge.core.errors import Invalid
from learnbridge.core.security import csrf_token

ROLE_NAMES = {"learner": "learner", "manager": "manager", "ld_admin": "L&D admin", "auditor": "auditor"}
TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


def make_templates(*, reload: bool = False) -> Jinja2Templates:
    """The page templates. Without `reload`, each is compiled once per process: Jinja would otherwise
    look at the file's time on every use, and a page that includes a partial per row looks hundreds of
    times (`learnbridge serve --reload` turns it on, for editing templates)."""
    templates = Jinja2Templates(directory=str(TEMPLATE_DIR))
    templates.env.auto_reload = reload
    templates.env.globals["csrf_token"] = csrf_token
    # Roles as people say them (the footer, role lists): never the code's "ld_admin".
    templates.env.globals["role_names"] = ROLE_NAMES
    templates.env.filters["label"] = lambda value: str(value).replace("_", " ").capitalize()
    return templates


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page or an htmx fragment with the signed-in account and its roles in context."""
    templates: Jinja2Templates = request.app.state.templates
    data: dict[str, Any] = {
        "user": getattr(request.state, "account", None),
        "roles": getattr(request.state, "roles", frozenset()),
    }
    data.update(context or {})
    return templates.TemplateResponse(request, name, data, status_code=status_code)


def render_invalid(request: Request, db: Session, name: str, error: Invalid) -> HTMLResponse:
    """Show a form again after an all-or-nothing write failed: roll back, list every problem, 422."""
    db.rollback()
    return render(request, name, {"error": error, "errors": error.errors}, status_code=422)
