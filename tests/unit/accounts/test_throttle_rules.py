"""The per-client delay and the numbers the README states, without a database."""

from __future__ import annotations

import datetime as dt

from starlette.requests import Request

from learnbridge.accounts.devices import COOKIE, _signer, read_device
from learnbridge.accounts.throttle import PAIR_MEMORY, KnownDevice, SignInLimits
from learnbridge.core.settings import Settings

HOUR = 3600


def test_after_five_free_failures_the_wait_doubles_up_to_fifteen_minutes() -> None:
    limits = SignInLimits()
    waits = [limits.delay(n).total_seconds() for n in range(4, 17)]
    assert waits == [0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
    assert limits.delay(10_000) == dt.timedelta(minutes=15)


def eager_guesses(limits: SignInLimits, horizon: int) -> list[int]:
    """When a guesser who always tries at the first allowed second fails, over `horizon` seconds."""
    times: list[int] = []
    now = 0
    while now < horizon:
        recent = [t for t in times if t > now - PAIR_MEMORY.total_seconds()]
        free_at = recent[-1] + limits.delay(len(recent)).total_seconds() if recent else 0
        if now < free_at:
            now = int(free_at)
            continue
        times.append(now)
    return times


def test_one_client_gets_17_guesses_at_an_account_in_its_first_hour_then_4_an_hour() -> None:
    times = eager_guesses(SignInLimits(), 24 * HOUR)
    per_hour = [sum(1 for t in times if h * HOUR <= t < (h + 1) * HOUR) for h in range(24)]
    assert per_hour[0] == 5 + 10 + 2
    assert set(per_hour[1:]) == {4}


def request_with(cookie: str) -> Request:
    return Request({"type": "http", "headers": [(b"cookie", f"{COOKIE}={cookie}".encode())]})


def test_a_device_cookie_must_be_signed_with_the_apps_key() -> None:
    settings = Settings(secret_key="one")
    value = _signer(settings).dumps({"a": 7, "d": "abc"})
    assert read_device(request_with(value), settings) == KnownDevice(account_id=7, device_id="abc")
    assert read_device(request_with(value), Settings(secret_key="two")) is None
    tampered = ("f" if value[0] != "f" else "e") + value[1:]
    assert read_device(request_with(tampered), settings) is None
    assert read_device(request_with("not-a-cookie"), settings) is None
    assert read_device(request_with(_signer(settings).dumps({"a": "7"})), settings) is None
