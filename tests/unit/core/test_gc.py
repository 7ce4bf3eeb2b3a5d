"""core.gc: a started app freezes the objects alive at the end of its start, so full collections no
longer walk them; the setting turns it off (the test suite's own apps keep it off)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from learnbridge.app import create_app
from learnbridge.core.gc import freeze_startup_objects
from learnbridge.core.settings import Settings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def _settings(tmp_path: Path, *, freeze: bool) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'gc.db'}",
        secret_key="test-secret",
        var_dir=tmp_path,
        jobs_in_process=False,
        gc_freeze=freeze,
    )


@pytest.mark.usefixtures("unfrozen")
def test_a_started_app_freezes_what_it_holds_and_only_when_asked(tmp_path: Path) -> None:
    with TestClient(create_app(_settings(tmp_path, freeze=False))):
        assert gc.get_freeze_count() == 0
    with TestClient(create_app(_settings(tmp_path, freeze=True))) as client:
        frozen = gc.get_freeze_count()
        assert frozen > 10_000  # the modules, routes and models of the app
        assert client.get("/healthz").status_code == 200


@pytest.mark.usefixtures("unfrozen")
def test_garbage_is_collected_before_the_freeze() -> None:
    class Node:
        def __init__(self) -> None:
            self.me = self

    gc.disable()  # nothing collects the cycle but the freeze's own collection
    try:
        cycle = Node()
        gone = weakref.ref(cycle)
        del cycle
        assert gone() is not None  # garbage, not yet collected
        kept = Node()
        assert freeze_startup_objects() == gc.get_freeze_count() > 0
        assert gone() is None  # collected, not frozen
        assert gc.is_tracked(kept)
    finally:
        gc.enable()
