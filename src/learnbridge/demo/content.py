"""Static demo content for Northwind Logistics, kept as JSON beside this module.

organisation.json: departments with their teams, sites, name pools; skills.json: skill frameworks
(levels, skills) and job profiles (required skills with levels); items.json: the catalogue, each
item with real objectives and the skills it builds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"


def _load(name: str) -> Any:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


_organisation = _load("organisation.json")
_skills = _load("skills.json")

DEPARTMENTS: list[tuple[str, list[str]]] = [(name, teams) for name, teams in _organisation["departments"]]
LOCATIONS: list[str] = _organisation["locations"]
FIRST_NAMES: list[str] = _organisation["first_names"]
LAST_NAMES: list[str] = _organisation["last_names"]
FRAMEWORKS: list[dict[str, Any]] = _skills["frameworks"]
JOB_PROFILES: list[dict[str, Any]] = _skills["job_profiles"]
ITEMS: list[dict[str, Any]] = _load("items.json")
