"""The organisation: people, the org-unit tree and job profiles."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from learnbridge.core.db import Base, UtcDateTime, path_string, utcnow
from learnbridge.core.text_keys import nfc, search_key


class OrgUnit(Base):
    """A node of the organisation tree. `path` is the materialised path of ids, e.g. "/1/4/9/",
    so a subtree is one indexed range query (see `subtree_bounds`)."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The unit's full name path as HR sends it ("Operations / Warehouse North"): its natural key.
    full_name: Mapped[str] = mapped_column(String(1000), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    path: Mapped[str] = mapped_column(path_string(1000), unique=True, default="")
    depth: Mapped[int] = mapped_column(Integer, default=0)

    parent: Mapped[OrgUnit | None] = relationship(remote_side="OrgUnit.id")

    def subtree_bounds(self) -> tuple[str, str]:
        """[low, high) so that `low <= path < high` selects this unit and everything below it.
        '0' is the character after '/', so "/1/4/" .. "/1/40" covers exactly the "/1/4/..." paths."""
        return self.path, self.path[:-1] + "0"


class JobProfile(Base):
    __tablename__ = "job_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")


def mbox_sha1sum(email: str | None) -> str | None:
    """xAPI's mbox_sha1sum of an address: hex SHA-1 of "mailto:" + the address in lower case."""
    if not email:
        return None
    # xAPI defines this identifier as SHA-1 (1.0.3 Part 2, 2.4.2.3): a published name, not a secret.
    return hashlib.sha1(f"mailto:{email.lower()}".encode(), usedforsecurity=False).hexdigest()


class Person(Base):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name folded for caseless search in any script (core.text_keys.search_key): what people are
    # found by. Kept by the people area with the name (the ORM below, the HR import set-based); casefolding
    # may lengthen a name (ß -> ss), hence three times its room.
    name_key: Mapped[str] = mapped_column(String(600), default="", server_default="")
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # xAPI's mbox_sha1sum of the e-mail address (hex SHA-1 of "mailto:" + the address in lower case):
    # how a statement that hides the address still names the person. Kept by people.service with email.
    mbox_sha1sum: Mapped[str | None] = mapped_column(String(40), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    job_profile_id: Mapped[int | None] = mapped_column(ForeignKey("job_profiles.id"), index=True)
    location: Mapped[str | None] = mapped_column(String(200), index=True)
    hire_date: Mapped[dt.date | None] = mapped_column(Date)
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    org_unit: Mapped[OrgUnit | None] = relationship()
    job_profile: Mapped[JobProfile | None] = relationship()
    manager: Mapped[Person | None] = relationship(remote_side="Person.id")

    @validates("name")
    def _keep_name_key(self, _: str, name: str) -> str:
        """Every ORM write of the name stores it in NFC and keeps its search key in step."""
        name = nfc(name)
        self.name_key = search_key(name)
        return name

    @validates("email")
    def _keep_mbox_sha1sum(self, _: str, email: str | None) -> str | None:
        """Every ORM write of the address keeps its SHA-1 in step (the HR import, set-based, does so too)."""
        self.mbox_sha1sum = mbox_sha1sum(email)
        return email


class PersonIdentifier(Base):
    """Another identifier xAPI may name the person by: an OpenID, or an account on another system
    (a foreign LMS, an authoring tool's cloud). `ifi` is in the LRS's comparable form (lrs.format.ifi_of):
    "openid:<uri>" or "account:<homePage>|<name>"; each names one person at most."""

    __tablename__ = "person_identifiers"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    ifi: Mapped[str] = mapped_column(String(2100), unique=True)

    @property
    def kind(self) -> str:
        """ "openid" or "account"."""
        return self.ifi.partition(":")[0]

    @property
    def openid(self) -> str | None:
        return self.ifi.removeprefix("openid:") if self.kind == "openid" else None

    @property
    def account(self) -> dict[str, str] | None:
        """{"homePage": ..., "name": ...} as xAPI writes it; a homePage is an IRI, which never holds "|"."""
        if self.kind != "account":
            return None
        home_page, _, name = self.ifi.removeprefix("account:").partition("|")
        return {"homePage": home_page, "name": name}
