"""API shapes for accounts."""

from __future__ import annotations

from pydantic import BaseModel


class MeOut(BaseModel):
    account_id: int
    email: str
    person_id: int | None
    name: str | None
    roles: list[str]
