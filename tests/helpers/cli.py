"""Running the `learnbridge` command as a user would: a subprocess against a database URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import learnbridge

ROOT = Path(__file__).resolve().parents[2]
# The package the tests import, so the command runs the same code (a checkout beside an installed one).
SOURCE = str(Path(learnbridge.__file__).resolve().parents[1])
# The cheap password hashing tests use (see tests/conftest.py), and coverage's measuring, passed on.
_PASSED_ON = (
    "LEARNBRIDGE_PASSWORD_TIME_COST",
    "LEARNBRIDGE_PASSWORD_MEMORY_KIB",
    "LEARNBRIDGE_PASSWORD_PARALLELISM",
    "COVERAGE_PROCESS_CONFIG",
    "COVERAGE_PROCESS_START",
)


def cli(url: str, *args: str, var_dir: Path = ROOT / "var") -> subprocess.CompletedProcess[str]:
    """`learnbridge ARGS…` against the database at `url`, with a bare environment."""
    env = {
        "LEARNBRIDGE_DATABASE_URL": url,
        "PATH": "/usr/bin:/bin",
        "LEARNBRIDGE_VAR_DIR": str(var_dir),
        "PYTHONPATH": SOURCE,
    }
    env |= {name: os.environ[name] for name in _PASSED_ON if name in os.environ}
    return subprocess.run(
        [sys.executable, "-m", "learnbridge", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
