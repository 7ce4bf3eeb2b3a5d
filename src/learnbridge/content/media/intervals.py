"""Watched time as merged intervals of the media timeline: what the player saw played, not where its
playhead got to, so seeking to the end does not count as watching, and watching a part twice counts once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Interval = tuple[float, float]

# Gaps shorter than this between two played stretches are closed: the player reports whole seconds and
# its time updates arrive every quarter second or so, so consecutive reports touch but need not overlap.
JOIN = 0.5


def merge(intervals: Iterable[Sequence[float]], *, duration: float | None = None) -> list[Interval]:
    """The intervals sorted and merged, each clipped to [0, duration]; empty or reversed ones dropped."""
    clipped: list[Interval] = []
    for start, end in (tuple(pair)[:2] for pair in intervals):
        low = max(0.0, float(start))
        high = float(end) if duration is None else min(float(end), duration)
        if high > low:
            clipped.append((low, high))
    merged: list[Interval] = []
    for low, high in sorted(clipped):
        if merged and low <= merged[-1][1] + JOIN:
            merged[-1] = (merged[-1][0], max(merged[-1][1], high))
        else:
            merged.append((low, high))
    return merged


def total(intervals: Iterable[Interval]) -> float:
    """Seconds covered by merged intervals."""
    return sum(high - low for low, high in intervals)


def share(intervals: Iterable[Interval], duration: float) -> float:
    """The share (0..1) of the timeline covered by merged intervals."""
    if duration <= 0:
        return 0.0
    return min(1.0, total(intervals) / duration)
