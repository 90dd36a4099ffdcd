"""A Mastodon channel on the metrics stand-in (bench/standin_metrics.py, real HTTP on loopback),
and published variants to read the figures of."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest

from bench.standin_metrics import MetricsStandIn
from chorus.channels.models import Channel
from chorus.publishing.models import Post, PostTarget, State
from chorus.workspaces.models import Workspace


@pytest.fixture
def network() -> Iterator[MetricsStandIn]:
    with MetricsStandIn() as server:
        yield server


@pytest.fixture
def mastodon_a(workspace_a: Workspace, network: MetricsStandIn) -> Channel:
    return mastodon_channel(workspace_a, network.root)


def mastodon_channel(workspace: Workspace, root: str, name: str = "Brand A") -> Channel:
    channel = Channel(workspace=workspace, network="mastodon", name=name, remote_id="1")
    channel.credentials = {"access_token": "tok-1"}
    channel.settings = {"base_url": root}
    channel.save()
    return channel


def published(channel: Channel, remote_id: str, at: datetime, text: str = "Hello") -> PostTarget:
    post = Post.objects.create(workspace=channel.workspace, text=text)
    return PostTarget.objects.create(
        workspace=channel.workspace,
        post=post,
        channel=channel,
        text=text,
        state=State.PUBLISHED,
        remote_id=remote_id,
        published_at=at,
    )
