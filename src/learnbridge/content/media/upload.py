"""What reading a video or document gives: the version's kind, title and spec, and the files its folder
in the content store holds (the upload itself and its captions), by name."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from learnbridge.content.kinds import Parsed
from learnbridge.content.models import ContentKind


@dataclass(frozen=True)
class MediaUpload:
    kind: ContentKind
    title: str
    spec: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    def parsed(self) -> Parsed:
        return Parsed(self.kind, self.title, self.spec)


def title_from(filename: str, fallback: str) -> str:
    """A title from an uploaded file's name ("forklift-check.webm" -> "forklift check")."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ").replace("-", " ").strip()
    return (stem or fallback)[:300]
