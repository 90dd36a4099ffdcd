import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.api.models import ApiToken
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice_api(alice: User, workspace_a: Workspace) -> Client:
    _token, raw = ApiToken.issue(alice, workspace_a, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_openapi_is_published() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/workspace" in schema["paths"]


def test_no_token_or_a_wrong_one_is_401_with_a_json_explanation() -> None:
    assert Client().get("/api/v1/me").status_code == 401
    response = Client(HTTP_AUTHORIZATION="Bearer chorus_nope").get("/api/v1/me")
    assert response.status_code == 401
    assert "token" in response.json()["detail"]


def test_me_names_the_person_and_role(alice_api: Client) -> None:
    assert alice_api.get("/api/v1/me").json()["role"] == "owner"


def test_only_the_token_hash_is_stored(alice: User, workspace_a: Workspace) -> None:
    token, raw = ApiToken.issue(alice, workspace_a, "tests")
    assert raw not in token.token_hash and raw.startswith(token.hint)


def test_bad_fields_get_422_with_field_errors_and_nothing_changes(
    alice_api: Client, workspace_a: Workspace
) -> None:
    response = alice_api.patch(
        "/api/v1/workspace",
        {"name": "X", "timezone": "Nowhere/City"},
        content_type="application/json",
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "name" in errors and "timezone" in errors
    workspace_a.refresh_from_db()
    assert workspace_a.name == "Brand A"


def test_malformed_json_is_a_clear_4xx(alice_api: Client) -> None:
    response = alice_api.patch("/api/v1/workspace", "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize("body", ['["Brand B"]', "[]", "true", '"Brand B"'])
def test_a_body_that_is_not_an_object_is_refused(alice_api: Client, body: str) -> None:
    """Found by the schema run: ninja read a JSON array as an empty object and answered 200."""
    for path in ("/api/v1/workspace", "/api/v1/posts"):
        send = alice_api.patch if path.endswith("workspace") else alice_api.post
        response = send(path, body, content_type="application/json")
        assert response.status_code == 422, (path, response.content)


def test_an_analyst_token_cannot_change_the_workspace(bob: User, workspace_a: Workspace) -> None:
    from chorus.workspaces.models import Membership

    Membership.objects.filter(user=bob).update(role="analyst")
    _token, raw = ApiToken.issue(bob, workspace_a, "t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.patch(
        "/api/v1/workspace", {"name": "Renamed"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_token_page_shows_a_new_token_once(alice_client: Client) -> None:
    first = alice_client.post("/workspace/api-tokens/", {"name": "Zapier"}).content.decode()
    assert "chorus_" in first
    later = alice_client.get("/workspace/api-tokens/").content.decode()
    assert "Zapier" in later and later.count("chorus_") == 1  # only the short hint
