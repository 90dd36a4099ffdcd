"""Listening queries through the API: same validation as the editor, roles, tenancy."""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.api.models import ApiToken
from chorus.listening.models import ListeningQuery, ListeningSource
from chorus.workspaces.models import Membership, Role, Workspace

pytestmark = pytest.mark.django_db
QUERIES = "/api/v1/listening/queries"
BODY = {"name": "Acme", "kind": "brand", "expression": "(acme OR #acmecoffee) -job"}


def _api(user: User, workspace: Workspace) -> Client:
    _token, raw = ApiToken.issue(user, workspace, "tests")
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def _send(client: Client, method: str, url: str, body: object) -> object:
    return getattr(client, method)(url, body, content_type="application/json")


def test_create_read_update_delete(
    alice: User, workspace_a: Workspace, source_a: ListeningSource
) -> None:
    api = _api(alice, workspace_a)
    made = _send(
        api,
        "post",
        QUERIES,
        {**BODY, "languages": ["EN"], "sources": [source_a.pk], "excluded_authors": ["@bot"]},
    )
    assert made.status_code == 201, made.content  # type: ignore[attr-defined]
    body = made.json()  # type: ignore[attr-defined]
    assert (body["languages"], body["sources"], body["excluded_authors"]) == (
        ["en"],
        [source_a.pk],
        ["@bot"],
    )
    url = f"{QUERIES}/{body['id']}"
    assert api.get(url).json()["expression"] == BODY["expression"]
    assert [q["id"] for q in api.get(QUERIES).json()] == [body["id"]]
    changed = _send(api, "put", url, {**BODY, "expression": "acmeco", "is_active": False})
    assert changed.status_code == 200  # type: ignore[attr-defined]
    assert ListeningQuery.objects.get().expression == "acmeco"
    assert api.delete(url).status_code == 204
    assert not ListeningQuery.objects.exists()


def test_unreadable_query_is_a_422_with_the_column(alice: User, workspace_a: Workspace) -> None:
    answer = _send(_api(alice, workspace_a), "post", QUERIES, {**BODY, "expression": "acme AND"})
    assert answer.status_code == 422  # type: ignore[attr-defined]
    errors = answer.json()["errors"]  # type: ignore[attr-defined]
    assert (
        "stops too early" in errors["expression"][0] and "at character 8" in errors["expression"][0]
    )
    assert not ListeningQuery.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"languages": ["english"]}, "languages"),
        ({"name": " "}, "name"),
        ({"alert_min_count": 0}, "alert_min_count"),
        ({"expression": "x" * 2001}, "expression"),
        ({"name": "a\x00b"}, "name"),
    ],
)
def test_bad_fields(
    alice: User, workspace_a: Workspace, change: dict[str, object], field: str
) -> None:
    answer = _send(_api(alice, workspace_a), "post", QUERIES, {**BODY, **change})
    assert answer.status_code == 422  # type: ignore[attr-defined]
    assert field in answer.json()["errors"]  # type: ignore[attr-defined]


def test_duplicate_name_refused(
    alice: User, workspace_a: Workspace, query_a: ListeningQuery
) -> None:
    answer = _send(_api(alice, workspace_a), "post", QUERIES, {**BODY, "name": "ACME"})
    assert answer.status_code == 422  # type: ignore[attr-defined]


def test_editor_may_change(bob: User, workspace_a: Workspace) -> None:
    assert _send(_api(bob, workspace_a), "post", QUERIES, BODY).status_code == 201  # type: ignore[attr-defined]


def test_contributor_reads_but_may_not_change(
    bob: User, workspace_a: Workspace, query_a: ListeningQuery
) -> None:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    api = _api(bob, workspace_a)
    assert api.get(QUERIES).status_code == 200
    assert _send(api, "post", QUERIES, BODY).status_code == 403  # type: ignore[attr-defined]
    url = f"{QUERIES}/{query_a.pk}"
    assert _send(api, "put", url, BODY).status_code == 403  # type: ignore[attr-defined]
    assert api.delete(url).status_code == 403
    assert ListeningQuery.objects.filter(pk=query_a.pk).exists()


def test_outsider_sees_and_touches_nothing(
    charlie: User, workspace_c: Workspace, query_a: ListeningQuery, source_a: ListeningSource
) -> None:
    api = _api(charlie, workspace_c)
    assert api.get(QUERIES).json() == []
    url = f"{QUERIES}/{query_a.pk}"
    assert api.get(url).status_code == 404
    assert _send(api, "put", url, BODY).status_code == 404  # type: ignore[attr-defined]
    assert api.delete(url).status_code == 404
    foreign = _send(api, "post", QUERIES, {**BODY, "sources": [source_a.pk]})
    assert foreign.status_code == 422  # type: ignore[attr-defined]
    assert "sources" in foreign.json()["errors"]  # type: ignore[attr-defined]
    assert ListeningQuery.objects.count() == 1


def test_without_token_401(client: Client) -> None:
    assert client.get(QUERIES).status_code == 401
