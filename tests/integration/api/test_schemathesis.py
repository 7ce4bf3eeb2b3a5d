"""The API says what it does: schemathesis generates requests for every operation of the OpenAPI
document (valid and invalid ones) and sends each as every role; every answer must be documented (status,
content type, headers, body schema), never a 5xx, with bad input refused and good input accepted.

The operations are walked here rather than through schemathesis's pytest plugin, so that one test per
database reports every operation that fails, each with its smallest failing request."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.config import SchemathesisConfig
from schemathesis.core.result import Ok
from schemathesis.generation.modes import GenerationMode
from sqlalchemy.orm import Session

from tests.factories import bearer, make_account, make_person

# A bounded run in `make test`, the same requests each time (derandomized): set LEARNBRIDGE_FUZZ_EXAMPLES
# (and LEARNBRIDGE_FUZZ_RANDOM=1 for fresh requests each run) to explore further.
EXAMPLES = int(os.environ.get("LEARNBRIDGE_FUZZ_EXAMPLES", "2"))
DERANDOMIZE = os.environ.get("LEARNBRIDGE_FUZZ_RANDOM", "") != "1"
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            # Input the schema allows may still break a rule it cannot state (a due date in the past, a
            # level above the framework's scale): 422 with the field named is the right answer to it.
            "positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "409", "422"]},
        },
    }
)


@pytest.fixture
def roles(db: Session) -> dict[str, dict[str, str]]:
    manager = make_person(db)
    return {
        "learner": bearer(db, make_account(db, make_person(db, manager_id=manager.id))),
        "manager": bearer(db, make_account(db, manager)),
        "ld_admin": bearer(db, make_account(db, make_person(db), ld_admin=True)),
        "auditor": bearer(db, make_account(db, auditor=True)),
    }


# The operations are dealt into shards, so parallel workers share the run.
SHARDS = 4


@pytest.mark.parametrize("shard", range(SHARDS))
def test_every_operation_as_every_role(
    app: FastAPI, client: TestClient, roles: dict[str, dict[str, str]], shard: int
) -> None:
    # `client` routes the app's database work into the test's rolled-back transaction.
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app, config=CONFIG)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert len(operations) > 80
    for operation in operations[shard::SHARDS]:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES,
                deadline=None,
                suppress_health_check=list(HealthCheck),
                database=None,
                derandomize=DERANDOMIZE,
            )
            def run(case: schemathesis.Case[Any]) -> None:
                for role, headers in roles.items():
                    try:
                        case.call_and_validate(headers=headers)
                    except BaseExceptionGroup as exc:
                        raise AssertionError(f"as {role}: {exc}") from exc

            try:
                run()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE, operation.label  # nothing to make invalid
            except (AssertionError, BaseExceptionGroup) as exc:  # every operation's failure, together
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)
