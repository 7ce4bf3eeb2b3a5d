"""Every area's tables, imported so the metadata is complete (for Alembic and test set-up)."""

from __future__ import annotations

from learnbridge.accounts import models as accounts_models
from learnbridge.catalog import models as catalog_models
from learnbridge.core.db import Base
from learnbridge.people import models as people_models
from learnbridge.skills import models as skills_models

AREA_MODELS = (people_models, accounts_models, skills_models, catalog_models)
metadata = Base.metadata
