import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Invitation, Membership, Role, Workspace
from tests.conftest import signed_in

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


def test_first_steps_offer_only_what_the_person_may_do(alice: User, bob: User, workspace_a) -> None:
    """A contributor is not sent to connect a channel (403); an owner is."""
    Membership.objects.filter(user=bob).update(role=Role.CONTRIBUTOR)

    bob_page = signed_in(bob).get("/today/").content.decode()
    alice_page = signed_in(alice).get("/today/").content.decode()

    assert "Connect your first channel" not in bob_page
    assert "Turn on two-factor authentication" in bob_page
    assert "Connect your first channel" in alice_page
