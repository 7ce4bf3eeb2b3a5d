"""What the home page shows to whom."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, Role
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.catalog.service import ItemFilter, count_items_by_status, find_items
from learnbridge.people.models import Person
from learnbridge.people.service import count_people, direct_reports
from learnbridge.skills.models import JobProfileSkill
from learnbridge.skills.service import count_skills, profile_requirements


@dataclass
class Home:
    person: Person | None = None
    requirements: list[JobProfileSkill] = field(default_factory=list)
    new_items: list[LearningItem] = field(default_factory=list)
    reports: list[Person] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def home_for(db: Session, *, principal: Principal) -> Home:
    """A learner's profile and role requirements; a manager's direct reports; admin counts."""
    home = Home(person=principal.account.person)
    if home.person is not None and home.person.job_profile_id is not None:
        home.requirements = profile_requirements(db, job_profile_id=home.person.job_profile_id)
    home.new_items = find_items(db, filters=ItemFilter(), limit=6).items
    if principal.has(Role.manager) and principal.person_id is not None:
        home.reports = direct_reports(db, manager_id=principal.person_id)
    if principal.reads_everything:
        home.counts = _counts(db)
    return home


def _counts(db: Session) -> dict[str, int]:
    by_status = count_items_by_status(db)
    return {
        "Active people": count_people(db, active_only=True),
        "Published items": by_status.get(ItemStatus.published.value, 0),
        "Draft items": by_status.get(ItemStatus.draft.value, 0),
        "Skills": count_skills(db),
    }
