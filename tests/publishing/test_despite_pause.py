"""While paused, only a post sent with ``publish_despite_pause`` (a crisis's approved holding
statement) goes out: through the sweeper as through a direct dispatch; the rest stays paused and
is not released by it."""

from __future__ import annotations

import pytest

from chorus.publishing import services
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import PostTarget, State
from chorus.publishing.sweeper import dispatch_due

from .conftest import scheduled


def test_the_sweeper_hands_over_only_the_statement(alice, workspace_a, channel_a, standin) -> None:
    services.pause_workspace(workspace_a, by=alice)
    waiting = scheduled(alice, channel_a, "Spring sale")
    statement = services.create_post(workspace_a, alice, "Our statement", [channel_a])
    (target,) = services.publish_despite_pause(statement, by=alice)
    PostTarget.objects.filter(pk__in=[target.pk, waiting.pk]).update(enqueued_at=None)

    handed: list[int] = []
    assert dispatch_due(lambda pk, eta: handed.append(pk)) == 1
    assert handed == [target.pk]
    assert publish_target(target.pk) == "published"
    assert publish_target(waiting.pk) == "paused"
    assert [s.text for s in standin.store.statuses] == ["Our statement"]

    held = services.resume_workspace(workspace_a)
    assert [t.pk for t in held] == [waiting.pk]
    target.refresh_from_db()
    assert target.state == State.PUBLISHED


def test_someone_who_needs_approval_cannot_bypass_the_pause(
    alice, contributor_bob, workspace_a, channel_a
) -> None:
    services.pause_workspace(workspace_a, by=alice)
    post = services.create_post(workspace_a, contributor_bob, "Sneaky", [channel_a])
    with pytest.raises(services.PublishingRuleBroken):
        services.publish_despite_pause(post, by=contributor_bob)
    assert not PostTarget.objects.filter(post=post, despite_pause=True).exists()
