"""What people can do and must be able to do: frameworks, skills, levels, job-profile requirements
and self/manager ratings."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from learnbridge.core.db import Base, UtcDateTime, utcnow
from learnbridge.core.text_keys import nfc, search_key
from learnbridge.people.models import JobProfile, Person


class Framework(Base):
    __tablename__ = "skill_frameworks"

    id: Mapped[int] = mapped_column(primary_key=True)
    idnumber: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # The lowest level that counts as proficient (Moodle's scale configuration marks it); a level below
    # it never meets a requirement, whatever level the requirement names.
    proficient_level: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    levels: Mapped[list[ProficiencyLevel]] = relationship(
        order_by="ProficiencyLevel.level", cascade="all, delete-orphan"
    )
    skills: Mapped[list[Skill]] = relationship(back_populates="framework", order_by="Skill.name")

    def level_name(self, level: int) -> str:
        for item in self.levels:
            if item.level == level:
                return item.name
        return str(level)

    @property
    def max_level(self) -> int:
        return max((item.level for item in self.levels), default=0)

    def required_level(self, level: int) -> int:
        """The level a requirement at `level` really asks for: never below the proficient level."""
        return max(level, self.proficient_level)

    def meets(self, current: int, *, required: int) -> bool:
        """Whether someone at `current` meets a requirement at `required` (only a proficient level does)."""
        return current >= self.required_level(required)


class ProficiencyLevel(Base):
    """One step of a framework's scale: 1 is the lowest."""

    __tablename__ = "skill_levels"
    __table_args__ = (UniqueConstraint("framework_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("skill_frameworks.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))


class Skill(Base):
    __tablename__ = "skills"
    __table_args__ = (
        UniqueConstraint("framework_id", "idnumber"),
        # A framework's tree, one level at a time in name order (skills.browse pages it).
        Index("ix_skills_tree", "framework_id", "parent_id", "name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("skill_frameworks.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("skills.id"), index=True)
    idnumber: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200), index=True)
    # The name folded for caseless search in any script (core.text_keys.search_key), as people's
    # names are: what skill pickers find a skill by. Casefolding may lengthen a name: three times its room.
    name_key: Mapped[str] = mapped_column(String(600), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="skills")

    @validates("name")
    def _keep_name_key(self, _: str, name: str) -> str:
        """Every write of the name (the service and the importer both write through the ORM) stores it
        in NFC and keeps its search key in step."""
        name = nfc(name)
        self.name_key = search_key(name)
        return name


class JobProfileSkill(Base):
    """A job profile requires a skill at a level."""

    __tablename__ = "job_profile_skills"
    __table_args__ = (UniqueConstraint("job_profile_id", "skill_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_profile_id: Mapped[int] = mapped_column(ForeignKey("job_profiles.id", ondelete="CASCADE"), index=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(Integer)

    job_profile: Mapped[JobProfile] = relationship()
    skill: Mapped[Skill] = relationship()

    @property
    def required_level(self) -> int:
        """The level asked for, raised to the framework's proficient level where it names a lower one."""
        return self.skill.framework.required_level(self.level)


class Rater(enum.StrEnum):
    self = "self"
    manager = "manager"


class SkillRating(Base):
    """A person's current level in a skill, as they see it or as their manager does (the latest only)."""

    __tablename__ = "skill_ratings"
    __table_args__ = (UniqueConstraint("person_id", "skill_id", "rater"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), index=True)
    rater: Mapped[str] = mapped_column(String(10))
    level: Mapped[int] = mapped_column(Integer)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    rated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    skill: Mapped[Skill] = relationship()
