"""The Pydantic models a route's form is parsed into, read from its dependencies (core.deps.form_of)."""

from __future__ import annotations

import inspect

from fastapi.dependencies.models import Dependant
from pydantic import BaseModel

from learnbridge.core.deps import form_of

_PARSER = form_of(BaseModel).__qualname__


def form_models(dependant: Dependant) -> list[type[BaseModel]]:
    """Every model a `form_of` dependency of this route (or of its dependencies) parses."""
    found: list[type[BaseModel]] = []
    for dependency in dependant.dependencies:
        call = dependency.call
        if call is not None and getattr(call, "__qualname__", "") == _PARSER:
            model = inspect.getclosurevars(call).nonlocals["model"]
            assert isinstance(model, type) and issubclass(model, BaseModel)
            found.append(model)
        found += form_models(dependency)
    return found
