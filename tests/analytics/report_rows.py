"""Known figures for report tests: one workspace, two channels, a handful of posts in November
2026 (and one in October, to compare with), and daily follower counts."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from chorus.analytics.models import ChannelDay, PostMetrics
from chorus.channels.models import Channel
from chorus.publishing.models import Post, PostTarget, State
from chorus.workspaces.models import Workspace

# A post's text written to run as a formula in a spreadsheet (CSV injection) and as markup.
HOSTILE_TEXT = '=HYPERLINK("http://evil.example","click") <script>alert(1)</script>'


def channel(workspace: Workspace, name: str, network: str = "mastodon") -> Channel:
    return Channel.objects.create(
        workspace=workspace, network=network, name=name, remote_id=f"{workspace.pk}-{name}"
    )


def published(channel: Channel, at: datetime, text: str, **counts: Any) -> PostMetrics:
    workspace = channel.workspace
    post = Post.objects.create(workspace=workspace, text=text)
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
        **counts,
    )


def november(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def known_figures(workspace: Workspace) -> dict[str, Channel]:
    """November 2026: 3 posts, 160 engagements, 4,000 impressions; followers 1,000 → 1,120 on
    Mastodon; a Matrix room whose network gives no impressions. October: 1 post, 80 engagements.
    """
    shop = channel(workspace, "Brand on Mastodon")
    room = channel(workspace, "Community room", "matrix")
    published(
        shop, november(3), "Our autumn collection is out", engagements=100, likes=70, shares=20,
        replies=10, impressions=2500, followers_at_publish=1000,
    )  # fmt: skip
    published(
        shop, november(10), HOSTILE_TEXT, engagements=40, likes=30, shares=5, replies=5,
        impressions=1500, followers_at_publish=1050,
    )  # fmt: skip
    published(room, november(12), "Town hall on Friday", engagements=20, reactions=15, replies=5)
    published(
        shop, datetime(2026, 10, 20, 12, tzinfo=UTC), "October post", engagements=80,
        impressions=2000, followers_at_publish=950,
    )  # fmt: skip
    for day, followers in ((date(2026, 10, 31), 1000), (date(2026, 11, 15), 1060),
                           (date(2026, 11, 30), 1120)):  # fmt: skip
        ChannelDay.objects.create(workspace=workspace, channel=shop, day=day, followers=followers)
    return {"shop": shop, "room": room}
