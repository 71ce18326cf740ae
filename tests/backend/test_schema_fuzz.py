"""A property-based run (schemathesis + hypothesis) against the service's own OpenAPI schema: no
generated request, valid or not, makes the backend answer with a 500."""

from __future__ import annotations

import itertools

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.generation.modes import GenerationMode

from tests.backend.conftest import Deployment

EXAMPLES_PER_OPERATION = 50  # per operation and mode: 4 x 2 x 50 = 400 requests


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
def test_no_generated_request_makes_a_server_error(backend: Deployment) -> None:
    schema = schemathesis.openapi.from_url(f"{backend.url}/openapi.json")
    auth = {"Authorization": f"Bearer {backend.tokens['carol']}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} == {
        "/health", "/voice-therapist/session/start", "/voice-therapist/session/{session_id}/end",
        "/voice-therapist/sessions",
    }
    seen: dict[str, set[int]] = {}
    for operation, mode in itertools.product(operations, GenerationMode):
        if mode is GenerationMode.NEGATIVE and not _has_inputs(operation):
            continue  # nothing in it can be invalid

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        def call(case: schemathesis.Case) -> None:
            response = case.call(headers=auth, timeout=30)
            seen.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.status_code} {response.text}"
            if response.status_code >= 400:
                assert response.json()["error"]["message"]

        call()
    # The run reached past validation: some requests were accepted, some refused.
    assert 200 in seen["POST /voice-therapist/session/start"] and 422 in seen["POST /voice-therapist/session/start"]


def _has_inputs(operation: schemathesis.APIOperation) -> bool:
    return bool(len(operation.body) or len(operation.path_parameters) or len(operation.query))
