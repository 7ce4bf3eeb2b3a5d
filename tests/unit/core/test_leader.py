"""One process leads (core.leader): the lock is taken without waiting, held until released, and says who
holds it."""

from __future__ import annotations

import os
from pathlib import Path

from learnbridge.core.leader import Leadership


def test_one_holder_at_a_time_and_the_next_takes_over(tmp_path: Path) -> None:
    path = tmp_path / "var" / "job-runner.lock"
    first, second = Leadership(path), Leadership(path)
    assert first.hold() and first.held
    assert path.read_text() == f"{os.getpid()}\n"
    assert not second.hold() and not second.held  # refused at once, never waits
    assert first.hold()  # asking again while holding keeps it
    first.release()
    assert second.hold() and not first.hold()
    second.release()
    second.release()  # releasing twice is harmless
