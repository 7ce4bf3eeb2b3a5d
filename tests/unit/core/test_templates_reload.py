"""Templates are compiled once per process unless asked to follow their files (`serve --reload`)."""

from __future__ import annotations

from pathlib import Path

from learnbridge.core.settings import Settings
from learnbridge.core.templates import make_templates


def test_templates_follow_their_files_only_when_asked(tmp_path: Path) -> None:
    assert make_templates().env.auto_reload is False
    assert make_templates(reload=True).env.auto_reload is True
    assert Settings(var_dir=tmp_path).templates_reload is False
