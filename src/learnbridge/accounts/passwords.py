"""Password hashing (Argon2id), at the cost the settings name: production cost in the app, cheap in tests.

Nothing is built at import time: the hasher is made by `configure` (create_app, the CLI) or, failing
that, from `Settings()` on first use. A hash keeps its own parameters, so a stored hash verifies at the
cost it was made with; `needs_rehash` tells sign-in to upgrade one made at another cost."""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from learnbridge.core.settings import PasswordCost, Settings


@dataclass
class _Hashing:
    hasher: PasswordHasher
    # Verified against when the e-mail is unknown, so a wrong address costs as long as a wrong password.
    dummy_hash: str


_current: _Hashing | None = None


def configure(cost: PasswordCost) -> None:
    """Hash new passwords at this cost from now on."""
    global _current
    hasher = PasswordHasher(
        time_cost=cost.time_cost, memory_cost=cost.memory_kib, parallelism=cost.parallelism
    )
    _current = _Hashing(hasher=hasher, dummy_hash=hasher.hash("not a real password"))


def _hashing() -> _Hashing:
    if _current is None:
        configure(Settings().password_cost())
    assert _current is not None
    return _current


def hash_password(password: str) -> str:
    return _hashing().hasher.hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """Whether the password matches the stored hash; an absent hash costs as long and never matches."""
    hashing = _hashing()
    try:
        return hashing.hasher.verify(stored or hashing.dummy_hash, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """Whether a hash was made at another cost than the configured one."""
    try:
        return _hashing().hasher.check_needs_rehash(stored)
    except InvalidHashError:
        return True
