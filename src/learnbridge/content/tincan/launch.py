"""Launching an xAPI package (Rustici's launch guidelines, "Launch"): the launch URL carries `endpoint`
(our LRS), `auth` (a Basic Authorization header value: a launch credential for this learner and
registration, lrs.launch), `actor` (JSON), `registration` (the attempt's) and `activity_id`."""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from learnbridge.content.cmi5.launch import with_parameters
from learnbridge.content.cmi5.statements import actor_of
from learnbridge.content.models import Attempt, ContentKind
from learnbridge.core.errors import Conflict, NotFound
from learnbridge.lrs.launch import XAPI, open_launch
from learnbridge.people.models import Person


@dataclass(frozen=True)
class PackageLaunch:
    url: str
    own_window: bool


def launch_package(
    db: Session, attempt: Attempt, *, base_url: str, files_url: str, site_url: str | None = None
) -> PackageLaunch:
    """The package's launch URL for the attempt's learner, with fresh launch credentials (identifiers
    under `base_url`, URLs under `site_url`: see content.cmi5.launch.launch_au)."""
    version = attempt.version
    if version.kind != ContentKind.xapi.value:
        raise NotFound("This content is not an xAPI package.")
    person = db.get(Person, attempt.person_id)
    if person is None:
        raise Conflict("The attempt's learner no longer exists.")
    base, site = base_url.rstrip("/"), (site_url or base_url).rstrip("/")
    launch = version.spec["launch"]
    actor = actor_of(person.external_id, base)
    launched = open_launch(
        db,
        base_url=base,
        profile=XAPI,
        actor=actor,
        registration=attempt.registration,
        activity_id=launch["activity_id"],
    )
    assert launched.authorization is not None
    url = launch["url"] if urlsplit(launch["url"]).scheme else f"{site}{files_url}{launch['url']}"
    parameters = {
        "endpoint": f"{site}/xapi/",
        "auth": launched.authorization,
        "actor": json.dumps(actor, separators=(",", ":")),
        "registration": attempt.registration,
        "activity_id": launch["activity_id"],
    }
    return PackageLaunch(with_parameters(url, parameters), own_window=not url.startswith(site + "/"))
