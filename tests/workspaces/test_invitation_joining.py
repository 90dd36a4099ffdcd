"""Joining from an invitation: newcomers land in the workspace, only the invited address may
join, and without SMTP the inviter gets the link to pass on."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Invitation, Membership, Workspace

pytestmark = pytest.mark.django_db

PHRASE = "a long pass phrase 42"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _invite(client: Client, email: str = "dana@example.org") -> str:
    client.post("/workspace/members/", {"email": email, "role": "contributor"})
    link = re.search(r"/workspace/invitation/[\w-]+/", mail.outbox[-1].body)
    assert link is not None
    return link.group(0)


def _lands_in_brand_a(client: Client) -> None:
    today = client.get("/today/")
    assert today.status_code == 200
    assert "Brand A" in today.content.decode()


def test_a_newcomer_creates_the_account_on_the_invitation_and_lands_in_it(
    alice_client: Client, workspace_a: Workspace
) -> None:
    link = _invite(alice_client)
    dana = Client()
    response = dana.post(link, {"full_name": "Dana Petit", "password": PHRASE})
    assert response.status_code == 302
    user = User.objects.get(email="dana@example.org")
    assert Membership.objects.get(workspace=workspace_a, user=user).role == "contributor"
    _lands_in_brand_a(dana)


def test_a_newcomer_who_signs_up_from_the_invitation_lands_in_it(
    alice_client: Client, workspace_a: Workspace
) -> None:
    link = _invite(alice_client)
    dana = Client()
    dana.post(
        "/account/signup/?next=" + link,
        {"full_name": "Dana Petit", "email": "dana@example.org", "password": PHRASE, "next": link},
    )
    finish = re.search(r"/account/signup/finish/\S+/", mail.outbox[-1].body)
    assert finish is not None
    done = dana.post(finish.group(0), {"password": PHRASE})
    assert done["Location"] == link
    dana.post(link)
    _lands_in_brand_a(dana)


def test_someone_else_signed_in_cannot_accept(
    alice_client: Client, workspace_a: Workspace, charlie_client: Client, charlie: User
) -> None:
    link = _invite(alice_client)
    response = charlie_client.post(link)
    assert response.status_code == 403
    assert "dana@example.org" in response.content.decode()
    assert "It was sent to" not in response.content.decode()  # without SMTP, nothing was sent
    assert not Membership.objects.filter(workspace=workspace_a, user=charlie).exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_invited_person_with_an_account_is_asked_to_sign_in(
    alice_client: Client, workspace_a: Workspace, charlie: User
) -> None:
    link = _invite(alice_client, "Charlie@example.org")
    page = Client().post(link, {"full_name": "Impostor", "password": PHRASE})
    assert "/account/signin/?next=" in page.content.decode()
    charlie.refresh_from_db()
    assert charlie.full_name == "Charlie Outsider"
    charlie_client = Client()
    charlie_client.force_login(charlie)
    charlie_client.post(link)
    assert Membership.objects.get(workspace=workspace_a, user=charlie).role == "contributor"


def test_without_smtp_the_inviter_gets_a_link_to_copy(
    alice_client: Client,
    workspace_a: Workspace,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    page = alice_client.post(
        "/workspace/members/", {"email": "dana@example.org", "role": "editor"}, follow=True
    )
    text = page.content.decode()
    assert "Invitation sent" not in text
    assert "cannot send e-mail" in text
    token = Invitation.objects.get(email="dana@example.org").token
    assert f"http://127.0.0.1:8000/workspace/invitation/{token}/" in text


def test_with_smtp_the_link_is_not_shown(alice_client: Client, workspace_a: Workspace) -> None:
    page = alice_client.post(
        "/workspace/members/", {"email": "dana@example.org", "role": "editor"}, follow=True
    )
    assert "Invitation sent to dana@example.org" in page.content.decode()
    assert Invitation.objects.get().token not in page.content.decode()


def test_without_smtp_the_page_never_claims_anything_was_sent(
    alice_client: Client,
    workspace_a: Workspace,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    text = alice_client.post(
        "/workspace/members/", {"email": "dana@example.org", "role": "editor"}, follow=True
    ).content.decode()
    assert "Invitations sent" not in text and "Send the invitation" not in text
    assert "Invitations waiting for an answer" in text
    assert "Create the invitation link" in text
