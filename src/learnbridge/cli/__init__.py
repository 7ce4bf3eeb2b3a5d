"""The `learnbridge` command: each command is one service call in one transaction (one module per
concern: `data`, `access`, `runtime`; what they share is in `console`)."""

from __future__ import annotations

from learnbridge.cli import access, data, runtime
from learnbridge.cli.console import app

__all__ = ["access", "app", "data", "main", "runtime"]


def main() -> None:
    app()
