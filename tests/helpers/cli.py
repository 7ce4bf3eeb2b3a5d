"""Running the `learnbridge` command as a user would: against a database URL, with what it prints on
stdout and stderr and its exit status.

`cli` runs the command in this process through Click's test runner (the same Typer app, its own
environment for the call, stdout and stderr apart), which spares each call a Python start and the app's
imports; an unexpected exception still ends as a traceback on stderr and status 1, as in a shell.
`cli_process` runs `python -m learnbridge` in a subprocess, for the tests of the entry point itself."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from pathlib import Path

from typer.testing import CliRunner

import learnbridge
from learnbridge.cli import app

ROOT = Path(__file__).resolve().parents[2]
# The package the tests import, so a subprocess runs the same code (a checkout beside an installed one).
SOURCE = str(Path(learnbridge.__file__).resolve().parents[1])
# The cheap password hashing tests use (see tests/conftest.py), and coverage's measuring, passed on.
_PASSED_ON = (
    "LEARNBRIDGE_PASSWORD_TIME_COST",
    "LEARNBRIDGE_PASSWORD_MEMORY_KIB",
    "LEARNBRIDGE_PASSWORD_PARALLELISM",
    "COVERAGE_PROCESS_CONFIG",
    "COVERAGE_PROCESS_START",
)


def _env(url: str, var_dir: Path) -> dict[str, str]:
    return {"LEARNBRIDGE_DATABASE_URL": url, "LEARNBRIDGE_VAR_DIR": str(var_dir)}


def cli(url: str, *args: str, var_dir: Path = ROOT / "var") -> subprocess.CompletedProcess[str]:
    """`learnbridge ARGS…` against the database at `url`, in this process."""
    result = CliRunner().invoke(app, list(args), env=_env(url, var_dir), catch_exceptions=True)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["learnbridge", *args], result.exit_code, result.stdout, stderr)


def cli_process(url: str, *args: str, var_dir: Path = ROOT / "var") -> subprocess.CompletedProcess[str]:
    """`python -m learnbridge ARGS…` against the database at `url`, with a bare environment."""
    env = {**_env(url, var_dir), "PATH": "/usr/bin:/bin", "PYTHONPATH": SOURCE}
    env |= {name: os.environ[name] for name in _PASSED_ON if name in os.environ}
    return subprocess.run(
        [sys.executable, "-m", "learnbridge", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
