"""The CMI data model as the browser's runtime (scorm-again) sends it: reading status, score and time
out of a commit, and preparing the data a SCO's next session starts from. Pure functions, no database.

The commit is scorm-again's JSON rendering, values as strings: SCORM 1.2 under `cmi.core.*` (lesson_status,
score.raw/min/max, lesson_location, exit, session_time), SCORM 2004 at `cmi.*` (completion_status,
success_status, score.scaled, progress_measure, location, exit, session_time). Anything the SCO sent that
is not a string where one is expected reads as not set: the data is the learner's own, but never trusted
to be well-formed."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

ISO_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:\.\d+)?)Y)?(?:(?P<mo>\d+(?:\.\d+)?)M)?(?:(?P<d>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?(?:(?P<mi>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
TIMESPAN_12 = re.compile(r"^(?P<h>\d{2,4}):(?P<m>\d{2}):(?P<s>\d{2}(?:\.\d{1,2})?)$")
# A session longer than this is a clock gone wrong, not a learner: it is cut to this.
MAX_SESSION_SECONDS = 24 * 3600
DONE_12 = frozenset({"completed", "passed", "failed"})


def text(data: Any, *path: str) -> str:
    """The string at `path` in nested dicts, or "" when any step is missing or not what it should be."""
    for key in path:
        if not isinstance(data, dict):
            return ""
        data = data.get(key)
    return data.strip() if isinstance(data, str) else ""


def number(value: str) -> float | None:
    try:
        result = float(value)
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def seconds_of(value: str, *, scorm12: bool) -> float:
    """A SCORM time span in seconds: 1.2's CMITimespan (HHHH:MM:SS.SS), 2004's ISO 8601 duration (a year
    counted as 365 days and a month as 30, as the RTE's examples do). 0 for anything unreadable."""
    if scorm12:
        match = TIMESPAN_12.match(value)
        if match is None:
            return 0.0
        return int(match["h"]) * 3600 + int(match["m"]) * 60 + float(match["s"])
    match = ISO_DURATION.match(value)
    if match is None or value in ("P", "PT") or value.endswith("T"):
        return 0.0
    units = {"y": 365 * 86400, "mo": 30 * 86400, "d": 86400, "h": 3600, "mi": 60, "s": 1}
    return sum(float(match[key] or 0) * factor for key, factor in units.items())


def timespan(seconds: float, *, scorm12: bool) -> str:
    """`seconds` as the version's time span: 1.2 HHHH:MM:SS.SS, 2004 PT#H#M#S."""
    centis = round(max(seconds, 0.0) * 100)
    hours, rest = divmod(centis, 360000)
    minutes, rest = divmod(rest, 6000)
    secs = rest / 100
    if scorm12:
        return f"{min(hours, 9999):04d}:{minutes:02d}:{secs:05.2f}"
    return f"PT{hours}H{minutes}M{secs:g}S"


@dataclass(frozen=True)
class Status:
    """One SCO's standing, read from its CMI with the LMS's rules applied."""

    completion: str  # completed | incomplete | not attempted | unknown
    success: str  # passed | failed | unknown
    score: float | None  # scaled, -1..1
    progress: float | None = None

    @property
    def done(self) -> bool:
        return self.completion == "completed" or self.success in ("passed", "failed")

    @property
    def outcome(self) -> str:
        """What the SCO's part of the attempt ended as: passed, failed or completed."""
        if self.success in ("passed", "failed"):
            return self.success
        return "completed"


def _scaled(raw: float | None, low: float | None, high: float | None) -> float | None:
    """A raw score scaled to -1..1 by its range (0..100 when the SCO gives none, as 1.2's RTE assumes)."""
    if raw is None:
        return None
    low = 0.0 if low is None else low
    high = 100.0 if high is None else high
    if high <= low:
        return None
    return max(-1.0, min(1.0, (raw - low) / (high - low)))


def status_12(cmi: dict[str, Any], *, mastery_score: float | None) -> Status:
    """SCORM 1.2 (RTE 3.4.4): lesson_status as the SCO set it, except that with a mastery score from the
    manifest, a SCO that says it is done and set a raw score is passed at or above it and failed below."""
    lesson = text(cmi, "core", "lesson_status") or "not attempted"
    raw = number(text(cmi, "core", "score", "raw"))
    credit = text(cmi, "core", "credit") != "no-credit"
    if mastery_score is not None and raw is not None and credit and lesson in DONE_12:
        lesson = "passed" if raw >= mastery_score else "failed"
    score = _scaled(raw, number(text(cmi, "core", "score", "min")), number(text(cmi, "core", "score", "max")))
    completion = {"browsed": "incomplete"}.get(lesson, lesson)
    if lesson in DONE_12:
        completion = "completed"
    success = lesson if lesson in ("passed", "failed") else "unknown"
    return Status(completion=completion, success=success, score=score)


def status_2004(
    cmi: dict[str, Any], *, scaled_passing_score: float | None, completion_threshold: float | None
) -> Status:
    """SCORM 2004 (RTE 4.2.4.1 and 4.2.22.1): with a completion threshold and a progress measure, the
    LMS decides completed or incomplete; with a scaled passing score and a scaled score, passed or failed.
    Otherwise the SCO's own completion_status and success_status stand."""
    completion = text(cmi, "completion_status") or "unknown"
    success = text(cmi, "success_status") or "unknown"
    progress = number(text(cmi, "progress_measure"))
    scaled = number(text(cmi, "score", "scaled"))
    if completion_threshold is not None and progress is not None:
        completion = "completed" if progress >= completion_threshold else "incomplete"
    if scaled_passing_score is not None and scaled is not None:
        success = "passed" if scaled >= scaled_passing_score else "failed"
    if scaled is None and text(cmi, "score", "max"):
        scaled = _scaled(
            number(text(cmi, "score", "raw")),
            number(text(cmi, "score", "min")),
            number(text(cmi, "score", "max")),
        )
    if progress is None and completion == "completed":
        progress = 1.0
    return Status(
        completion=completion,
        success=success,
        score=None if scaled is None else max(-1.0, min(1.0, scaled)),
        progress=None if progress is None else max(0.0, min(1.0, progress)),
    )


def status_of(cmi: dict[str, Any], sco: dict[str, Any], *, scorm12: bool) -> Status:
    if scorm12:
        return status_12(cmi, mastery_score=sco.get("mastery_score"))
    return status_2004(
        cmi,
        scaled_passing_score=sco.get("scaled_passing_score"),
        completion_threshold=sco.get("completion_threshold"),
    )


def exit_of(cmi: dict[str, Any], *, scorm12: bool) -> str:
    return text(cmi, "core", "exit") if scorm12 else text(cmi, "exit")


def session_seconds(cmi: dict[str, Any], *, scorm12: bool) -> float:
    value = text(cmi, "core", "session_time") if scorm12 else text(cmi, "session_time")
    return min(seconds_of(value, scorm12=scorm12), MAX_SESSION_SECONDS)


def continues(cmi: dict[str, Any] | None, *, scorm12: bool) -> bool:
    """Whether a SCO's next session carries on with its stored data. SCORM 2004 (RTE 4.2.8): only after a
    suspend (or a logout); any other exit ends the learner's attempt on the SCO, and the next one starts
    afresh. SCORM 1.2 keeps the data whatever the exit (its entry says whether the SCO may resume)."""
    if not cmi:
        return False
    return scorm12 or exit_of(cmi, scorm12=False) in ("suspend", "logout")


@dataclass(frozen=True)
class Learner:
    id: str
    name: str


def for_launch(
    stored: dict[str, Any] | None,
    sco: dict[str, Any],
    *,
    scorm12: bool,
    learner: Learner,
    total_seconds: float,
    review: bool,
) -> dict[str, Any]:
    """The CMI a session of the SCO starts from (what the player hands to scorm-again's loadFromJSON):
    the stored data when the session continues it, with the LMS-owned elements set: entry (resume after
    a suspend, ab-initio the first time), total time, the learner, credit and mode, and the manifest's
    launch data, mastery score, time limit and thresholds. Write-only elements are never sent back."""
    keep = continues(stored, scorm12=scorm12)
    cmi: dict[str, Any] = dict(stored) if stored and keep else {}
    suspended = bool(stored) and exit_of(stored or {}, scorm12=scorm12) == "suspend"
    entry = "resume" if suspended else ("" if keep else "ab-initio")
    if scorm12:
        return _launch_12(cmi, sco, learner=learner, entry=entry, total=total_seconds, review=review)
    return _launch_2004(
        cmi, sco, learner=learner, entry=entry, total=total_seconds if keep else 0.0, review=review
    )


def _launch_12(
    cmi: dict[str, Any], sco: dict[str, Any], *, learner: Learner, entry: str, total: float, review: bool
) -> dict[str, Any]:
    core = dict(cmi.get("core") or {}) if isinstance(cmi.get("core"), dict) else {}
    core.pop("session_time", None)
    core.pop("exit", None)
    last, _, first = learner.name.rpartition(" ")
    core.update(
        student_id=learner.id,
        student_name=f"{first}, {last}" if last else learner.name,
        entry=entry,
        credit="no-credit" if review else "credit",
        lesson_mode="review" if review else "normal",
        total_time=timespan(total, scorm12=True),
    )
    core.setdefault("lesson_status", "not attempted")
    student_data = {
        key: value
        for key, value in (
            ("mastery_score", _plain(sco.get("mastery_score"))),
            ("max_time_allowed", sco.get("max_time_allowed", "")),
            ("time_limit_action", sco.get("time_limit_action", "")),
        )
        if value
    }
    return {**cmi, "core": core, "launch_data": sco.get("launch_data", ""), "student_data": student_data}


def _launch_2004(
    cmi: dict[str, Any], sco: dict[str, Any], *, learner: Learner, entry: str, total: float, review: bool
) -> dict[str, Any]:
    cmi = {key: value for key, value in cmi.items() if key not in ("session_time", "exit")}
    cmi.update(
        learner_id=learner.id,
        learner_name=learner.name,
        entry=entry,
        credit="no-credit" if review else "credit",
        mode="review" if review else "normal",
        total_time=timespan(total, scorm12=False),
        launch_data=sco.get("launch_data", ""),
        scaled_passing_score=_plain(sco.get("scaled_passing_score")),
        completion_threshold=_plain(sco.get("completion_threshold")),
        max_time_allowed=sco.get("max_time_allowed", ""),
        time_limit_action=sco.get("time_limit_action", "continue,no message"),
    )
    return {key: value for key, value in cmi.items() if value != "" or key in ("entry", "launch_data")}


def _plain(value: float | None) -> str:
    """A number as the CMI's string: 80 rather than 80.0."""
    return "" if value is None else f"{value:g}"
