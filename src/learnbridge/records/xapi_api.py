"""xAPI resources under /xapi (filled in by the LRS work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(prefix="/xapi", include_in_schema=False)
