"""CSV import of the relations directory: a preview with every row's errors (nothing written),
then a confirmation that writes the good rows; people already there are completed, never
overwritten."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from chorus.engagement.models.relations import Relation, RelationEvent
from chorus.people.models import Author, Person
from tests.engagement.relation_factories import relation

pytestmark = pytest.mark.django_db

URL = reverse("engagement:relation_import")

GOOD_AND_BAD = (
    "name,email,website,topics,notes,mastodon,bluesky\n"
    'Nadia Benali,nadia@example.org,https://nadia.blog,"coffee, latte art",Met in Lyon,'
    "@nadia@coffee.social,nadia.bsky.social\n"
    ",nobody@example.org,,,,,\n"
    "Omar,not-an-email,javascript:alert(1),,,,\n"
    "Léa,,,,,,lea.bsky.social\n"
)


def _upload(client, text: str):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("people.csv", text.encode(), content_type="text/csv")
    return client.post(URL, {"file": upload})


def test_the_preview_shows_each_rows_errors_and_writes_nothing(alice_client, workspace_a):
    response = _upload(alice_client, GOOD_AND_BAD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "The name is missing." in page
    assert "“not-an-email” is not an e-mail address." in page
    assert "The website must be an http or https address." in page
    assert response.context["good"] == 2 and response.context["bad"] == 2
    assert not Relation.objects.exists() and not Person.objects.exists()


def test_confirming_imports_the_good_rows_only(alice_client, workspace_a):
    carried = _upload(alice_client, GOOD_AND_BAD).context["carried"]
    response = alice_client.post(URL, {"confirm": "1", "carried": carried})
    assert response.status_code == 302
    names = sorted(Relation.objects.values_list("person__name", flat=True))
    assert names == ["Léa", "Nadia Benali"]
    nadia = Relation.objects.get(person__name="Nadia Benali")
    assert nadia.topic_list == ["coffee", "latte art"] and nadia.website == "https://nadia.blog"
    handles = set(Author.objects.filter(person=nadia.person).values_list("network", "handle"))
    assert handles == {("mastodon", "nadia@coffee.social"), ("bluesky", "nadia.bsky.social")}
    assert RelationEvent.objects.get(relation=nadia).text == "Met in Lyon"


def test_someone_already_there_is_completed_not_overwritten(alice_client, workspace_a):
    nadia = relation(workspace_a, "Nadia", email="nadia@example.org", topics="coffee",
                     website="https://old.example")  # fmt: skip
    csv = "name,email,website,topics\nN. Benali,NADIA@example.org,https://new.example,tea\n"
    carried = _upload(alice_client, csv).context["carried"]
    alice_client.post(URL, {"confirm": "1", "carried": carried})
    nadia.refresh_from_db()
    assert Relation.objects.count() == 1
    assert (nadia.person.name, nadia.website) == ("Nadia", "https://old.example")
    assert nadia.topic_list == ["coffee", "tea"]


def test_an_existing_account_joins_the_imported_person(alice_client, workspace_a):
    known = Author.objects.create(workspace=workspace_a, network="mastodon", remote_id="109",
                                  handle="nadia@coffee.social", followers=900)  # fmt: skip
    carried = _upload(alice_client, "name,mastodon\nNadia,@Nadia@coffee.social\n").context[
        "carried"
    ]
    alice_client.post(URL, {"confirm": "1", "carried": carried})
    known.refresh_from_db()
    assert known.person is not None and known.person.name == "Nadia"
    assert Author.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"email\nx@example.org\n", "at least “name”"),
        (b"name,shoe size\nNadia,42\n", "Unknown columns: shoe size."),
        (b"name\n", "no rows"),
        ("name\nNadia\n".encode("utf-16"), "not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(alice_client, workspace_a, content, error):
    upload = SimpleUploadedFile("people.csv", content, content_type="text/csv")
    response = alice_client.post(URL, {"file": upload})
    assert response.status_code == 422 and error in response.content.decode()
    assert not Relation.objects.exists()


def test_a_tampered_confirmation_is_refused(alice_client, workspace_a):
    response = alice_client.post(URL, {"confirm": "1", "carried": "%%%not base64"})
    assert response.status_code == 302 and not Relation.objects.exists()


def test_hostile_names_are_escaped_in_the_preview(alice_client, workspace_a):
    page = _upload(alice_client, "name\n<script>alert(1)</script>\n").content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
