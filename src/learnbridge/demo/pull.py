"""The demo's pull side: sessions over the next eight weeks (some nearly full, one full, one needing a
manager's approval) with people booked through the booking service, development plans (Lee Carter's among
them), and self and manager skill ratings."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnbridge.catalog.models import LearningItem
from learnbridge.core.db import utcnow
from learnbridge.core.progress import Progress, no_progress
from learnbridge.people.models import Person
from learnbridge.pull.plans import add_checkin, add_goal, add_plan_item, create_plan
from learnbridge.pull.recommend.signals import refresh_popularity
from learnbridge.pull.schemas import ConversationIn
from learnbridge.pull.sharing import share_plan
from learnbridge.records.models import Origin
from learnbridge.sessions.booking import book_seat
from learnbridge.sessions.models import ApprovalMode, SessionKind
from learnbridge.sessions.schemas import SessionIn
from learnbridge.sessions.service import create_session
from learnbridge.skills.models import Rater, Skill
from learnbridge.skills.service import rate_skill

ROTTERDAM = ("Europe/Amsterdam", "Rotterdam DC, training room 2")
ANTWERP = ("Europe/Brussels", "Antwerp DC, canteen annex")


@dataclass(frozen=True)
class SessionSpec:
    item: str
    kind: SessionKind
    week: int
    weekday: int
    hours: tuple[int, int]
    place: tuple[str, str]
    capacity: int
    booked: int
    approval: ApprovalMode = ApprovalMode.none
    meeting_url: str = ""
    title: str = ""


SESSIONS = [
    SessionSpec("Manual Handling", SessionKind.classroom, 1, 1, (9, 12), ROTTERDAM, 12, 10),
    # Full: the demo manager holds a seat, so a learner who books joins the waitlist.
    SessionSpec(
        "Coaching Conversations for Team Leaders", SessionKind.workshop, 2, 2, (13, 17), ROTTERDAM, 6, 6
    ),
    SessionSpec(
        "Giving Feedback that Lands",
        SessionKind.virtual,
        3,
        3,
        (10, 12),
        ("Europe/Amsterdam", ""),
        20,
        5,
        meeting_url="https://meet.northwind.example/feedback",
    ),
    SessionSpec(
        "First-Time Manager Programme",
        SessionKind.classroom,
        4,
        0,
        (9, 17),
        ROTTERDAM,
        10,
        3,
        approval=ApprovalMode.manager,
    ),
    SessionSpec("Fire Warden Training", SessionKind.classroom, 5, 1, (9, 13), ANTWERP, 8, 7),
    SessionSpec("Lean Warehouse Fundamentals", SessionKind.workshop, 6, 2, (13, 16), ROTTERDAM, 15, 4),
    SessionSpec(
        "Root Cause Problem Solving",
        SessionKind.focus_group,
        7,
        3,
        (14, 16),
        ANTWERP,
        10,
        2,
        title="Focus group: where do picking errors really come from?",
    ),
    SessionSpec("Emergency First Aid at Work", SessionKind.classroom, 8, 0, (9, 17), ANTWERP, 12, 11),
]

# Goals people in the demo set themselves, some for skills the catalogue barely teaches yet, so the
# offering gap has something to show: (title, skill idnumber, level, free text).
GOALS = [
    ("Lead my team's daily huddle", "LDR-COACH", 2, "Run the huddle and coach new starters through it."),
    ("Use AI tools safely in my job", "DIG-AI", 2, "Draft reports faster without leaking customer data."),
    ("Design systems that survive peak season", "DIG-ARCH", 3, "Review designs for resilience."),
    ("Own my team's budget", "COM-BUDGET", 3, "Build and defend next year's budget."),
    ("Become a confident presenter", "COM-PRESENT", 3, "Present at the quarterly business review."),
    ("Cut picking errors in my zone", "OPS-LEAN", 3, "Run a root-cause session with my shift."),
    ("Get certified on the forklift", "OPS-FORK", 3, "Drive reach trucks on the night shift."),
    ("Write SQL for my own reports", "DIG-SQL", 2, "Stop waiting for the data team."),
]


def load_pull(db: Session, *, rng: random.Random, progress: Progress = no_progress) -> dict[str, int]:
    """Upcoming sessions with bookings, development plans and skill ratings for the demo organisation."""
    people = list(db.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.id)))
    by_email = {p.email: p for p in people if p.email}
    lee, maria = by_email["learner@example.com"], by_email["manager@example.com"]
    skills = {s.idnumber: s for s in db.scalars(select(Skill))}
    sessions = _load_sessions(db, rng, people, maria, by_email["admin@example.com"], progress)
    plans = _load_plans(db, rng, people, lee, skills, progress)
    ratings = _load_ratings(db, rng, people, lee, maria, skills)
    refresh_popularity(db)
    return {"sessions": sessions, "plans": plans, "ratings": ratings}


def _item_ids(db: Session) -> dict[str, int]:
    return {title: item_id for item_id, title in db.execute(select(LearningItem.id, LearningItem.title))}


def _load_sessions(
    db: Session,
    rng: random.Random,
    people: list[Person],
    maria: Person,
    instructor: Person,
    progress: Progress,
) -> int:
    items = _item_ids(db)
    today = utcnow().date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    named = {p.email for p in people if p.email and p.email.endswith("@example.com")}
    pool = [p for p in people if p.email not in named]
    for n, spec in enumerate(SESSIONS):
        zone, location = spec.place
        day = monday + dt.timedelta(weeks=spec.week - 1, days=spec.weekday)
        start, end = (dt.datetime.combine(day, dt.time(hour)) for hour in spec.hours)
        session = create_session(
            db,
            data=SessionIn(
                item_id=items[spec.item],
                kind=spec.kind,
                title=spec.title,
                starts_at=start,
                ends_at=end,
                timezone=zone,
                location=location,
                meeting_url=spec.meeting_url,
                instructor_id=instructor.id if n % 2 == 0 else None,
                instructor_name="" if n % 2 == 0 else "Northwind Safety Partners",
                capacity=spec.capacity,
                booking_deadline=start - dt.timedelta(days=2),
                approval_mode=spec.approval,
            ),
        )
        attendees = rng.sample(pool, spec.booked)
        if spec.item == "Coaching Conversations for Team Leaders":
            attendees[0] = maria
        for person in attendees:
            book_seat(db, session_id=session.id, person_id=person.id, origin=rng.choice(list(Origin)[:3]))
        progress("sessions", n + 1, len(SESSIONS))
    return len(SESSIONS)


def _load_plans(
    db: Session,
    rng: random.Random,
    people: list[Person],
    lee: Person,
    skills: dict[str, Skill],
    progress: Progress,
) -> int:
    items = _item_ids(db)
    today = utcnow().date()
    plan = create_plan(
        db,
        person_id=lee.id,
        title="Growing towards team leader",
        period_start=today - dt.timedelta(days=30),
        period_end=today + dt.timedelta(days=335),
        aspirations="I want to lead a shift team within two years, starting with the daily huddle.",
        conversation=ConversationIn(
            held_on=today - dt.timedelta(days=30),
            note="Maria and Lee agreed to start with coaching and stock accuracy.",
        ),
    )
    coach = add_goal(
        db,
        plan_id=plan.id,
        title="Lead a team",
        skill_id=skills["LDR-COACH"].id,
        target_level=2,
        target_date=today + dt.timedelta(days=180),
        description="Run the daily huddle and coach new starters through their first weeks.",
    )
    stock = add_goal(
        db,
        plan_id=plan.id,
        title="Get our zone's stock counts right",
        skill_id=skills["OPS-INVENT"].id,
        target_level=3,
        target_date=today + dt.timedelta(days=120),
    )
    add_plan_item(db, plan_id=plan.id, item_id=items["The GROW Coaching Model"], goal_id=coach.id)
    add_plan_item(db, plan_id=plan.id, item_id=items["Cycle Counting and Stock Accuracy"], goal_id=stock.id)
    add_plan_item(
        db, plan_id=plan.id, activity="Shadow the night-shift team leader for a week", goal_id=coach.id
    )
    add_checkin(
        db, plan_id=plan.id, author_id=lee.id, progress=20, note="Read up on GROW; huddle next month."
    )
    share_plan(db, plan_id=plan.id, person_id=lee.id, shared=True)
    others = rng.sample([p for p in people if p.id != lee.id and p.manager_id], min(24, len(people) - 1))
    for n, person in enumerate(others):
        title, skill, level, text = GOALS[n % len(GOALS)]
        other = create_plan(
            db,
            person_id=person.id,
            title=f"My development {today.year}",
            period_start=today - dt.timedelta(days=rng.randint(0, 60)),
            period_end=today + dt.timedelta(days=300),
        )
        add_goal(
            db, plan_id=other.id, title=title, skill_id=skills[skill].id, target_level=level, description=text
        )
        if n % 3 == 0:
            share_plan(db, plan_id=other.id, person_id=person.id, shared=True)
        progress("plans", n + 2, len(others) + 1)
    return len(others) + 1


def _load_ratings(
    db: Session,
    rng: random.Random,
    people: list[Person],
    lee: Person,
    maria: Person,
    skills: dict[str, Skill],
) -> int:
    mine = {"OPS-PICK": 2, "OPS-INVENT": 1, "LDR-COACH": 1, "DIG-WMS": 1, "OPS-MANUAL": 2}
    for code, level in mine.items():
        rate_skill(
            db, person_id=lee.id, skill_id=skills[code].id, level=level, rater=Rater.self, rated_by_id=lee.id
        )
    for code, level in {"OPS-MANUAL": 2, "OPS-INVENT": 1, "OPS-PICK": 2}.items():
        rate_skill(
            db,
            person_id=lee.id,
            skill_id=skills[code].id,
            level=level,
            rater=Rater.manager,
            rated_by_id=maria.id,
        )
    count = len(mine) + 3
    for person in rng.sample(people, min(40, len(people))):
        if person.id == lee.id:
            continue
        skill = rng.choice(list(skills.values()))
        rate_skill(
            db, person_id=person.id, skill_id=skill.id, level=1, rater=Rater.self, rated_by_id=person.id
        )
        count += 1
    return count
