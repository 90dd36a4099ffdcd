"""Schemathesis against the whole published schema, in process: no input makes the API answer 5xx,
every answer's status, content type and body are the ones the OpenAPI schema documents, and input
the schema forbids is refused with a 4xx.

Bounded and repeatable: a fixed number of examples per endpoint and generation mode, derandomized,
with no example database on disk. Runs on SQLite and PostgreSQL alike (DATABASE_URL).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.cache import cache
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from chorus.accounts.models import User
from chorus.api.api import api
from chorus.api.models import ApiToken
from chorus.channels.models import Channel
from chorus.publishing.models import Post, PostTarget
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db

EXAMPLES_PER_ENDPOINT_AND_MODE = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())
SCHEMA.app = WSGIHandler()
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


@pytest.fixture
def alice_token(alice: User, workspace_a: Workspace) -> str:
    """Alice's token, with something to find: a channel and a post on it."""
    channel = Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="Masto", remote_id="masto"
    )
    post = Post.objects.create(workspace=workspace_a, author=alice, text="Hello")
    PostTarget.objects.create(workspace=workspace_a, post=post, channel=channel, text="Hello")
    _token, raw = ApiToken.issue(alice, workspace_a, "schemathesis")
    return raw


@pytest.fixture
def keep_the_test_connection() -> Iterator[None]:
    """Requests go through the real WSGI handler, which closes database connections after each
    request; the test's transaction must survive them (Django's own test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_every_documented_endpoint_is_exercised() -> None:
    assert {"GET /api/v1/posts", "POST /api/v1/posts", "PATCH /api/v1/workspace"} <= set(OPERATIONS)


@pytest.mark.usefixtures("keep_the_test_connection")
def test_no_input_breaks_the_api(alice_token: str, subtests: pytest.Subtests) -> None:
    for label, operation in sorted(OPERATIONS.items()):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with subtests.test(label, mode=mode.value):
                _fuzz(operation, mode, headers={"Authorization": f"Bearer {alice_token}"})


def _fuzz(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES_PER_ENDPOINT_AND_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def one_request(case: Any) -> None:
        cache.clear()  # the per-token throttle is not what this test is about
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    one_request()
