"""A person's other xAPI identifiers in the LRS's comparable form, and the HR CSV cells that carry them."""

from __future__ import annotations

import pytest

from learnbridge.lrs.format import ifi_of
from learnbridge.people.xapi_ids import BadIdentifier, accounts_cell, ifi_of_identifier, openid_cell

LMS = "https://lms.partner.example"


def test_the_comparable_form_is_the_lrss() -> None:
    account = {"account": {"homePage": LMS, "name": "u|1"}}
    assert ifi_of_identifier(account) == ifi_of(account) == f"account:{LMS}|u|1"
    assert ifi_of_identifier({"openid": " https://id.example.net/a "}) == "openid:https://id.example.net/a"


@pytest.mark.parametrize(
    ("identifier", "part"),
    [
        ({"openid": "id.example.net/a"}, "openid"),
        ({"account": {"homePage": "not a page", "name": "u"}}, "homePage"),
        ({"account": {"homePage": LMS, "name": ""}}, "name"),
        ({"account": {"homePage": LMS}}, "name"),
        ({"openid": "https://a.example", "account": {"homePage": LMS, "name": "u"}}, "openid"),
        ({}, "openid"),
    ],
)
def test_bad_identifiers_name_the_part_that_is_wrong(identifier: dict[str, object], part: str) -> None:
    with pytest.raises(BadIdentifier) as bad:
        ifi_of_identifier(identifier)
    assert bad.value.part == part


def test_cells() -> None:
    assert openid_cell("") is None
    assert accounts_cell(f" {LMS}|a ; https://tool.example|b;{LMS}|a;") == (
        f"account:{LMS}|a",
        "account:https://tool.example|b",
    )
    assert accounts_cell("  ") == ()
    with pytest.raises(BadIdentifier):
        accounts_cell(f"{LMS}")
    with pytest.raises(BadIdentifier):
        accounts_cell(";".join(f"{LMS}|u{n}" for n in range(21)))
