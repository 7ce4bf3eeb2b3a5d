"""What reading a video or document upload gives: the version's kind, title and spec, and the files to
write to its folder in the content store (`MediaUpload.store` writes them, all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from learnbridge.content.models import ContentKind
from learnbridge.content.storage import ContentStore


@dataclass(frozen=True)
class MediaUpload:
    kind: ContentKind
    title: str
    spec: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.files.values())

    def store(self, store: ContentStore) -> str:
        """Write the files into a new folder of the store; its key ("" when there are no files)."""
        if not self.files:
            return ""
        with store.writing() as (key, folder):
            for name, data in self.files.items():
                (folder / name).write_bytes(data)
        return key


def title_from(filename: str, fallback: str) -> str:
    """A title from an uploaded file's name ("forklift-check.webm" -> "forklift check")."""
    stem = filename.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ").replace("-", " ").strip()
    return (stem or fallback)[:300]
