"""Who a requirement applies to.

Include criteria are grouped by dimension: org units (a unit alone, or with its subtree), job profiles,
locations, and each person attribute by name. A person is in the audience when they match at least one
criterion of every dimension the rule uses (units AND profiles AND ..., values within one dimension OR'd),
or when they are named explicitly, or the rule says everyone; and no exclusion matches them. Only active
people are ever in an audience. A rule with no include criteria matches nobody.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select, true

from learnbridge.people.models import OrgUnit, Person
from learnbridge.push.models import AudienceRule, RuleKind


def _dimension(rule: AudienceRule) -> str:
    kind = RuleKind(rule.kind)
    if kind in (RuleKind.unit, RuleKind.unit_tree):
        return "unit"
    if kind == RuleKind.attribute:
        return f"attribute:{rule.attribute}"
    return kind.value


def _clause(rule: AudienceRule) -> ColumnElement[bool]:
    kind = RuleKind(rule.kind)
    if kind == RuleKind.everyone:
        return true()
    if kind == RuleKind.unit:
        return Person.org_unit_id == rule.org_unit_id
    if kind == RuleKind.unit_tree:
        assert rule.org_unit is not None
        low, high = rule.org_unit.subtree_bounds()
        units = select(OrgUnit.id).where(OrgUnit.path >= low, OrgUnit.path < high)
        return Person.org_unit_id.in_(units)
    if kind == RuleKind.job_profile:
        return Person.job_profile_id == rule.job_profile_id
    if kind == RuleKind.location:
        return Person.location == rule.value
    if kind == RuleKind.attribute:
        assert rule.attribute
        value: ColumnElement[str] = Person.attributes[rule.attribute].as_string()
        return value == rule.value
    return Person.id == rule.person_id


def audience_clause(rules: Iterable[AudienceRule]) -> ColumnElement[bool]:
    """A WHERE clause on Person selecting exactly the audience (see the module docstring)."""
    rules = list(rules)
    groups: dict[str, list[ColumnElement[bool]]] = defaultdict(list)
    named: list[ColumnElement[bool]] = []
    excluded: list[ColumnElement[bool]] = []
    for rule in rules:
        if rule.exclude:
            excluded.append(_clause(rule))
        elif rule.kind == RuleKind.person:
            named.append(_clause(rule))
        else:
            groups[_dimension(rule)].append(_clause(rule))
    included = and_(*(or_(*clauses) for clauses in groups.values())) if groups else false()
    clause = or_(included, *named) if named else included
    if excluded:
        # A missing value (NULL location, say) matches no exclusion rather than making it unknown.
        clause = and_(clause, not_(func.coalesce(or_(*excluded), false())))
    return and_(Person.active.is_(True), clause)


def _matches(rule: AudienceRule, person: Person) -> bool:
    kind = RuleKind(rule.kind)
    if kind == RuleKind.everyone:
        return True
    if kind == RuleKind.unit:
        return person.org_unit_id is not None and person.org_unit_id == rule.org_unit_id
    if kind == RuleKind.unit_tree:
        assert rule.org_unit is not None
        return person.org_unit is not None and person.org_unit.path.startswith(rule.org_unit.path)
    if kind == RuleKind.job_profile:
        return person.job_profile_id is not None and person.job_profile_id == rule.job_profile_id
    if kind == RuleKind.location:
        return person.location is not None and person.location == rule.value
    if kind == RuleKind.attribute:
        value = (person.attributes or {}).get(rule.attribute or "")
        return value is not None and str(value) == rule.value
    return person.id == rule.person_id


def explain(rules: Iterable[AudienceRule], person: Person, *, own: bool = True) -> tuple[bool, list[str]]:
    """Whether the person is in the audience, and the criteria that put them there (or keep them out),
    said to the person (`own`) or about them."""
    rules = list(rules)
    if not person.active:
        return False, [
            "you are no longer active in the HR records" if own else "no longer active in the HR records"
        ]
    excluded = [describe(r) for r in rules if r.exclude and _matches(r, person)]
    if excluded:
        return False, [f"excluded: {text}" for text in excluded]
    if any(r.kind == RuleKind.person and not r.exclude and r.person_id == person.id for r in rules):
        return True, ["you were named individually" if own else "named individually"]
    groups: dict[str, list[AudienceRule]] = defaultdict(list)
    for rule in rules:
        if not rule.exclude and rule.kind != RuleKind.person:
            groups[_dimension(rule)].append(rule)
    reasons = []
    for group in groups.values():
        hit = next((r for r in group if _matches(r, person)), None)
        if hit is None:
            return False, []
        reasons.append(describe(hit))
    return bool(groups), reasons


def describe(rule: AudienceRule) -> str:
    """A criterion in words, as a learner or an auditor reads it."""
    kind = RuleKind(rule.kind)
    if kind == RuleKind.everyone:
        return "everyone in the organisation"
    if kind == RuleKind.unit:
        return f"in {rule.org_unit.full_name if rule.org_unit else '?'}"
    if kind == RuleKind.unit_tree:
        return f"in {rule.org_unit.full_name if rule.org_unit else '?'} or a unit below it"
    if kind == RuleKind.job_profile:
        return f"job profile {rule.job_profile.title if rule.job_profile else '?'}"
    if kind == RuleKind.location:
        return f"location {rule.value}"
    if kind == RuleKind.attribute:
        return f"{rule.attribute} is {rule.value}"
    return f"named: {rule.person.name if rule.person else '?'}"
