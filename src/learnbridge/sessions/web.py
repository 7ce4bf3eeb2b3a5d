"""HTML pages (filled in by the area's work)."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from learnbridge.core.security import csrf_protect

router = APIRouter(dependencies=[Depends(csrf_protect)], include_in_schema=False)
