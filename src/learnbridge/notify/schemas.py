"""API shapes for the inbox."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from learnbridge.core.paging import Page


class InboxMessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject: str
    body: str
    link: str = Field(description="A path inside the app, or empty")
    created_at: dt.datetime
    read_at: dt.datetime | None


class InboxPage(Page[InboxMessageOut]):
    unread: int = Field(description="How many messages in the whole inbox are unread")
