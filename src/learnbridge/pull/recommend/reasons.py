"""The sentence that says why an item is recommended, built from its strongest signal, and the line
that says when and where its next session is."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from learnbridge.catalog.models import LearningItem
from learnbridge.pull.recommend.candidates import Candidate, Context
from learnbridge.pull.recommend.signals import WEIGHTS, UpcomingSession, content_words

PERSONAL = ("skill", "text", "saved")
FORMAT_PLURALS = {
    "classroom": "classroom courses",
    "virtual": "virtual classrooms",
    "self_paced": "self-paced online learning",
    "blended": "blended courses",
    "on_the_job": "learning on the job",
    "reading": "reading",
    "video": "videos",
    "workshop": "workshops",
}


def reason_for(ctx: Context, candidate: Candidate, item: LearningItem, saved: list[LearningItem]) -> str:
    """The human reason for the candidate's strongest signal. A signal about the person (a goal or
    gap, their words, what they saved) is preferred whenever it is at least a third of its weight:
    "because of your goal" says more than "popular" even where popularity added more to the score."""
    name = _strongest(candidate.signals)
    if name == "skill":
        return _skill_reason(ctx, candidate)
    if name == "text":
        return _text_reason(ctx, item)
    if name in ("popular", "popular_all") and ctx.profile and candidate.popular:
        return f"Popular with other {plural(ctx.profile)}"
    if name in ("popular", "popular_all"):
        return "Popular across the organisation"
    if name == "format":
        return f"You prefer {FORMAT_PLURALS.get(item.format, item.format.replace('_', ' '))}"
    if name == "saved":
        return _saved_reason(item, saved)
    return "New in the catalogue"


def _strongest(found: dict[str, float]) -> str:
    personal = {k: v for k, v in found.items() if k in PERSONAL and v >= WEIGHTS[k] / 3}
    pool = personal or {k: v for k, v in found.items() if v > 0}
    return max(pool.items(), key=lambda pair: pair[1])[0] if pool else "new"


def _skill_reason(ctx: Context, candidate: Candidate) -> str:
    """ "Builds Coaching, level 2 → 3, the goal 'Lead the team' in your plan": the skill, where the
    person is and where they are going, and why there."""
    skill_id, _ = max(candidate.skills, key=lambda pair: ctx.gaps[pair[0]].fit(pair[1]))
    gap = ctx.gaps[skill_id]
    goal = gap.top_goal
    now = f"level {gap.current}" if gap.current else "new to you"
    if goal is not None and goal.level >= (gap.profile_level or 0):
        return f"Builds {gap.skill}, {now} → {goal.level}, the goal '{goal.title}' in your plan"
    return f"Builds {gap.skill}, {now} → {gap.profile_level}, what your role as {gap.profile} needs"


def _text_reason(ctx: Context, item: LearningItem) -> str:
    """Name the goal whose words the item shares most, and say what it is about in the item's own words
    (a learning objective), never a list of matched keywords."""
    fields = [
        ("objectives mention", content_words(item.objectives_text)),
        ("the title mentions", content_words(item.title)),
        ("the summary mentions", content_words(item.summary)),
    ]
    best: tuple[int, str, str, list[str]] = (0, "", "", [])
    for goal in ctx.goals:
        for label, words in fields:
            shared = _shared(goal.words, words)
            if len(shared) > best[0]:
                best = (len(shared), goal.title, label, shared)
    count, title, label, _ = best
    where = f"your goal '{title}' in your plan" if title else "what you said you want to learn"
    objective = _first_objective(item.objectives_text) if count and label == "objectives mention" else ""
    return f"Fits {where}: {objective}" if objective else f"Fits {where}"


def _first_objective(text: str) -> str:
    """The item's first learning objective, as its author wrote it (shortened)."""
    first = next((line.strip(" -•*\t") for line in text.splitlines() if line.strip(" -•*\t")), "")
    return first if len(first) <= 90 else first[:87].rstrip() + "..."


def _shared(goal_words: frozenset[str], item_words: frozenset[str]) -> list[str]:
    """The item's words that share a stem with a goal word (the first five letters: a crude stemmer,
    enough to pair "conversation" with "conversations")."""
    stems = {word[:5] for word in goal_words}
    return sorted(word for word in item_words if word[:5] in stems)


def _saved_reason(item: LearningItem, saved: list[LearningItem]) -> str:
    taught = {link.skill_id for link in item.skills}
    for other in saved:
        if taught & {link.skill_id for link in other.skills}:
            return f"Like '{other.title}', which you saved"
    return "Like something you saved"


def plural(title: str) -> str:
    """'Warehouse Operative' -> 'Warehouse Operatives' (an English plural good enough for job titles)."""
    if re.search(r"(s|x|ch|sh)$", title):
        return f"{title}es"
    if re.search(r"[^aeiou]y$", title):
        return f"{title[:-1]}ies"
    return f"{title}s"


def session_label(option: UpcomingSession) -> str:
    """'Next session: 12 Jan, Leeds, 4 seats left' in the session's own time zone."""
    try:
        local = option.starts_at.astimezone(ZoneInfo(option.timezone))
    except ZoneInfoNotFoundError:
        local = option.starts_at
    where = option.location or ("online" if option.kind == "virtual" else "")
    seats = (
        f"{option.seats_left} seat{'s' if option.seats_left != 1 else ''} left"
        if option.seats_left
        else "full, join the waiting list"
    )
    parts = [f"{local.day} {local:%b}", where, seats]
    return "Next session: " + ", ".join(part for part in parts if part)
