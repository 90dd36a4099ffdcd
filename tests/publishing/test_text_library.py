"""Hashtag groups and snippets: add, edit, delete, names unique per workspace, tenancy."""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.publishing.models import HashtagGroup, Snippet
from chorus.workspaces.models import Workspace

pytestmark = pytest.mark.django_db
LIBRARY = "/publishing/library/"


def test_add_edit_and_delete(alice_client: Client, workspace_a: Workspace) -> None:
    alice_client.post(
        LIBRARY, {"kind": "hashtags", "hashtags-name": "Launch", "hashtags-hashtags": "#bike #lyon"}
    )
    alice_client.post(
        LIBRARY,
        {"kind": "snippet", "snippet-name": "Sign-off", "snippet-text": "The Vélo Club team"},
    )
    group = HashtagGroup.objects.get(workspace=workspace_a)
    snippet = Snippet.objects.get(workspace=workspace_a)
    assert (group.name, group.hashtags, snippet.text) == (
        "Launch",
        "#bike #lyon",
        "The Vélo Club team",
    )

    alice_client.post(
        f"/publishing/library/hashtags/{group.pk}/", {"name": "Launch", "hashtags": "#velo"}
    )
    group.refresh_from_db()
    assert group.hashtags == "#velo"

    alice_client.post(f"/publishing/library/snippet/{snippet.pk}/delete/")
    assert not Snippet.objects.exists()


def test_a_name_already_used_is_a_field_error(alice_client: Client, workspace_a: Workspace) -> None:
    HashtagGroup.objects.create(workspace=workspace_a, name="Launch", hashtags="#a")
    page = alice_client.post(
        LIBRARY, {"kind": "hashtags", "hashtags-name": "Launch", "hashtags-hashtags": "#b"}
    ).content.decode()
    assert "This name is already used." in page
    assert HashtagGroup.objects.count() == 1


def test_the_same_name_is_fine_in_another_workspace(
    charlie_client: Client, workspace_a: Workspace, workspace_c: Workspace
) -> None:
    HashtagGroup.objects.create(workspace=workspace_a, name="Launch", hashtags="#a")
    charlie_client.post(
        LIBRARY, {"kind": "hashtags", "hashtags-name": "Launch", "hashtags-hashtags": "#c"}
    )
    assert HashtagGroup.objects.filter(workspace=workspace_c).count() == 1


def test_charlie_cannot_see_or_touch_workspace_as_words(
    charlie_client: Client, workspace_a: Workspace
) -> None:
    group = HashtagGroup.objects.create(workspace=workspace_a, name="Secret launch", hashtags="#a")
    snippet = Snippet.objects.create(workspace=workspace_a, name="Secret line", text="x")
    assert "Secret" not in charlie_client.get(LIBRARY).content.decode()
    assert charlie_client.get(f"/publishing/library/hashtags/{group.pk}/").status_code == 404
    assert (
        charlie_client.post(f"/publishing/library/snippet/{snippet.pk}/delete/").status_code == 404
    )
    assert (
        charlie_client.post(
            f"/publishing/library/hashtags/{group.pk}/", {"name": "Mine", "hashtags": "#c"}
        ).status_code
        == 404
    )
    group.refresh_from_db()
    assert group.name == "Secret launch" and Snippet.objects.exists()
