"""Pages read forms one way: a Pydantic model through core.deps.form_of (or the raw FormFields where the
field names are not fixed). FastAPI's `Form()` parameters must not come back, and every form model a
route parses bounds its input: each string has a max_length, each id is core.ids.Id."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import annotated_types
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from learnbridge.app import create_app
from learnbridge.core.ids import MAX_ID, Id
from learnbridge.core.settings import Settings
from tests.helpers.forms import form_models

SRC = Path(__file__).resolve().parents[2] / "src" / "learnbridge"


def _form_uses(tree: ast.Module) -> Iterator[int]:
    """Lines that import FastAPI's Form or call a `Form(...)` / `x.Form(...)`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("fastapi"):
            if any(alias.name == "Form" for alias in node.names):
                yield node.lineno
        elif isinstance(node, ast.Call):
            func = node.func
            if (isinstance(func, ast.Name) and func.id == "Form") or (
                isinstance(func, ast.Attribute) and func.attr == "Form"
            ):
                yield node.lineno


def test_no_module_uses_fastapis_form_parameters() -> None:
    modules = sorted(SRC.rglob("*.py"))
    assert len(modules) > 100
    found = [
        f"{path.relative_to(SRC)}:{line}"
        for path in modules
        for line in _form_uses(ast.parse(path.read_text(), str(path)))
    ]
    assert found == [], "read the form with core.deps.form_of(Model) instead"


def test_the_check_sees_a_form_parameter() -> None:
    source = "from fastapi import Form\ndef f(x: Annotated[str, fastapi.Form()]): ..."
    assert list(_form_uses(ast.parse(source))) == [1, 2]


def _route_form_models(tmp_path: Path) -> dict[str, type[BaseModel]]:
    settings = Settings(database_url=f"sqlite:///{tmp_path}/unused.db", secret_key="forms", var_dir=tmp_path)
    app = create_app(settings)  # the database is only opened by the lifespan, which never runs here
    return {
        model.__name__: model
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for model in form_models(context.original_route.dependant)
    }


def _unbounded(name: str, field: FieldInfo) -> str | None:
    if field.annotation is str and not any(isinstance(m, annotated_types.MaxLen) for m in field.metadata):
        return f"{name}: a string without max_length"
    if field.annotation is int and name.endswith("_id"):
        bounds = {getattr(m, attr, None) for m in field.metadata for attr in ("ge", "le")}
        if not {1, MAX_ID} <= bounds:
            return f"{name}: an id that is not core.ids.Id"
    return None


class _Loose(BaseModel):
    note: str
    short: Annotated[str, Field(max_length=3)]
    item_id: int
    skill_id: Id
    goal_id: Annotated[int, Field(ge=1)]


def test_the_check_sees_an_unbounded_string_or_id() -> None:
    found = [_unbounded(name, field) for name, field in _Loose.model_fields.items()]
    assert found == [
        "note: a string without max_length",
        None,
        "item_id: an id that is not core.ids.Id",
        None,
        "goal_id: an id that is not core.ids.Id",
    ]


def test_every_route_form_model_bounds_its_strings_and_ids(tmp_path: Path) -> None:
    models = _route_form_models(tmp_path)
    assert {"LoginForm", "DecisionForm", "DueForm", "FeedbackForm"} <= set(models)
    problems = [
        f"{model_name}.{problem}"
        for model_name, model in sorted(models.items())
        for name, field in model.model_fields.items()
        if (problem := _unbounded(name, field))
    ]
    assert problems == []
