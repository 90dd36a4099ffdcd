"""While a workspace is paused nothing goes out; on resume, what fell due is held for a person."""

from __future__ import annotations

from chorus.publishing import services
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import State
from chorus.publishing.sweeper import dispatch_due

from .conftest import scheduled


def test_paused_workspace_publishes_nothing(alice, workspace_a, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "During the crisis")
    services.pause_workspace(workspace_a, by=alice)

    assert dispatch_due(lambda pk, eta: publish_target(pk)) == 0
    assert publish_target(target.pk) == "paused"
    assert standin.store.stats()["statuses"] == 0


def test_resume_holds_what_fell_due(alice, workspace_a, channel_a, standin) -> None:
    target = scheduled(alice, channel_a, "Held")
    services.pause_workspace(workspace_a, by=alice)

    held = services.resume_workspace(workspace_a)

    assert [t.pk for t in held] == [target.pk]
    assert publish_target(target.pk) == "skipped"
    services.publish_now(held[0], by=alice)
    assert publish_target(target.pk) == "published"
    target.refresh_from_db()
    assert target.state == State.PUBLISHED


def test_other_workspaces_keep_publishing(alice, charlie, workspace_a, channel_c, standin) -> None:
    target = scheduled(charlie, channel_c, "Not paused here")
    services.pause_workspace(workspace_a, by=alice)

    assert publish_target(target.pk) == "published"
