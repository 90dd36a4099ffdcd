import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Membership, Workspace

pytestmark = pytest.mark.django_db


def test_creating_a_workspace_makes_me_its_owner(charlie: User) -> None:
    client = Client()
    client.force_login(charlie)
    response = client.post(
        "/workspace/new/",
        {"name": "  Les Amis  du Vélo ", "timezone": "Europe/Paris", "language": "fr"},
    )
    assert response.status_code == 302
    workspace = Workspace.objects.get(name="Les Amis du Vélo")
    assert workspace.slug == "les-amis-du-velo"
    assert Membership.objects.get(workspace=workspace, user=charlie).role == "owner"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "A", "timezone": "Europe/Paris", "language": "fr"}, "name"),
        ({"name": "Good", "timezone": "Mars/Olympus", "language": "fr"}, "timezone"),
        ({"name": "Good", "timezone": "Europe/Paris", "language": "de"}, "language"),
    ],
)
def test_bad_workspace_input_gets_a_field_error(charlie: User, data: dict, field: str) -> None:
    client = Client()
    client.force_login(charlie)
    response = client.post("/workspace/new/", data)
    assert field in response.context["form"].errors
    assert not Workspace.objects.exists()


def test_switching_between_my_workspaces(alice_client: Client, alice: User) -> None:
    other = Workspace.objects.create(name="Zeta", slug="zeta")
    Membership.objects.create(workspace=other, user=alice, role="owner")
    alice_client.post("/workspace/switch/zeta/")
    assert "Zeta" in alice_client.get("/workspace/settings/").content.decode()
    alice_client.post("/workspace/switch/brand-a/")
    assert 'value="Brand A"' in alice_client.get("/workspace/settings/").content.decode()


def test_a_person_without_workspace_is_asked_to_create_one(charlie: User) -> None:
    client = Client()
    client.force_login(charlie)
    assert client.get("/today/")["Location"] == "/workspace/new/"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_main_language_starts_as_my_interface_language(charlie: User, language: str) -> None:
    client = Client()
    client.force_login(charlie)
    client.post("/account/language/", {"language": language})
    form = client.get("/workspace/new/").context["form"]
    assert form["language"].value() == language
