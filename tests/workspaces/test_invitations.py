import re

import pytest
from django.core import mail
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Invitation, Membership, Workspace

pytestmark = pytest.mark.django_db


def test_invitation_by_email_link_lets_a_newcomer_join(
    alice_client: Client, workspace_a: Workspace
) -> None:
    response = alice_client.post(
        "/workspace/members/", {"email": "dana@example.org", "role": "contributor"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"/workspace/invitation/[\w-]+/", mail.outbox[0].body)
    assert link is not None

    dana = User.objects.create_user(email="dana@example.org", password="x long password 12")
    client = Client()
    client.force_login(dana)
    client.post(link.group(0))
    assert Membership.objects.get(workspace=workspace_a, user=dana).role == "contributor"
    # An invitation works once.
    again = client.get(link.group(0))
    assert again.status_code == 404


def test_inviting_a_member_again_is_refused(alice_client: Client) -> None:
    response = alice_client.post(
        "/workspace/members/", {"email": "bob@example.org", "role": "editor"}
    )
    assert response.status_code == 400
    assert "already a member" in response.content.decode()


def test_bad_invitation_input_gets_field_errors(alice_client: Client) -> None:
    response = alice_client.post("/workspace/members/", {"email": "nope", "role": "emperor"})
    errors = response.context["form"].errors
    assert "email" in errors and "role" in errors
    assert not Invitation.objects.exists()


def test_an_editor_cannot_invite(bob_client: Client) -> None:
    response = bob_client.post("/workspace/members/", {"email": "x@example.org", "role": "editor"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()
