"""Small builders for the planning tests: channels without a network behind them, posts in place.

Planning pages never talk to a network, so their channels are plain rows; the dispatcher's tests
use the stand-in Mastodon server instead (conftest.py).
"""

from __future__ import annotations

from datetime import datetime

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import Post, PostTarget
from chorus.workspaces.models import Workspace


def make_channel(
    workspace: Workspace, name: str = "Brand on Mastodon", network: str = "mastodon"
) -> Channel:
    return Channel.objects.create(
        workspace=workspace,
        network=network,
        name=name,
        remote_id=f"{network}-{name}",
        handle=f"@{name.lower().replace(' ', '')}@example.social",
    )


def planned(author: User, channels: list[Channel], text: str, when: datetime) -> Post:
    """A post on ``channels`` scheduled at ``when`` (awaiting approval if its author needs it)."""
    post = services.create_post(channels[0].workspace, author, text, channels)
    services.schedule_post(post, when)
    return post


def target_of(post: Post) -> PostTarget:
    (target,) = post.targets.all()
    return target
