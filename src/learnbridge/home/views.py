"""What the home page shows to whom.

Naming: a `views` / `*_views` module only reads; it assembles what pages and endpoints show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from learnbridge.accounts.policy import Principal, Role
from learnbridge.catalog.models import ItemStatus, LearningItem
from learnbridge.catalog.service import ItemFilter, count_items_by_status, find_items
from learnbridge.people.models import Person
from learnbridge.people.service import count_people, direct_reports
from learnbridge.pull.plan_views import PlanProgress, plan_progress
from learnbridge.pull.plans import active_plan
from learnbridge.push.heatmap_views import status_counts
from learnbridge.push.models import COMPLIANT, AssignmentStatus
from learnbridge.push.obligation_views import Obligation, obligations_of, team_late_count
from learnbridge.records.models import Enrolment
from learnbridge.records.service import list_enrolments
from learnbridge.sessions.booking_views import BookingView, my_bookings
from learnbridge.sessions.models import BookingStatus
from learnbridge.skills.models import JobProfileSkill
from learnbridge.skills.service import count_skills, profile_requirements


@dataclass
class Home:
    person: Person | None = None
    requirements: list[JobProfileSkill] = field(default_factory=list)
    new_items: list[LearningItem] = field(default_factory=list)
    reports: list[Person] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    # What is required of the person (push), most urgent first, each with why.
    required: list[Obligation] = field(default_factory=list)
    # What the person chose (pull): their plan, coming sessions, items they enrolled in.
    plan: PlanProgress | None = None
    bookings: list[BookingView] = field(default_factory=list)
    enrolments: list[Enrolment] = field(default_factory=list)
    team_late: int = 0


def home_for(db: Session, *, principal: Principal, today: dt.date) -> Home:
    """A learner's obligations and what they chose, profile and role requirements; a manager's reports;
    admin counts."""
    home = Home(person=principal.account.person)
    if home.person is not None:
        home.required = obligations_of(db, person_id=home.person.id, today=today)
        _chosen(db, home, home.person.id)
    if home.person is not None and home.person.job_profile_id is not None:
        home.requirements = profile_requirements(db, job_profile_id=home.person.job_profile_id)
    home.new_items = find_items(db, filters=ItemFilter(), limit=6).items
    if principal.has(Role.manager) and principal.person_id is not None:
        home.reports = direct_reports(db, manager_id=principal.person_id)
        home.team_late = team_late_count(db, manager_id=principal.person_id, today=today)
    if principal.reads_everything:
        home.counts = _counts(db, today)
    return home


def _chosen(db: Session, home: Home, person_id: int) -> None:
    plan = active_plan(db, person_id=person_id)
    home.plan = plan_progress(db, plan) if plan is not None else None
    upcoming, _ = my_bookings(db, person_id=person_id, limit=20)
    active = (BookingStatus.booked, BookingStatus.waitlisted, BookingStatus.pending_approval)
    home.bookings = [view for view in upcoming if view.booking.status in active][:5]
    home.enrolments = list_enrolments(db, person_id=person_id, limit=5)


def _counts(db: Session, today: dt.date) -> dict[str, int]:
    by_status = count_items_by_status(db)
    states = status_counts(db, today=today)
    counted = sum(n for s, n in states.items() if s != AssignmentStatus.exempt)
    compliant = sum(states.get(s, 0) for s in COMPLIANT)
    return {
        "Compliance %": round(100 * compliant / counted) if counted else 100,
        "Overdue assignments": states.get(AssignmentStatus.overdue, 0)
        + states.get(AssignmentStatus.expired, 0),
        "Active people": count_people(db, active_only=True),
        "Published items": by_status.get(ItemStatus.published.value, 0),
        "Draft items": by_status.get(ItemStatus.draft.value, 0),
        "Skills": count_skills(db),
    }
