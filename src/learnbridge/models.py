"""Every area's tables, imported so the metadata is complete (for Alembic and test set-up)."""

from __future__ import annotations

from learnbridge.accounts import models as accounts_models
from learnbridge.catalog import models as catalog_models
from learnbridge.catalog.search import is_search_index
from learnbridge.content import models as content_models
from learnbridge.core import jobs as core_jobs
from learnbridge.core.db import Base
from learnbridge.lrs import models as lrs_models
from learnbridge.notify import models as notify_models
from learnbridge.people import models as people_models
from learnbridge.pull import models as pull_models
from learnbridge.push import models as push_models
from learnbridge.records import models as records_models
from learnbridge.sessions import models as sessions_models
from learnbridge.skills import models as skills_models
from learnbridge.voice import models as voice_models

AREA_MODELS = (
    core_jobs,
    people_models,
    accounts_models,
    notify_models,
    skills_models,
    catalog_models,
    records_models,
    content_models,
    lrs_models,
    push_models,
    sessions_models,
    pull_models,
    voice_models,
)
metadata = Base.metadata


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's autogenerate compares everything but the search index, which the migrations build per
    dialect outside the models (tests/integration/core/test_schema.py holds the two equal)."""
    return not is_search_index(name, type_)
