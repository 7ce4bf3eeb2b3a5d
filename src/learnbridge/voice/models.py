"""Needs the workforce raises (a bottleneck, a learning need, an idea) and the votes on them."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from learnbridge.core.db import Base, UtcDateTime, utcnow


class NeedKind(enum.StrEnum):
    bottleneck = "bottleneck"
    learning_need = "learning_need"
    idea = "idea"


class NeedStatus(enum.StrEnum):
    new = "new"
    under_review = "under_review"
    planned = "planned"
    in_progress = "in_progress"
    delivered = "delivered"
    declined = "declined"
    merged = "merged"


# A need in one of these takes no more votes: its question is answered (or asked elsewhere).
CLOSED_TO_VOTES = frozenset({NeedStatus.declined, NeedStatus.merged})


class Need(Base):
    """What someone says stalls their work or what they need to learn. `votes` counts the rows of
    need_votes (kept in the same transaction as each vote), and `weekly_cost` is the bottleneck's estimated
    minutes lost a week (times a week x minutes each time x people affected; 0 when not estimated): the
    board ranks on both, so each has an index with the id."""

    __tablename__ = "needs"
    __table_args__ = (
        Index("ix_needs_votes", "votes", "id"),
        Index("ix_needs_weekly_cost", "weekly_cost", "id"),
        Index("ix_needs_created", "created_at", "id"),
        Index("ix_needs_org_unit", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=NeedStatus.new.value)
    raised_by_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    # Where it happens (and, for a private need, whose it is: that unit's people and those below).
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    skill_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), index=True)
    private: Mapped[bool] = mapped_column(Boolean, default=False)
    # How often it happens (times a week), the minutes lost each time, and how many people it holds up.
    frequency: Mapped[int | None] = mapped_column(Integer)
    minutes_lost: Mapped[int | None] = mapped_column(Integer)
    people_affected: Mapped[int | None] = mapped_column(Integer)
    weekly_cost: Mapped[int] = mapped_column(BigInteger, default=0)
    votes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    # Set when merged: the need that carries on (with every vote of this one).
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("needs.id"))


class NeedVote(Base):
    """One person's vote on one need: the key makes a second vote (a double click, two tabs) a no-op."""

    __tablename__ = "need_votes"

    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)
    voted_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)


class NeedDecision(Base):
    """One triage decision, shown on the need: from which status to which, by whom, and the public reason."""

    __tablename__ = "need_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    need_id: Mapped[int] = mapped_column(ForeignKey("needs.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(255))
    status_from: Mapped[str] = mapped_column(String(20))
    status_to: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
