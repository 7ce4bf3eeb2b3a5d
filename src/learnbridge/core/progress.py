"""How long-running services report progress: progress(stage, done, total), total 0 if unknown."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    return None
