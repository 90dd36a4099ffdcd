"""Hand-made rows for the figures: channels, published variants with their figures, days."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from chorus.accounts.models import User
from chorus.analytics.models import ChannelDay, PostMetrics
from chorus.channels.models import Channel
from chorus.publishing.models import Post, PostTarget, State
from chorus.workspaces.models import Workspace


def channel(
    workspace: Workspace, name: str = "Brand on Mastodon", network: str = "mastodon"
) -> Channel:
    return Channel.objects.create(
        workspace=workspace, network=network, name=name, remote_id=f"{workspace.pk}-{name}"
    )


def published(
    channel: Channel, at: datetime, text: str = "A post", author: User | None = None, **figures: Any
) -> PostMetrics:
    """A post published on ``channel`` at ``at`` with the figures given (the rest NULL)."""
    workspace = channel.workspace
    post = Post.objects.create(workspace=workspace, author=author, text=text)
    target = PostTarget.objects.create(
        workspace=workspace,
        post=post,
        channel=channel,
        text=text,
        state=State.PUBLISHED,
        published_at=at,
        remote_url=f"https://social.example/@brand/{post.pk}",
    )
    return PostMetrics.objects.create(
        workspace=workspace,
        target=target,
        channel=channel,
        network=channel.network,
        published_at=at,
        **figures,
    )


def day(channel: Channel, when: date, followers: int | None, posts: int = 0) -> ChannelDay:
    return ChannelDay.objects.create(
        workspace=channel.workspace,
        channel=channel,
        day=when,
        followers=followers,
        posts_published=posts,
    )
