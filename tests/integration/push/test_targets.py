"""push.targets: the few-people audience statement is built once per set of audiences, and built again
when anything it depends on changes (a rule, or where a rule's unit sits in the tree)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from learnbridge.push.targets import _few_people_targets
from tests.factories import make_item, make_requirement, make_unit


def test_the_statement_is_reused_until_a_rule_or_its_units_place_changes(db: Session) -> None:
    unit = make_unit(db, "Depot")
    requirement = make_requirement(
        db, items=[make_item(db)], rules=[{"kind": "unit_tree", "org_unit_id": unit.id}], activate=False
    )
    first = _few_people_targets([requirement])
    assert _few_people_targets([requirement]) is first
    [rule] = requirement.rules
    assert rule.org_unit is not None
    rule.org_unit.path = "/999" + rule.org_unit.path  # the unit moved under another
    moved = _few_people_targets([requirement])
    assert moved is not first
    rule.exclude = True
    assert _few_people_targets([requirement]) is not moved
