"""The analytics pages on a big workspace, in process: how long each page takes to build.

One workspace with 50 channels, 20,000 published posts over 12 months (with their PostMetrics),
a ChannelDay per channel and day, and an inbox (conversations and messages over the year; sizes
below, smaller than the issue's full benchmark so it builds in minutes on a shared machine).
Each page is requested ``--rounds`` times through Django's test client (no HTTP server: the
view, its queries and the template are what is timed). The last output line is one JSON object.

    python bench/analytics_dashboard.py --rounds 20
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_adash_bench \
        python bench/analytics_dashboard.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
CHANNELS, POSTS, CONVERSATIONS, MESSAGES_EACH = 50, 20_000, 40_000, 5
PAGES = {
    "dashboard_30d": "/analytics/?range=30",
    "dashboard_year": "/analytics/?range=custom&start={year_ago}&end={today}",
    "channels_30d": "/analytics/channels/?range=30",
    "posts_30d": "/analytics/posts/?range=30&order=rate_per_follower",
    "best_times": "/analytics/best-times/",
    "community_30d": "/analytics/community/?range=30",
}


def _setup() -> None:
    if not os.environ.get("DATABASE_URL"):
        scratch = Path(tempfile.mkdtemp(prefix="chorus-bench-analytics-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch / 'bench.sqlite3'}"
    os.environ.setdefault("CHORUS_SECRET_KEY", "bench-only-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0) if _has_tables() else None
    call_command("migrate", verbosity=0)


def _has_tables() -> bool:
    from django.db import connection

    return "analytics_postmetrics" in connection.introspection.table_names()


def _fill(now: datetime) -> tuple[object, object]:
    from chorus.accounts.models import User
    from chorus.analytics.models import ChannelDay, PostMetrics
    from chorus.channels.models import Channel
    from chorus.publishing.models import Post, PostTarget, State
    from chorus.workspaces.models import Membership, Role, Workspace

    rng = random.Random(7)
    owner = User.objects.create_user(email="bench@chorus.invalid", password="x")
    workspace = Workspace.objects.create(name="Bench", slug="bench", timezone="Europe/Paris")
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    channels = Channel.objects.bulk_create(
        Channel(workspace=workspace, network=("mastodon", "bluesky")[n % 2], name=f"Channel {n}",
                remote_id=f"c{n}") for n in range(CHANNELS)
    )  # fmt: skip
    days = [(now - timedelta(days=d)).date() for d in range(366)]
    ChannelDay.objects.bulk_create(
        (ChannelDay(workspace=workspace, channel=c, day=day, followers=1000 + i + n)
         for n, c in enumerate(channels) for i, day in enumerate(reversed(days))),
        batch_size=2000,
    )  # fmt: skip
    times = [now - timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(POSTS)]
    posts = Post.objects.bulk_create(
        (Post(workspace=workspace, text=f"post {i}", created_at=at) for i, at in enumerate(times)),
        batch_size=2000,
    )
    targets = PostTarget.objects.bulk_create(
        (PostTarget(workspace=workspace, post=p, channel=channels[i % CHANNELS],
                    state=State.PUBLISHED, published_at=at)
         for i, (p, at) in enumerate(zip(posts, times, strict=True))),
        batch_size=2000,
    )  # fmt: skip
    PostMetrics.objects.bulk_create(
        (PostMetrics(workspace=workspace, target=t, channel_id=t.channel_id, network="mastodon",
                     published_at=t.published_at, followers_at_publish=1500,
                     likes=rng.randrange(50), shares=rng.randrange(10), replies=rng.randrange(5),
                     engagements=rng.randrange(65)) for t in targets),
        batch_size=2000,
    )  # fmt: skip
    _fill_inbox(workspace, channels, owner, now, rng)
    return owner, workspace


def _fill_inbox(workspace, channels, owner, now, rng) -> None:  # type: ignore[no-untyped-def]
    from chorus.inbox.models import Conversation, Direction, Message

    started = [now - timedelta(minutes=rng.randrange(365 * 24 * 60)) for _ in range(CONVERSATIONS)]
    talks = Conversation.objects.bulk_create(
        (Conversation(workspace=workspace, channel=channels[i % CHANNELS], remote_id=f"t{i}",
                      first_message_at=at, last_message_at=at, assignee=owner if i % 3 else None,
                      first_response_at=at + timedelta(minutes=rng.randrange(30, 3000))
                      if i % 4 else None)
         for i, at in enumerate(started)),
        batch_size=2000,
    )  # fmt: skip
    sentiments = ("positive", "neutral", "negative", "")
    Message.objects.bulk_create(
        (Message(workspace=workspace, conversation=t, channel_id=t.channel_id,
                 remote_id=f"m{t.pk}-{k}", direction=Direction.INCOMING,
                 created_at=t.first_message_at + timedelta(minutes=k),
                 sentiment=sentiments[(t.pk + k) % 4])
         for t in talks for k in range(MESSAGES_EACH)),
        batch_size=5000,
    )  # fmt: skip


def _time_pages(owner, workspace, rounds: int, now: datetime) -> dict[str, dict[str, float]]:  # type: ignore[no-untyped-def]
    from django.test import Client

    client = Client()
    client.force_login(owner)
    today = now.date()
    found = {}
    for name, url in PAGES.items():
        url = url.format(year_ago=today - timedelta(days=364), today=today)
        assert client.get(url).status_code == 200  # warm
        spent = []
        for _ in range(rounds):
            start = time.perf_counter()
            client.get(url)
            spent.append((time.perf_counter() - start) * 1000)
        spent.sort()
        found[name] = {
            "p50_ms": round(statistics.median(spent), 1),
            "p95_ms": round(spent[max(int(len(spent) * 0.95) - 1, 0)], 1),
        }
        print(name, found[name], flush=True)
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    _setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    now = datetime.now(UTC)
    began = time.perf_counter()
    owner, workspace = _fill(now)
    print(f"filled in {time.perf_counter() - began:.0f} s", flush=True)
    pages = _time_pages(owner, workspace, args.rounds, now)
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(json.dumps({"database": vendor, "posts": POSTS, "channels": CHANNELS,
                      "conversations": CONVERSATIONS, "messages": CONVERSATIONS * MESSAGES_EACH,
                      "load_average": os.getloadavg()[0], "pages": pages}))  # fmt: skip


if __name__ == "__main__":
    main()
