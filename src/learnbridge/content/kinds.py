"""What a kind's reader makes of an upload: the version's kind, title and spec (what the player needs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from learnbridge.content.models import ContentKind


@dataclass(frozen=True)
class Parsed:
    kind: ContentKind
    title: str
    spec: dict[str, Any] = field(default_factory=dict)
