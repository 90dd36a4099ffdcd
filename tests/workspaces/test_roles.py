import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


def test_owner_changes_a_role(alice_client: Client, bob: User, workspace_a: Workspace) -> None:
    member = Membership.objects.get(user=bob, workspace=workspace_a)
    alice_client.post(f"/workspace/members/{member.pk}/role/", {"role": "analyst"})
    member.refresh_from_db()
    assert member.role == "analyst"


def test_the_last_owner_cannot_be_removed(alice: User, workspace_a: Workspace) -> None:
    from chorus.workspaces import services

    owner = Membership.objects.get(user=alice, workspace=workspace_a)
    with pytest.raises(services.WorkspaceRuleBroken):
        services.remove_member(owner)
    with pytest.raises(services.WorkspaceRuleBroken):
        services.change_role(owner, "editor")


def test_an_editor_cannot_change_roles(
    bob_client: Client, alice: User, workspace_a: Workspace
) -> None:
    owner = Membership.objects.get(user=alice, workspace=workspace_a)
    response = bob_client.post(f"/workspace/members/{owner.pk}/role/", {"role": "analyst"})
    assert response.status_code == 403
    owner.refresh_from_db()
    assert owner.role == "owner"


def test_an_analyst_sees_settings_but_cannot_save(
    bob_client: Client, bob: User, workspace_a: Workspace
) -> None:
    Membership.objects.filter(user=bob).update(role="analyst")
    assert bob_client.get("/workspace/settings/").status_code == 200
    response = bob_client.post(
        "/workspace/settings/", {"name": "Hacked", "timezone": "UTC", "language": "en"}
    )
    assert response.status_code == 403
    workspace_a.refresh_from_db()
    assert workspace_a.name == "Brand A"
