"""Password hashing takes its cost from settings, and a hash made at another cost is upgraded."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from argon2 import extract_parameters

from learnbridge.accounts import passwords
from learnbridge.core.settings import PasswordCost, Settings


@pytest.fixture
def restore_cost() -> Iterator[None]:
    yield
    passwords.configure(Settings().password_cost())


def test_the_app_default_is_rfc_9106s_recommended_cost() -> None:
    fields = Settings.model_fields
    defaults = (fields[f"password_{name}"].default for name in ("time_cost", "memory_kib", "parallelism"))
    assert tuple(defaults) == (3, 65536, 4)


@pytest.mark.usefixtures("restore_cost")
def test_hashes_carry_the_configured_cost_and_verify() -> None:
    passwords.configure(PasswordCost(time_cost=2, memory_kib=16, parallelism=2))
    stored = passwords.hash_password("correct horse")
    params = extract_parameters(stored)
    assert (params.time_cost, params.memory_cost, params.parallelism) == (2, 16, 2)
    assert passwords.password_matches(stored, "correct horse")
    assert not passwords.password_matches(stored, "wrong horse")
    assert not passwords.password_matches(None, "correct horse")
    assert not passwords.password_matches("not-a-hash", "correct horse")


@pytest.mark.usefixtures("restore_cost")
def test_a_hash_made_at_another_cost_needs_rehash() -> None:
    passwords.configure(PasswordCost(time_cost=1, memory_kib=8, parallelism=1))
    cheap = passwords.hash_password("correct horse")
    assert not passwords.needs_rehash(cheap)
    passwords.configure(PasswordCost(time_cost=2, memory_kib=8, parallelism=1))
    assert passwords.needs_rehash(cheap)
    assert passwords.needs_rehash("not-a-hash")


def test_memory_is_raised_to_argon2s_floor_per_lane() -> None:
    settings = Settings(password_memory_kib=8, password_parallelism=4)
    assert settings.password_cost().memory_kib == 32
