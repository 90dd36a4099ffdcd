import pytest
from django.test import Client

from chorus.workspaces.models import Invitation, Workspace

pytestmark = pytest.mark.django_db


def test_today_lists_first_steps_until_they_are_done(alice_client: Client) -> None:
    body = alice_client.get("/today/").content.decode()
    assert "Turn on two-factor authentication" in body
    assert "Invite your team" not in body  # bob is already in workspace A


def test_today_shows_invitations_waiting(alice_client: Client, workspace_a: Workspace) -> None:
    Invitation.objects.create(workspace=workspace_a, email="<b>eve</b>@example.org", role="editor")
    body = alice_client.get("/today/").content.decode()
    assert "&lt;b&gt;eve&lt;/b&gt;@example.org" in body
    assert "<b>eve</b>" not in body
