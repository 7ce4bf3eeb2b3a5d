"""API shapes for the inbox."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class InboxMessageOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject: str
    body: str
    link: str = Field(description="A path inside the app, or empty")
    created_at: dt.datetime
    read_at: dt.datetime | None


class InboxPage(BaseModel):
    items: list[InboxMessageOut]
    next: str | None = Field(description="Pass as ?cursor= to get the next page; null on the last page")
    unread: int = Field(description="How many messages in the whole inbox are unread")
