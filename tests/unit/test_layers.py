"""Pages and API endpoints are a tier above every area's rules: they may use any area's services (the
layer contract in pyproject.toml exempts their imports), and no rule imports them. This test holds the
second half, and that the contract's exemptions name exactly the page and API modules there are."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
ENTRY = re.compile(r"^learnbridge\.(?:[a-z][a-z0-9_]*\.)+(?:api|web|[a-z_]+_api|[a-z_]+_web)$")
TOP = ("learnbridge.app", "learnbridge.cli")  # the entry points, and the command's modules


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("learnbridge")


def entry_modules(graph: grimp.ImportGraph) -> set[str]:
    return {module for module in graph.modules if ENTRY.match(module)}


def test_no_rule_imports_a_page_or_api_module(graph: grimp.ImportGraph) -> None:
    entries = entry_modules(graph)
    assert len(entries) > 20
    wrong = sorted(
        f"{importer} -> {module}"
        for module in entries
        for importer in graph.find_modules_that_directly_import(module)
        if importer not in entries
        and importer.split(".")[:2] != ["learnbridge", "cli"]
        and importer not in TOP
    )
    assert not wrong, "a rule imports a page or API module:\n" + "\n".join(wrong)


def test_the_layer_contract_exempts_exactly_the_page_and_api_modules(graph: grimp.ImportGraph) -> None:
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"][0]
    patterns = [rule.split(" -> ")[0] for rule in contract["ignore_imports"]]
    assert all(rule.endswith(" -> learnbridge.**") for rule in contract["ignore_imports"])
    exempt = {module for module in graph.modules if any(_matches(module, p) for p in patterns)}
    assert exempt == entry_modules(graph)


def _matches(module: str, pattern: str) -> bool:
    """import-linter's wildcard: `*` stands for one whole module name."""
    parts, wanted = module.split("."), pattern.split(".")
    return len(parts) == len(wanted) and all(
        fnmatch.fnmatchcase(a, b) for a, b in zip(parts, wanted, strict=True)
    )


def test_routes_take_the_write_lock_through_a_dependency_not_by_hand() -> None:
    """Routes that write what they read take WriteDb (or the LRS's LrsWriteDb); none calls begin_write."""
    allowed = {"core/db.py"}
    package = ROOT / "src" / "learnbridge"
    callers = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "begin_write(" in path.read_text() and str(path.relative_to(package)) not in allowed
    )
    assert callers == []
