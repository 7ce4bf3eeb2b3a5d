"""JSON endpoints under /api/v1 (filled in by the area's work)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
