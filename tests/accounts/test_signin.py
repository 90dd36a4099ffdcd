import pytest
from django.core.cache import cache
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def test_signin_with_the_right_password_opens_today(alice: User, workspace_a: Workspace) -> None:
    client = Client()
    response = client.post("/account/signin/", {"email": "alice@example.org", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/today/")
    assert page.status_code == 200
    assert "Brand A" in page.content.decode()


def test_wrong_password_is_refused_without_saying_which_part(alice: User) -> None:
    response = Client().post("/account/signin/", {"email": "alice@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_signin_is_rate_limited_after_repeated_failures(alice: User, settings) -> None:  # type: ignore[no-untyped-def]
    settings.CHORUS_SIGNIN_MAX_ATTEMPTS = 3
    client = Client()
    for _ in range(3):
        client.post("/account/signin/", {"email": "alice@example.org", "password": "wrong"})
    blocked = client.post("/account/signin/", {"email": "alice@example.org", "password": PASSWORD})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_signout_needs_a_post(alice_client: Client) -> None:
    assert alice_client.get("/account/signout/").status_code == 405
    alice_client.post("/account/signout/")
    assert alice_client.get("/today/").status_code == 302


def test_pages_ask_to_sign_in_first() -> None:
    response = Client().get("/today/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/signin/")
