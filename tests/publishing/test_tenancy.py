"""Charlie, outside workspace A, can neither see nor act on its posts and channels."""

from __future__ import annotations

import pytest

from chorus.channels.models import Channel
from chorus.publishing import approvals, services

from .conftest import scheduled


def test_charlie_cannot_post_to_a_channel_of_a(charlie, workspace_c, channel_a) -> None:
    with pytest.raises(services.PublishingRuleBroken):
        services.create_post(workspace_c, charlie, "Sneaky", [channel_a])


def test_charlie_cannot_write_in_workspace_a(charlie, workspace_a, channel_a) -> None:
    with pytest.raises(services.PublishingRuleBroken):
        services.create_post(workspace_a, charlie, "Sneaky", [channel_a])


def test_charlie_cannot_approve_in_workspace_a(alice, charlie, channel_a) -> None:
    post = services.create_post(channel_a.workspace, alice, "A's post", [channel_a])
    with pytest.raises(services.PublishingRuleBroken):
        approvals.approve(post, by=charlie)


def test_queries_are_scoped(alice, workspace_a, workspace_c, channel_a, channel_c) -> None:
    target = scheduled(alice, channel_a, "A only")

    assert list(services.targets_of(workspace_c)) == []
    assert list(services.targets_of(workspace_a)) == [target]
    assert list(Channel.objects.of(workspace_c)) == [channel_c]


def test_charlie_sees_no_channel_of_a_in_pages(charlie_client, channel_a) -> None:
    response = charlie_client.get("/channels/")
    assert channel_a.name not in response.content.decode()
    assert charlie_client.get(f"/channels/{channel_a.pk}/").status_code == 404
