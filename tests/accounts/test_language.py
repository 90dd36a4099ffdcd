import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db


def test_browser_language_is_followed_until_a_person_chooses() -> None:
    page = Client().get("/account/signin/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert "Bon retour" in page.content.decode()


def test_switching_language_is_kept_for_the_person(
    alice_client: Client, alice: User, workspace_a: Workspace
) -> None:
    alice_client.post("/account/language/", {"language": "fr", "next": "/today/"})
    alice.refresh_from_db()
    assert alice.language == "fr"
    assert "Aujourd" in alice_client.get("/today/").content.decode()
    alice_client.post("/account/language/", {"language": "en", "next": "/today/"})
    assert "Today" in alice_client.get("/today/").content.decode()


def test_an_unknown_language_falls_back_to_english(alice_client: Client, alice: User) -> None:
    alice_client.post("/account/language/", {"language": "xx"})
    alice.refresh_from_db()
    assert alice.language == "en"
