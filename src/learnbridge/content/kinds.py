"""What reading an uploaded file or form yields, whatever the kind: the kind, a title and the spec stored
on the new content version (`ContentVersion.spec`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from learnbridge.content.models import ContentKind


@dataclass(frozen=True)
class Parsed:
    kind: ContentKind
    title: str
    spec: dict[str, Any] = field(default_factory=dict)
