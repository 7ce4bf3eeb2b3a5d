"""Recommendations: what is ranked first and why, what is never recommended, how feedback changes it,
which sessions are offered."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from learnbridge.catalog.models import ItemStatus
from learnbridge.core.db import utcnow
from learnbridge.core.settings import Settings
from learnbridge.people.models import Person
from learnbridge.pull.jobs import POPULARITY, job_handlers
from learnbridge.pull.models import FeedbackAction
from learnbridge.pull.recommend.service import recommend, record_feedback
from learnbridge.pull.recommend.signals import refresh_popularity
from learnbridge.records.models import Origin
from learnbridge.records.service import enrol
from learnbridge.sessions.booking import book_seat
from learnbridge.sessions.models import Booking, LearningSession, SessionStatus
from learnbridge.skills.models import Rater, Skill
from learnbridge.skills.service import rate_skill, require_skill
from tests.factories import (
    make_completion,
    make_framework,
    make_goals,
    make_item,
    make_person,
    make_profile,
    make_requirement,
    make_session,
    make_skill,
)


def _coaching(db: Session) -> tuple[Person, Skill]:
    coaching = make_skill(db, make_framework(db, levels=("1", "2", "3", "4")), name="Coaching")
    person = make_person(db)
    make_goals(db, person=person, goals=[("Lead a team", coaching, 3)])
    return person, coaching


def _titles(db: Session, person: Person) -> list[str]:
    return [r.item.title for r in recommend(db, person_id=person.id)]


def test_skill_and_level_match_ranks_first_and_says_which_goal(db: Session) -> None:
    person, coaching = _coaching(db)
    make_item(db, title="Spreadsheet basics")
    make_item(db, title="Coaching too far", skills=[(coaching, 4)])
    make_item(db, title="Coaching conversations", skills=[(coaching, 3)])
    make_item(db, title="Draft coaching", skills=[(coaching, 3)], status=ItemStatus.draft)
    found = recommend(db, person_id=person.id)
    assert [r.item.title for r in found] == ["Coaching conversations", "Coaching too far"]
    assert found[0].reason == "Builds Coaching, new to you → 3, the goal 'Lead a team' in your plan"
    assert found[0].score > found[1].score and found[0].signals["skill"] > 0


def test_an_item_below_the_current_level_is_not_a_match(db: Session) -> None:
    person, coaching = _coaching(db)
    rate_skill(
        db, person_id=person.id, skill_id=coaching.id, level=2, rater=Rater.self, rated_by_id=person.id
    )
    make_item(db, title="Coaching intro", skills=[(coaching, 2)])
    make_item(db, title="Coaching advanced", skills=[(coaching, 3)])
    assert _titles(db, person) == ["Coaching advanced"]


def test_profile_gap_reason_names_profile_skill_level_and_current(db: Session) -> None:
    forklift = make_skill(db, make_framework(db), name="Forklift safety")
    profile = make_profile(db, "Warehouse Operative")
    require_skill(db, job_profile=profile, skill=forklift, level=2)
    person = make_person(db, job_profile_id=profile.id)
    rate_skill(
        db, person_id=person.id, skill_id=forklift.id, level=1, rater=Rater.self, rated_by_id=person.id
    )
    make_item(db, title="Forklift refresher", skills=[(forklift, 2)])
    (found,) = recommend(db, person_id=person.id)
    assert found.reason == "Builds Forklift safety, level 1 → 2, what your role as Warehouse Operative needs"


def test_text_of_the_goal_finds_items_by_full_text_search(db: Session) -> None:
    person = make_person(db)
    make_goals(
        db,
        person=person,
        goals=[("Lead a team", None, None)],
        descriptions={"Lead a team": "Hold better feedback conversations with my crew"},
    )
    make_item(db, title="Budget planning", objectives=["Plan a budget"])
    make_item(db, title="Talking with people", objectives=["Run feedback conversations that land"])
    (found,) = recommend(db, person_id=person.id)
    assert found.item.title == "Talking with people"
    # In plain words: the goal and the item's own objective, never a list of matched keywords.
    assert found.reason == "Fits your goal 'Lead a team' in your plan: Run feedback conversations that land"
    assert found.signals["text"] > 0


def test_completed_required_and_dismissed_items_are_never_recommended(db: Session) -> None:
    person, coaching = _coaching(db)
    done = make_item(db, title="Done", skills=[(coaching, 3)])
    required = make_item(db, title="Required", skills=[(coaching, 3)])
    dismissed = make_item(db, title="Dismissed", skills=[(coaching, 3)])
    make_item(db, title="Fresh", skills=[(coaching, 3)])
    make_completion(db, person=person, item=done)
    make_requirement(db, items=[required], rules=[{"kind": "person", "person_id": person.id}])
    record_feedback(db, person_id=person.id, item_id=dismissed.id, action=FeedbackAction.dismissed)
    assert _titles(db, person) == ["Fresh"]


def test_items_already_enrolled_in_or_booked_are_never_recommended(db: Session) -> None:
    person, coaching = _coaching(db)
    enrolled = make_item(db, title="Enrolled", skills=[(coaching, 3)])
    booked = make_item(db, title="Booked", skills=[(coaching, 3)], format="classroom")
    waiting = make_item(db, title="Waiting", skills=[(coaching, 3)], format="classroom")
    make_item(db, title="Fresh", skills=[(coaching, 3)])
    enrol(db, person_id=person.id, item_id=enrolled.id, origin=Origin.self)
    for days, item, seats in [(7, booked, 5), (9, waiting, 0)]:
        starts = utcnow() + dt.timedelta(days=days)
        session = make_session(db, item=item, capacity=seats or 1, starts_at=starts)
        if not seats:  # full: the person joins the waiting list
            book_seat(db, session_id=session.id, person_id=make_person(db).id)
        book_seat(db, session_id=session.id, person_id=person.id)
    assert _titles(db, person) == ["Fresh"]


def test_saving_boosts_items_sharing_its_skills_and_the_latest_word_wins(db: Session) -> None:
    person, coaching = _coaching(db)
    other = make_skill(db, name="Mentoring")
    saved = make_item(db, title="Mentoring 101", skills=[(other, 1)], format="video")
    make_item(db, title="Plain coaching", skills=[(coaching, 3)], format="classroom")
    make_item(db, title="Coaching and mentoring", skills=[(coaching, 3), (other, 2)], format="classroom")
    before = recommend(db, person_id=person.id)
    record_feedback(db, person_id=person.id, item_id=saved.id, action=FeedbackAction.saved)
    after = recommend(db, person_id=person.id)
    score = {r.item.title: r.score for r in after}
    assert score["Coaching and mentoring"] > {r.item.title: r.score for r in before}["Coaching and mentoring"]
    assert "Mentoring 101" not in score  # saved items are listed apart, not recommended again
    record_feedback(db, person_id=person.id, item_id=saved.id, action=FeedbackAction.dismissed)
    assert "Mentoring 101" not in _titles(db, person)


def test_dismissing_formats_lowers_that_format(db: Session) -> None:
    person, coaching = _coaching(db)
    make_item(db, title="Coaching video", skills=[(coaching, 3)], format="video")
    make_item(db, title="Coaching workshop", skills=[(coaching, 3)], format="workshop")
    disliked = make_item(db, title="Another video", format="video")
    liked = make_item(db, title="Another workshop", format="workshop")
    assert _titles(db, person)[0] == "Coaching video"  # a tie, broken by id
    record_feedback(db, person_id=person.id, item_id=disliked.id, action=FeedbackAction.dismissed)
    record_feedback(db, person_id=person.id, item_id=liked.id, action=FeedbackAction.saved)
    assert _titles(db, person)[0] == "Coaching workshop"


def test_popular_in_the_profile_when_there_is_no_plan(db: Session) -> None:
    profile = make_profile(db, "Warehouse Operative")
    person = make_person(db, job_profile_id=profile.id)
    peers = [make_person(db, job_profile_id=profile.id) for _ in range(3)]
    popular, quiet = make_item(db, title="Popular"), make_item(db, title="Quiet")
    for n, peer in enumerate(peers):
        for item in [popular] if n else [popular, quiet]:
            make_completion(db, person=peer, item=item)
    assert refresh_popularity(db) == 2  # (profile, Popular) and (profile, Quiet)
    job_handlers(Settings())[POPULARITY](db, {})  # what the daily job runs
    found = recommend(db, person_id=person.id)
    assert [r.item.title for r in found] == ["Popular", "Quiet"]
    assert found[0].reason == "Popular with other Warehouse Operatives"


def test_mandatory_learning_completed_by_peers_is_not_popular(db: Session) -> None:
    profile = make_profile(db, "Driver")
    peers = [make_person(db, job_profile_id=profile.id) for _ in range(3)]
    chosen, mandatory = make_item(db, title="Chosen"), make_item(db, title="Mandatory")
    make_requirement(db, items=[mandatory])  # everyone: the peers were required to complete it
    for peer in peers:
        for item in (chosen, mandatory):
            make_completion(db, person=peer, item=item)
    assert refresh_popularity(db) == 1  # (Driver, Chosen) only
    newcomer = make_person(db, job_profile_id=profile.id)
    assert "Chosen" in _titles(db, newcomer) and "Mandatory" not in _titles(db, newcomer)


def test_only_bookable_sessions_are_offered(db: Session) -> None:
    person, coaching = _coaching(db)
    now = utcnow()
    item = make_item(db, title="Coaching workshop", skills=[(coaching, 3)], format="workshop")

    def session(days: float, **extra: object) -> LearningSession:
        starts = now + dt.timedelta(days=days)
        row = LearningSession(
            item_id=item.id,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            location="Leeds",
            capacity=2,
            **extra,
        )
        db.add(row)
        db.flush()
        return row

    session(-1)  # in the past
    session(1, status=SessionStatus.cancelled.value)
    full = session(2, booking_deadline=now - dt.timedelta(hours=1))  # deadline passed
    later = session(5)
    peer = make_person(db)
    db.add(Booking(session_id=later.id, person_id=peer.id, status="booked", queue_position=1))
    db.flush()
    (found,) = recommend(db, person_id=person.id, now=now)
    assert found.session is not None and found.session.id == later.id != full.id
    assert found.session.seats_left == 1 and found.session.location == "Leeds"
