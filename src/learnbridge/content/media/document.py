"""Document content: a PDF, shown in the browser with PDF.js; reading it to its last page, or saying it
was read ("Mark as read"), completes the attempt.

An upload is known as a PDF by its first bytes (`%PDF-`, ISO 32000-1, 7.5.2), never by its name. Its
pages are counted at upload where the file lists its page objects plainly (`/Type /Page`); a PDF that
keeps them in compressed object streams is counted by the viewer instead, which reports the count it
read with the page. The server never renders or parses the document beyond that count."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from learnbridge.content import service
from learnbridge.content.media.upload import MediaUpload, title_from
from learnbridge.content.models import Attempt, AttemptStatus, ContentKind
from learnbridge.core.errors import Conflict, Invalid
from learnbridge.records.completions import CompletionChange

FILE = "document.pdf"
MAX_PAGES = 10_000
_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def is_pdf(data: bytes) -> bool:
    return data.startswith(b"%PDF-")


def count_pages(data: bytes) -> int | None:
    """The number of page objects the file lists plainly, or None where it hides them (see above)."""
    found = len(_PAGE_OBJECT.findall(data))
    return found or None


def read_pdf_upload(data: bytes, *, filename: str, title: str = "") -> MediaUpload:
    """A PDF upload checked by its magic bytes."""
    if not is_pdf(data):
        raise Invalid(field="file", message="not a PDF document (it does not start with %PDF-)")
    if b"%%EOF" not in data[-2048:]:
        raise Invalid(field="file", message="the PDF document is cut short (no %%EOF at its end)")
    spec: dict[str, Any] = {"file": FILE, "pages": count_pages(data)}
    return MediaUpload(
        ContentKind.document, title.strip()[:300] or title_from(filename, "Document"), spec, {FILE: data}
    )


@dataclass(frozen=True)
class Read:
    furthest: int
    pages: int
    change: CompletionChange


def record_reading(db: Session, attempt: Attempt, *, page: int, pages: int, seconds: int) -> Read:
    """The viewer is on `page` of `pages`: keep the furthest page reached and the page to resume on;
    reaching the last page completes the attempt."""
    known = int(attempt.version.spec.get("pages") or 0) or int(attempt.data.get("pages") or 0) or pages
    known = max(1, min(known, MAX_PAGES))
    page = max(1, min(page, known))
    furthest = max(int(attempt.data.get("furthest") or 0), page)
    service.record_progress(
        attempt,
        progress=furthest / known,
        location=str(page),
        seconds=seconds,
        data={"furthest": furthest, "pages": known},
    )
    change = CompletionChange()
    if furthest >= known:
        change = service.finish_attempt(db, attempt, status=AttemptStatus.completed)
    return Read(furthest, known, change)


def mark_read(db: Session, attempt: Attempt) -> CompletionChange:
    """The learner says they read the document: the attempt is completed."""
    if attempt.version.kind != ContentKind.document.value:
        raise Conflict("Only a document can be marked as read.")
    return service.finish_attempt(db, attempt, status=AttemptStatus.completed)
