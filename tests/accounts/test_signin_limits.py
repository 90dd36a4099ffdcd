"""The sign-in limits: one counter per account however the address is typed, one per client
address, and a way back in for a locked-out owner."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def _try(email: str, password: str, address: str, client: Client | None = None) -> int:
    client = client or Client(REMOTE_ADDR=address)
    return client.post("/account/signin/", {"email": email, "password": password}).status_code


def test_the_account_counter_ignores_spaces_and_case(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_SIGNIN_MAX_ATTEMPTS = 5
    spellings = [
        " alice@example.org",
        "alice@example.org\n",
        "\tALICE@example.org",
        "alice@example.org ",
    ]
    answers = [_try(spellings[n % 4], "wrong", f"10.0.0.{n}") for n in range(32)]
    assert answers.count(200) == 5  # only five guesses were checked against the password
    assert set(answers[5:]) == {429}
    client = Client(REMOTE_ADDR="10.0.1.1")
    assert _try(" alice@example.org ", PASSWORD, "", client) == 429
    assert "_auth_user_id" not in client.session


def test_one_client_address_is_limited_across_accounts(alice: User, bob: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_SIGNIN_MAX_ATTEMPTS = 100
    settings.CHORUS_SIGNIN_MAX_ATTEMPTS_PER_ADDRESS = 3
    for n in range(3):
        assert _try(f"someone{n}@example.org", "wrong", "10.0.0.9") == 200
    assert _try("bob@example.org", PASSWORD, "10.0.0.9") == 429
    assert _try("bob@example.org", PASSWORD, "10.0.0.10") == 302


def test_a_success_does_not_reset_the_client_address_counter(
    alice: User, bob: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_SIGNIN_MAX_ATTEMPTS_PER_ADDRESS = 3
    _try("bob@example.org", "wrong", "10.0.0.9")
    _try("bob@example.org", "wrong", "10.0.0.9")
    assert _try("alice@example.org", PASSWORD, "10.0.0.9") == 302
    _try("bob@example.org", "wrong", "10.0.0.9")
    assert _try("bob@example.org", PASSWORD, "10.0.0.9") == 429


def _reset_link(client: Client) -> str:
    client.post("/account/password/reset/", {"email": "alice@example.org"})
    link = re.search(r"http://\S+/account/password/reset/\S+/", mail.outbox[-1].body)
    assert link is not None
    return "/" + link.group(0).split("/", 3)[3]


def test_the_reset_link_lets_a_locked_out_owner_back_in(
    alice: User,
    workspace_a: Workspace,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.CHORUS_SIGNIN_MAX_ATTEMPTS = 3
    for n in range(5):
        _try("alice@example.org", "wrong", f"10.0.0.{n}")
    owner = Client(REMOTE_ADDR="10.9.9.9")
    blocked = owner.post("/account/signin/", {"email": "alice@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Forgot your password?" in blocked.content.decode()
    form_page = owner.get(_reset_link(owner), follow=True)
    new = "another long pass phrase 7"
    owner.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert owner.get("/today/").status_code == 200
    # Someone keeps guessing: the owner, signed in, is not thrown out.
    for n in range(5):
        _try("alice@example.org", "wrong", f"10.0.0.{n}")
    assert owner.get("/today/").status_code == 200


def test_reset_emails_are_limited_and_the_page_says_the_same(alice: User) -> None:
    client = Client(REMOTE_ADDR="10.0.0.1")
    answers = [
        client.post("/account/password/reset/", {"email": " Alice@example.org"}) for _ in range(10)
    ]
    assert len(mail.outbox) == 3
    assert {a.status_code for a in answers} == {302}
    assert {a["Location"] for a in answers} == {"/account/password/reset/sent/"}
