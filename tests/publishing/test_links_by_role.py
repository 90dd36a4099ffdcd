"""Walked as a client and an analyst: "New post", "Import" and "Hashtags and snippets" led to
403 pages. Only those who may write posts are offered them."""

from __future__ import annotations

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.workspaces.models import Membership, Role, Workspace
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db
PAGES = ["/today/", "/publishing/calendar/", "/publishing/media/", "/publishing/posts/"]
WRITING = [
    'href="/publishing/compose/"',
    'href="/publishing/import/"',
    'href="/publishing/library/"',
]


@pytest.mark.parametrize("role", [Role.CLIENT, Role.ANALYST])
def test_readers_are_not_offered_pages_that_refuse_them(
    bob: User, workspace_a: Workspace, role: str
) -> None:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=role)
    client = signed_in(bob)
    for url in PAGES:
        page = client.get(url).content.decode()
        assert [link for link in WRITING if link in page] == [], url
    assert client.get("/publishing/compose/").status_code == 403  # what the links led to


def test_writers_are_offered_them(alice_client: Client) -> None:
    pages = "".join(alice_client.get(url).content.decode() for url in PAGES)
    assert all(link in pages for link in WRITING)
