"""Who am I, for integrations and scripts."""

from __future__ import annotations

from fastapi import APIRouter

from learnbridge.accounts.deps import CurrentPrincipal
from learnbridge.accounts.schemas import MeOut

router = APIRouter(tags=["accounts"])


@router.get("/me")
def get_me(principal: CurrentPrincipal) -> MeOut:
    account = principal.account
    return MeOut(
        account_id=account.id,
        email=account.email,
        person_id=account.person_id,
        name=account.person.name if account.person else None,
        roles=sorted(role.value for role in principal.roles),
    )
