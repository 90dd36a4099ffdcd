"""Inputs the database cannot hold are refused with a 422 and field errors, never a 500: ids and
offsets beyond 64 bits, NUL characters (PostgreSQL refuses them), lone surrogates, times that
overflow when turned into UTC. Nothing is stored."""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.api.models import ApiToken
from chorus.channels.models import Channel
from chorus.publishing.models import Post
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db
POSTS = "/api/v1/posts"
BEYOND_64_BITS = 2**64


@pytest.fixture
def alice_api(alice: User, workspace_a: Workspace) -> Client:
    _token, raw = ApiToken.issue(alice, workspace_a, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


@pytest.fixture
def masto(workspace_a: Workspace) -> Channel:
    return Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="Masto", remote_id="m"
    )


def _errors(response: object) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content  # type: ignore[attr-defined]
    return response.json()["errors"]  # type: ignore[attr-defined,no-any-return]


def _create(client: Client, **body: object) -> object:
    return client.post(POSTS, body, content_type="application/json")


@pytest.mark.parametrize("field", ["channels", "media"])
def test_an_id_beyond_64_bits_in_a_list_is_a_field_error(
    alice_api: Client, masto: Channel, field: str
) -> None:
    body: dict[str, object] = {"channels": [masto.pk], field: [masto.pk, BEYOND_64_BITS]}
    assert f"{field}.1" in _errors(_create(alice_api, **body))
    assert not Post.objects.exists()


def test_a_variant_channel_beyond_64_bits_is_a_field_error(
    alice_api: Client, masto: Channel
) -> None:
    body = {"channels": [masto.pk], "variants": [{"channel": BEYOND_64_BITS}]}
    assert "variants.0.channel" in _errors(_create(alice_api, **body))


@pytest.mark.parametrize("query", [f"offset={BEYOND_64_BITS}", "offset=-1", "limit=0", "limit=101"])
def test_paging_out_of_bounds_is_a_field_error(alice_api: Client, query: str) -> None:
    assert set(_errors(alice_api.get(f"{POSTS}?{query}"))) <= {"offset", "limit"}


def test_a_post_id_beyond_64_bits_is_a_field_error(alice_api: Client) -> None:
    assert "post_id" in _errors(alice_api.get(f"{POSTS}/{BEYOND_64_BITS}"))


@pytest.mark.parametrize("text", ["a\x00b", "\ud800"])
def test_text_the_database_cannot_store_is_a_field_error(
    alice_api: Client, masto: Channel, text: str
) -> None:
    assert "text" in _errors(_create(alice_api, channels=[masto.pk], text=text))
    body = {"channels": [masto.pk], "options": {"language": text}}
    assert "options" in _errors(_create(alice_api, **body))
    assert not Post.objects.exists()


def test_a_workspace_name_with_nul_is_a_field_error(
    alice_api: Client, workspace_a: Workspace
) -> None:
    response = alice_api.patch(
        "/api/v1/workspace", {"name": "Brand\x00A"}, content_type="application/json"
    )
    assert "name" in _errors(response)
    workspace_a.refresh_from_db()
    assert workspace_a.name == "Brand A"


def test_a_time_that_overflows_in_utc_is_a_field_error(alice_api: Client, masto: Channel) -> None:
    body = {"channels": [masto.pk], "text": "Hi", "scheduled_at": "9999-12-31T23:59:59-05:00"}
    assert "scheduled_at" in _errors(_create(alice_api, **body))
    assert not Post.objects.exists()


def test_every_error_status_is_in_the_schema() -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    create = paths["/api/v1/posts"]["post"]["responses"]
    assert {"201", "400", "401", "403", "422", "429"} <= set(create)
    assert {"200", "404", "422"} <= set(paths["/api/v1/posts/{post_id}"]["get"]["responses"])
