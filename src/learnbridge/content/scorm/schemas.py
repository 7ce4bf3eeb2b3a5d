"""API shapes of the SCORM player: the package's table of contents with each SCO's standing, the data a
SCO's session starts from, and a commit (scorm-again's JSON rendering of the CMI data model)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class CommitIn(BaseModel):
    """What scorm-again posts to its lmsCommitUrl: `{"cmi": {...}}`, with SCORM 2004's `adl` data when
    the SCO used it. Other keys the runtime may add (shared data, commit metadata) are ignored."""

    model_config = ConfigDict(extra="ignore")

    cmi: dict[str, Any]
    adl: dict[str, Any] | None = None


class AttemptStanding(BaseModel):
    id: int
    status: str
    score: float | None
    progress: float
    seconds_spent: int
    finished: bool


class CommitOut(BaseModel):
    """`result` and `errorCode` are what scorm-again reads (true / 0: the commit was stored); the rest is
    what the player shows."""

    result: bool = True
    errorCode: int = 0
    recorded: bool
    completion_status: str
    success_status: str
    score: float | None
    attempt: AttemptStanding


class LaunchOut(BaseModel):
    """The CMI to load before the SCO calls Initialize, and the session id its commits carry."""

    cmi: dict[str, Any]
    session: str = Field(description="Sent back as ?session= on each commit of this session.")
    review: bool


class TocEntry(BaseModel):
    id: str
    title: str
    depth: int
    visible: bool
    type: str | None = None
    launch_url: str | None = None
    completion_status: str | None = None
    success_status: str | None = None
    score: float | None = None


class Control(BaseModel):
    choice: bool
    flow: bool
    forward_only: bool


class PlayerOut(BaseModel):
    kind: str
    title: str
    control: Control
    current: str
    items: list[TocEntry]
    attempt: AttemptStanding
