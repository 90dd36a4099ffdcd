"""Your profile: a name is required, the password and the sign-in e-mail can change, and the
two-factor key is shown as text too."""

import base64
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from chorus.accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "another long pass phrase 7"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


@pytest.mark.parametrize("name", ["", "   "])
def test_an_empty_name_is_refused(alice_client: Client, alice: User, name: str) -> None:
    response = alice_client.post("/account/profile/", {"full_name": name, "language": "en"})
    assert "full_name" in response.context["form"].errors
    alice.refresh_from_db()
    assert alice.full_name == "Alice Martin"


def test_changing_the_password_needs_the_current_one(alice_client: Client, alice: User) -> None:
    wrong = alice_client.post(
        "/account/password/change/",
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "old_password" in wrong.context["password_form"].errors
    alice_client.post(
        "/account/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert alice_client.get("/today/").status_code == 200  # still signed in on this device


def _confirm_link() -> str:
    link = re.search(r"http://\S+(/account/email/confirm/\S+/)", mail.outbox[-1].body)
    assert link is not None
    return link.group(1)


def test_a_new_email_counts_once_confirmed_and_the_old_address_is_told(
    alice_client: Client, alice: User
) -> None:
    asked = alice_client.post(
        "/account/email/change/", {"email": " Alice.New@Example.org", "password": PASSWORD}
    )
    assert asked.status_code == 302
    assert mail.outbox[-1].to == ["alice.new@example.org"]
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"  # nothing changes before the link is opened
    link = _confirm_link()
    alice_client.get(link)
    alice.refresh_from_db()
    assert alice.email == alice.username == "alice.new@example.org"
    assert mail.outbox[-1].to == ["alice@example.org"]
    assert "alice.new@example.org" in mail.outbox[-1].body
    assert Client().get(link).status_code == 404  # works once
    signin = Client().post(
        "/account/signin/", {"email": "alice.new@example.org", "password": PASSWORD}
    )
    assert signin.status_code == 302


def test_changing_the_email_needs_the_password(alice_client: Client, alice: User) -> None:
    response = alice_client.post(
        "/account/email/change/", {"email": "alice.new@example.org", "password": "nope"}
    )
    assert "password" in response.context["email_form"].errors
    assert mail.outbox == []


def test_moving_to_a_used_address_answers_the_same_and_changes_nothing(
    alice_client: Client, alice: User, bob: User
) -> None:
    answer = alice_client.post(
        "/account/email/change/", {"email": "bob@example.org", "password": PASSWORD}, follow=True
    )
    assert "We sent a link to bob@example.org" in answer.content.decode()
    assert mail.outbox[-1].to == ["bob@example.org"]
    assert "/account/email/confirm/" not in mail.outbox[-1].body
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_the_two_factor_key_is_shown_as_text(alice_client: Client, alice: User) -> None:
    page = alice_client.get("/account/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=alice)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert shown is not None
    assert shown.group(1).replace(" ", "") == secret
    assert f"secret={secret}" in device.config_url


def test_without_smtp_the_new_address_is_not_said_to_be_sent_a_link(
    alice_client: Client,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    answer = alice_client.post(
        "/account/email/change/",
        {"email": "alice.new@example.org", "password": PASSWORD},
        follow=True,
    ).content.decode()
    assert "We sent a link" not in answer
    assert "cannot send e-mail" in answer and "log" in answer
