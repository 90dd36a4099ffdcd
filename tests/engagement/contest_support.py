"""Builders for the contest tests: a published post, replies to it through the real inbox
ingest, and a contest on it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from chorus.channels.base import Author as NetworkAuthor
from chorus.channels.base import InboxItem
from chorus.channels.models import Channel, ChannelStatus
from chorus.engagement.models import Contest
from chorus.inbox.ingest import ingest
from chorus.publishing.models import Post, PostTarget, State
from chorus.workspaces.models import Workspace


def brand_channel(workspace: Workspace, **fields: Any) -> Channel:
    values: dict[str, Any] = {
        "name": "Brand on Mastodon",
        "remote_id": "brand-1",
        "handle": "brand",
        "settings": {"base_url": "http://127.0.0.1:9"},
        "status": ChannelStatus.ACTIVE,
        **fields,
    }
    return Channel.objects.create(workspace=workspace, network="mastodon", **values)


def published_post(channel: Channel, remote_id: str = "post-1", text: str = "") -> PostTarget:
    text = text or "Win a Chorus mug! Answer with #mug to enter."
    post = Post.objects.create(workspace=channel.workspace, text=text)
    return PostTarget.objects.create(
        workspace=channel.workspace,
        post=post,
        channel=channel,
        text=text,
        state=State.PUBLISHED,
        remote_id=remote_id,
        published_at=timezone.now() - timedelta(days=1),
    )


def replies_to(target: PostTarget, *answers: tuple[str, str], at: datetime | None = None) -> None:
    """Each (author id, text) as a reply to the post, through the inbox's own ingest."""
    at = at or timezone.now() - timedelta(hours=1)
    items = [
        InboxItem(
            remote_id=f"{target.remote_id}-reply-{who}-{n}",
            kind="comment",
            conversation_id=target.remote_id,
            author=NetworkAuthor(remote_id=who, handle=f"{who}@example.social", display_name=who),
            text=text,
            created_at=at + timedelta(seconds=n),
            in_reply_to=target.remote_id,
        )
        for n, (who, text) in enumerate(answers)
    ]
    ingest(target.channel, items)


def contest_on(target: PostTarget, **fields: Any) -> Contest:
    now = timezone.now()
    values: dict[str, Any] = {
        "title": "Mug giveaway",
        "organiser": "Chorus Coffee SAS",
        "prizes": "One mug",
        "opens_at": now - timedelta(days=2),
        "closes_at": now + timedelta(days=2),
        "winners": 1,
        "alternates": 1,
        "randomness_source": "secret",
        "rules_text": "The rules.",
        **fields,
    }
    contest = Contest.objects.create(workspace=target.workspace, **values)
    contest.posts.set([target])
    return contest
