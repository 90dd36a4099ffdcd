"""Invariant 2: charlie (outsider) sees and changes nothing of alice's workspace A."""

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.api.models import ApiToken
from chorus.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


def test_charlie_cannot_switch_into_workspace_a(charlie_client: Client) -> None:
    assert charlie_client.post("/workspace/switch/brand-a/").status_code == 404
    assert "Brand A" not in charlie_client.get("/today/").content.decode()


def test_charlie_cannot_touch_members_of_a(
    charlie_client: Client, bob: User, workspace_a: Workspace
) -> None:
    member = Membership.objects.get(user=bob, workspace=workspace_a)
    assert (
        charlie_client.post(
            f"/workspace/members/{member.pk}/role/", {"role": "analyst"}
        ).status_code
        == 404
    )
    assert charlie_client.post(f"/workspace/members/{member.pk}/remove/").status_code == 404
    member.refresh_from_db()
    assert member.role == "editor"


def test_charlie_never_sees_a_in_settings_or_members(charlie_client: Client) -> None:
    for page in ("/workspace/settings/", "/workspace/members/", "/today/"):
        body = charlie_client.get(page).content.decode()
        assert "Brand A" not in body
        assert "bob@example.org" not in body


def test_charlie_cannot_revoke_alices_token(
    charlie_client: Client, alice: User, workspace_a: Workspace
) -> None:
    token, _raw = ApiToken.issue(alice, workspace_a, "zapier")
    assert charlie_client.post(f"/workspace/api-tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_charlies_api_token_only_reaches_his_workspace(
    charlie: User, workspace_c: Workspace, workspace_a: Workspace
) -> None:
    _token, raw = ApiToken.issue(charlie, workspace_c, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/workspace").json()["slug"] == "charlie-co"
    members = client.get("/api/v1/workspace/members").json()
    assert [m["email"] for m in members] == ["charlie@example.org"]


def test_a_removed_member_token_stops_working(bob: User, workspace_a: Workspace) -> None:
    _token, raw = ApiToken.issue(bob, workspace_a, "script")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    Membership.objects.filter(user=bob).delete()
    assert client.get("/api/v1/me").status_code == 401
