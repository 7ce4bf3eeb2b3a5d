"""The identifiers xAPI may name a person by besides their e-mail (xAPI 1.0.3 Part 2, 2.4.2.3): an OpenID,
or an account on another system (homePage + name). They are kept in the LRS's comparable form
(lrs.format.ifi_of: "openid:<uri>", "account:<homePage>|<name>"), so a statement's actor finds its person
by equality. Pure functions: no database.
"""

from __future__ import annotations

from typing import Any

from learnbridge.core.db import max_length
from learnbridge.lrs.format import ifi_of
from learnbridge.lrs.values import StatementInvalid, iri
from learnbridge.people.models import PersonIdentifier

IFI_LIMIT = max_length(PersonIdentifier.ifi)
# How many other identifiers one person may have: a few systems each, not an unbounded list.
PER_PERSON = 20
ACCOUNT_SEPARATOR = ";"


class BadIdentifier(ValueError):
    """An identifier that is not one xAPI allows; `part` names what is wrong: openid, homePage or name."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(f"{part}: {message}")
        self.part = part
        self.message = message


def _iri(value: object, part: str) -> str:
    text = value.strip() if isinstance(value, str) else value
    try:
        return iri(text, part)
    except StatementInvalid:
        raise BadIdentifier(part, "must be an absolute IRI (e.g. https://lms.example.com)") from None


def ifi_of_identifier(identifier: dict[str, Any]) -> str:
    """{"openid": uri} or {"account": {"homePage": iri, "name": text}} as its comparable form.
    Raises BadIdentifier naming the part that is wrong."""
    openid, account = identifier.get("openid"), identifier.get("account")
    if (openid is None) == (account is None):
        raise BadIdentifier("openid", "give exactly one of openid and account (homePage and name)")
    if openid is not None:
        ifi = ifi_of({"openid": _iri(openid, "openid")})
    elif isinstance(account, dict):
        home_page = _iri(account.get("homePage"), "homePage")
        name = account.get("name")
        if not isinstance(name, str) or not name.strip():
            raise BadIdentifier("name", "is required")
        ifi = ifi_of({"account": {"homePage": home_page, "name": name.strip()}})
    else:
        raise BadIdentifier("homePage", "an account has a homePage and a name")
    if ifi is None or len(ifi) > IFI_LIMIT:
        raise BadIdentifier("name", f"an identifier may have {IFI_LIMIT} characters at most")
    return ifi


def openid_cell(cell: str) -> str | None:
    """An HR CSV `xapi_openid` cell: one OpenID URI, or empty."""
    return ifi_of_identifier({"openid": cell}) if cell.strip() else None


def accounts_cell(cell: str) -> tuple[str, ...]:
    """An HR CSV `xapi_accounts` cell: "homePage|name" pairs separated by ";" (an IRI holds no "|")."""
    ifis: dict[str, None] = {}
    for pair in (p.strip() for p in cell.split(ACCOUNT_SEPARATOR)):
        if pair:
            home_page, bar, name = pair.partition("|")
            if not bar:
                raise BadIdentifier("name", f"{pair!r} is not homePage|name")
            ifis[ifi_of_identifier({"account": {"homePage": home_page, "name": name}})] = None
    if len(ifis) > PER_PERSON:
        raise BadIdentifier("name", f"at most {PER_PERSON} accounts a person")
    return tuple(ifis)
