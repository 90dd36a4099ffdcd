"""One person behind several accounts: linking keeps the person one account already has."""

from __future__ import annotations

from chorus.channels import base
from chorus.people import services
from chorus.people.models import Author, Person
from chorus.workspaces.models import Workspace
from tests.inbox import factories


def test_a_new_account_joins_the_person_another_already_has(workspace_a: Workspace) -> None:
    lou = Person.objects.create(workspace=workspace_a, name="Lou")
    on_mastodon = factories.author(workspace_a, handle="lou@piaille.fr")
    Author.objects.filter(pk=on_mastodon.pk).update(person=lou)
    on_mastodon.refresh_from_db()
    on_bluesky = factories.author(workspace_a, handle="lou.bsky.social", network="bluesky")

    person = services.link_identities([on_bluesky, on_mastodon], "Someone else", workspace_a)

    assert person == lou and Person.objects.count() == 1
    on_bluesky.refresh_from_db()
    assert set(services.accounts_of(on_bluesky)) == {on_mastodon, on_bluesky}


def test_an_account_of_its_own_is_its_only_account(workspace_a: Workspace) -> None:
    alone = factories.author(workspace_a)

    assert list(services.accounts_of(alone)) == [alone]


def test_a_message_author_and_a_connected_account_are_one_description() -> None:
    assert base.Author is base.AccountInfo
