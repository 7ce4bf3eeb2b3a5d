"""API shapes shared by the areas that record where learning came from."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from learnbridge.records.models import Origin

# What a person may say led them to learning they take up themselves. `manager` and `requirement` are
# set by the platform (assignments), never claimed: they would skew the push/pull balance.
CHOSEN_ORIGINS = (Origin.self, Origin.recommendation, Origin.plan)


def chosen(origin: Origin) -> Origin:
    if origin not in CHOSEN_ORIGINS:
        names = ", ".join(o.value for o in CHOSEN_ORIGINS)
        raise ValueError(f"must be one of {names} (assigned learning records its origin itself)")
    return origin


ChosenOrigin = Annotated[Origin, AfterValidator(chosen)]
