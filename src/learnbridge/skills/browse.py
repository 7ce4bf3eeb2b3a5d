"""Finding skills in a large taxonomy without loading it: a framework's tree one level (and one page) at
a time, search by part of a name in any script and case, and what a skill picker sent resolved to a skill.

ESCO's skills pillar holds some 14,000 skills with long names and descriptions; no page or answer reads
them all. Search matches every word typed against the stored search key (core.text_keys.search_key),
so it folds case the same way on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, case, func, select, true
from sqlalchemy.orm import Session, aliased, contains_eager, selectinload

from learnbridge.core.errors import FieldError, Invalid, NotFound
from learnbridge.core.ids import MAX_ID
from learnbridge.core.paging import Keyset, keyset_page
from learnbridge.core.text_keys import search_key
from learnbridge.skills.models import Framework, ProficiencyLevel, Skill

MAX_QUERY = 200  # characters of a search: a skill's name has at most 200
OPTIONS_LIMIT = 20  # skills a picker offers at once: type more to narrow them
TREE_PAGE = 50  # skills of one level of a tree per page


@dataclass(frozen=True)
class TreeNode:
    """A skill in its framework's tree, with how many skills sit directly below it."""

    skill: Skill
    children: int


def get_framework(db: Session, framework_id: int) -> Framework:
    framework = db.get(Framework, framework_id, options=[selectinload(Framework.levels)])
    if framework is None:
        raise NotFound(f"No skill framework {framework_id}.")
    return framework


def frameworks_page(db: Session, *, cursor: str | None = None, limit: int = 20) -> Keyset[Framework]:
    """Frameworks by name, keyset-paged on (name, id), with their levels but not their skills."""
    stmt = select(Framework).options(selectinload(Framework.levels))
    return keyset_page(db, stmt, order=[Framework.name, Framework.id], cursor=cursor, limit=limit)


def skill_counts(db: Session, framework_ids: list[int]) -> dict[int, int]:
    """How many skills each of these frameworks holds."""
    stmt = (
        select(Skill.framework_id, func.count(Skill.id).label("skills"))
        .where(Skill.framework_id.in_(framework_ids))
        .group_by(Skill.framework_id)
    )
    return {row.framework_id: row.skills for row in db.execute(stmt)}


def _matches(q: str) -> ColumnElement[bool]:
    """Every word of `q` is in the name (any script and case), or `q` is the ID number."""
    words = [Skill.name_key.contains(word, autoescape=True) for word in search_key(q).split()]
    return and_(true(), *words) | (Skill.idnumber == q.strip())


def _query_of(q: str) -> str:
    if len(q) > MAX_QUERY:
        raise Invalid(field="q", message=f"is longer than {MAX_QUERY} characters")
    return q.strip()


def framework_skills(
    db: Session,
    *,
    framework_id: int,
    q: str = "",
    parent_id: int | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> Keyset[Skill]:
    """A framework's skills by name, keyset-paged on (name, id): those matching `q` (see `_matches`),
    or those directly below `parent_id`; every skill otherwise."""
    get_framework(db, framework_id)
    stmt = select(Skill).where(Skill.framework_id == framework_id)
    if q := _query_of(q):
        stmt = stmt.where(_matches(q))
    if parent_id is not None:
        stmt = stmt.where(Skill.parent_id == parent_id)
    return keyset_page(db, stmt, order=[Skill.name, Skill.id], cursor=cursor, limit=limit)


def tree_level(
    db: Session,
    *,
    framework_id: int,
    parent_id: int | None,
    cursor: str | None = None,
    limit: int = TREE_PAGE,
) -> Keyset[TreeNode]:
    """One page of the skills directly below `parent_id` (None: the framework's top level), by name,
    each with the number of skills below it (read from the tree index, not by loading them)."""
    child = aliased(Skill)
    below = select(func.count(child.id)).where(child.parent_id == Skill.id).scalar_subquery()
    parent = Skill.parent_id.is_(None) if parent_id is None else Skill.parent_id == parent_id
    stmt = select(Skill, below).where(Skill.framework_id == framework_id, parent)
    page = keyset_page(db, stmt, order=[Skill.name, Skill.id], cursor=cursor, limit=limit)
    return Keyset([TreeNode(skill, count) for skill, count in page.items], page.next)


def search_skills(
    db: Session, *, q: str, limit: int = OPTIONS_LIMIT, framework_id: int | None = None
) -> list[Skill]:
    """Skills matching `q` (every word in the name, any script and case, or the ID number), with their
    framework: names that start with what was typed first, then by name."""
    q = _query_of(q)
    if not q:
        return []
    starts = Skill.name_key.startswith(search_key(q), autoescape=True)
    stmt = (
        select(Skill)
        .join(Skill.framework)
        .where(_matches(q))
        .order_by(case((starts, 0), else_=1), Skill.name, Skill.id)
        .options(contains_eager(Skill.framework))
        .limit(limit)
    )
    if framework_id is not None:
        stmt = stmt.where(Skill.framework_id == framework_id)
    return list(db.scalars(stmt))


def skill_names(db: Session, ids: list[int]) -> dict[int, str]:
    """The names of the skills with these ids (a form's chosen skills, shown by name)."""
    if not ids:
        return {}
    return {row.id: row.name for row in db.execute(select(Skill.id, Skill.name).where(Skill.id.in_(ids)))}


def highest_level(db: Session) -> int:
    """The top of the longest scale of any framework (what a target level may be at most)."""
    return db.scalar(select(func.max(ProficiencyLevel.level))) or 0


def _plain_id(value: str | int | None, field: str) -> int | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not (text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID):
        raise Invalid(field=field, message="is not a skill id")
    return int(text)


def resolve_skill(db: Session, *, text: str, field: str) -> Skill:
    """The one skill whose name is `text` (any case) or whose ID number is `text`."""
    text = _query_of(text)
    found = list(
        db.scalars(
            select(Skill).where((Skill.name_key == search_key(text)) | (Skill.idnumber == text)).limit(5)
        )
    )
    by_idnumber = [skill for skill in found if skill.idnumber == text]
    if len(found) == 1 or len(by_idnumber) == 1:
        return by_idnumber[0] if len(by_idnumber) == 1 else found[0]
    if not found:
        message = f"no skill is called “{text}”: type part of its name and pick it from the list"
    else:
        message = f"{len(found)} skills are called “{text}”: pick one from the list, or type its ID number"
    raise Invalid([FieldError(field=field, message=message)])


def picked_skill(db: Session, *, skill_id: str | int | None, text: str | None, field: str) -> int | None:
    """What a skill picker sent (its hidden id and its text field), as a skill id. With no text field at
    all (a form naming the skill itself) the id; a blank text is no skill; the id while the text still
    shows that skill's name; otherwise the one skill the text names (the picker without script)."""
    chosen = _plain_id(skill_id, field)
    if text is None:
        return chosen
    if not text.strip():
        return None
    if chosen is not None and search_key(skill_names(db, [chosen]).get(chosen, "")) == search_key(text):
        return chosen
    return resolve_skill(db, text=text, field=field).id


def ancestors(db: Session, *, framework_id: int, skill_id: int | None) -> list[Skill]:
    """The skill and those above it in its framework's tree, the top first (a tree is a few levels
    deep; a loop, which the importer refuses, is cut off)."""
    path: list[Skill] = []
    while skill_id is not None and len(path) < 50:
        skill = db.get(Skill, skill_id)
        if skill is None or skill.framework_id != framework_id:
            raise NotFound(f"No skill {skill_id} in this framework.")
        path.insert(0, skill)
        skill_id = skill.parent_id
    return path
