"""A year of analytics data, fast: the data set of the analytics benchmark (issue 13).

``build_dataset(scale)`` fills one workspace with 50 channels, 20,000 published posts over
12 months, their figures (one PostMetrics row each), 1,000,000 PostSnapshot rows, a ChannelDay
per channel per day and 1,000,000 inbox messages (in 100,000 conversations) — ``scale``
multiplies the posts, snapshots and messages (0.01 for a quick run).

Rows go in with plain SQL in chunks: COPY on PostgreSQL, executemany on SQLite, values made
in Python once per row (the ORM's per-field preparation of a million rows costs minutes).
Primary keys are chosen here so later rows can point at them; the sequences are reset after.
Django must be set up before importing this module's functions are called.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any
from zoneinfo import ZoneInfo

CHUNK = 20_000
NETWORK_MIX = (("mastodon", 20), ("bluesky", 15), ("matrix", 5), ("telegram", 5), ("discord", 5))
SENTIMENTS = ("positive", "neutral", "negative", "")
LANGUAGES = ("fr", "en")
ZONE = "Europe/Paris"


@dataclass
class Dataset:
    workspace_id: int
    slug: str
    channel_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


# -- writing many rows --------------------------------------------------------------------


def _columns(model: Any, given: Sequence[str]) -> tuple[list[str], list[Any]]:
    """All columns to write: the ``given`` attnames, then every other one with its default."""
    from django.db import models
    from django.utils import timezone

    names, defaults = list(given), []
    for model_field in model._meta.concrete_fields:
        if model_field.attname in given or model_field.attname == "id":
            continue
        names.append(model_field.attname)
        if isinstance(model_field, models.DateTimeField) and (
            model_field.auto_now or model_field.auto_now_add
        ):
            value: Any = timezone.now()
        else:
            value = model_field.get_default()
        if isinstance(model_field, models.JSONField) and value is not None:
            value = json.dumps(value)
        defaults.append(value)
    return names, defaults


def insert_rows(model: Any, given: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert ``rows`` (values of the ``given`` attnames, in order); other columns get their
    model default. Returns how many."""
    from django.db import connection

    names, defaults = _columns(model, given)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)
    table = connection.ops.quote_name(model._meta.db_table)
    tail = tuple(defaults)
    written = 0
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        full = [row + tail for row in chunk]
        written += len(full)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in full:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(names))
                sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
                cursor.executemany(sql, [_sqlite_row(row) for row in full])
    return written


def _sqlite_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """Dates as Django stores them on SQLite (UTC, naive, text); ours are all UTC already."""
    return tuple(
        v.replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v for v in row
    )


def next_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def reset_sequences(*models: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


# -- the data set -----------------------------------------------------------------------------


def build_dataset(scale: float = 1.0, *, seed: int = 13, slug: str = "bench-analytics") -> Dataset:
    """The workspace, its channels, a year of posts, figures, channel days and messages."""
    from django.db import connection, transaction
    from django.utils import timezone

    rng = random.Random(seed)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # indexes of a million rows: keep pages in memory
            cursor.execute("PRAGMA cache_size = -400000")
    dataset = _workspace(slug)
    steps = (
        ("posts", lambda: _posts(dataset, round(20_000 * scale), now, rng)),
        ("figures", lambda: _figures(dataset, round(1_000_000 * scale), now, rng)),
        ("channel_days", lambda: _channel_days(dataset, now)),
        ("messages", lambda: _messages(dataset, round(1_000_000 * scale), now, rng)),
    )
    for name, step in steps:
        began = time.perf_counter()
        with transaction.atomic():
            step()
        dataset.seconds[name] = round(time.perf_counter() - began, 2)
    return dataset


def _workspace(slug: str) -> Dataset:
    from chorus.accounts.models import User
    from chorus.channels.models import Channel
    from chorus.workspaces.models import Membership, Role, Workspace

    user = User.objects.create_user(
        email=f"{slug}@example.org", password=uuid.uuid4().hex, full_name="Bench Analyst"
    )
    workspace = Workspace.objects.create(name="Bench analytics", slug=slug, timezone=ZONE)
    Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    channel_ids = []
    for network, count in NETWORK_MIX:
        for number in range(count):
            channel = Channel(
                workspace=workspace,
                network=network,
                name=f"{network.title()} {number + 1}",
                remote_id=f"{network}-{number}",
            )
            channel.credentials = {"access_token": f"tok-{number}"}
            channel.save()
            channel_ids.append(channel.pk)
    return Dataset(workspace_id=workspace.pk, slug=slug, channel_ids=channel_ids)


def _networks(dataset: Dataset) -> dict[int, str]:
    from chorus.channels.models import Channel

    return dict(Channel.objects.filter(pk__in=dataset.channel_ids).values_list("pk", "network"))


def _posts(dataset: Dataset, count: int, now: datetime, rng: random.Random) -> None:
    """Published posts, one variant each, spread over the last 365 days at daytime hours."""
    from django.db import connection

    from chorus.publishing.models import Post, PostTarget, State

    first_post, first_target = next_id(Post), next_id(PostTarget)
    key_field = PostTarget._meta.get_field("idempotency_key")
    posts, targets = [], []
    for n in range(count):
        at = now - timedelta(days=rng.uniform(0, 365))
        at = at.replace(hour=rng.choice((8, 9, 10, 12, 13, 17, 18, 19, 20)))
        text = f"Post {n}: news from the brand #{n % 40}"
        channel = dataset.channel_ids[n % len(dataset.channel_ids)]
        posts.append((first_post + n, dataset.workspace_id, text, at))
        key = key_field.get_db_prep_value(uuid.uuid4(), connection)
        targets.append(
            (first_target + n, dataset.workspace_id, first_post + n, channel, text,
             State.PUBLISHED.value, at, at, f"{110_000_000_000 + n}", at, key)
        )  # fmt: skip
    insert_rows(Post, ("id", "workspace_id", "text", "created_at"), posts)
    insert_rows(
        PostTarget,
        ("id", "workspace_id", "post_id", "channel_id", "text", "state", "scheduled_at",
         "due_at", "remote_id", "published_at", "idempotency_key"),
        targets,
    )  # fmt: skip
    reset_sequences(Post, PostTarget)
    dataset.counts["posts"] = count


def _figures(dataset: Dataset, snapshots: int, now: datetime, rng: random.Random) -> None:
    """PostMetrics for every post, and ``snapshots`` PostSnapshot rows over the readable ones."""
    from chorus.analytics import schedule
    from chorus.analytics.models import PostMetrics, PostSnapshot
    from chorus.analytics.network_figures import engagements, figures_of_network
    from chorus.publishing.models import PostTarget

    networks = _networks(dataset)
    targets = list(
        PostTarget.objects.filter(workspace_id=dataset.workspace_id).values_list(
            "pk", "channel_id", "published_at"
        )
    )
    readable = [t for t in targets if figures_of_network(networks[t[1]]).reads_posts]
    per_post, extra = divmod(snapshots, max(1, len(readable)))
    metric_rows, snapshot_rows = [], []
    for target_id, channel_id, published_at in targets:
        network = networks[channel_id]
        final = _final_figures(network, rng)
        step = schedule.step_after_read(published_at, now, -1) if final else 0
        metric_rows.append(
            (dataset.workspace_id, target_id, channel_id, network, published_at,
             *_ordered(final), engagements(network, final) if final else None,
             _followers(channel_id, published_at, now), step,
             schedule.read_at(published_at, target_id, step) if final else None,
             now if final else None)
        )  # fmt: skip
        if final:
            many = max(1, per_post + (1 if len(snapshot_rows) < extra else 0))
            snapshot_rows.append((target_id, published_at, final, many))
    insert_rows(
        PostMetrics,
        ("workspace_id", "target_id", "channel_id", "network", "published_at",
         *FIGURE_COLUMNS, "engagements", "followers_at_publish", "step", "next_read_at",
         "last_read_at"),
        metric_rows,
    )  # fmt: skip
    written = insert_rows(
        PostSnapshot,
        ("workspace_id", "target_id", "taken_at", "age_hours", *FIGURE_COLUMNS),
        _snapshots(dataset.workspace_id, snapshot_rows, snapshots),
    )
    dataset.counts.update(post_metrics=len(metric_rows), snapshots=written)


FIGURE_COLUMNS = (
    "likes", "shares", "replies", "quotes", "reactions", "views", "impressions", "reach",
    "clicks", "saves",
)  # fmt: skip


def _ordered(figures: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(figures.get(name) for name in FIGURE_COLUMNS)


def _final_figures(network: str, rng: random.Random) -> dict[str, Any]:
    from chorus.analytics.network_figures import figures_of_network

    reach = rng.lognormvariate(2.5, 1.0)
    typical = {"likes": 1.0, "shares": 0.3, "replies": 0.2, "quotes": 0.05, "reactions": 0.8,
               "saves": 0.1}  # fmt: skip
    given = figures_of_network(network).post_figures
    return {name: int(reach * typical.get(name, 0.1)) for name in given}


def _snapshots(
    workspace_id: int, posts: list[tuple[int, datetime, dict[str, Any], int]], total: int
) -> Iterator[tuple[Any, ...]]:
    """``per_post`` readings of each post, growing towards its final figures."""
    made = 0
    for target_id, published_at, final, per_post in posts:
        for n in range(1, per_post + 1):
            if made >= total:
                return
            share = n / per_post
            age = n * 12  # hours
            figures = {name: int(value * share) for name, value in final.items()}
            yield (workspace_id, target_id, published_at + timedelta(hours=age), age,
                   *_ordered(figures))  # fmt: skip
            made += 1


def _followers(channel_id: int, moment: datetime, now: datetime) -> int:
    """A channel's audience, growing steadily over the year (and different per channel)."""
    days_ago = max(0.0, (now - moment).total_seconds() / 86400)
    return int(1000 + channel_id * 37 + (365 - days_ago) * (3 + channel_id % 5))


def _channel_days(dataset: Dataset, now: datetime) -> None:
    from chorus.analytics.models import ChannelDay
    from chorus.analytics.network_figures import figures_of_network
    from chorus.publishing.models import PostTarget

    zone = ZoneInfo(ZONE)
    networks = _networks(dataset)
    published = Counter(
        (channel_id, at.astimezone(zone).date())
        for channel_id, at in PostTarget.objects.filter(
            workspace_id=dataset.workspace_id
        ).values_list("channel_id", "published_at")
    )
    today = now.astimezone(zone).date()
    rows = []
    for channel_id in dataset.channel_ids:
        reads = bool(figures_of_network(networks[channel_id]).account_figures)
        for back in range(365):
            day = today - timedelta(days=back)
            moment = now - timedelta(days=back)
            followers = _followers(channel_id, moment, now) if reads else None
            rows.append((dataset.workspace_id, channel_id, day, followers,
                         published[(channel_id, day)]))  # fmt: skip
    insert_rows(
        ChannelDay, ("workspace_id", "channel_id", "day", "followers", "posts_published"), rows
    )
    dataset.counts["channel_days"] = len(rows)


def _messages(dataset: Dataset, count: int, now: datetime, rng: random.Random) -> None:
    """Inbox messages in conversations of ten, a tenth of them the team's answers."""
    from chorus.inbox.models import Conversation, Message
    from chorus.people.models import Author

    networks = _networks(dataset)
    first_author, first_talk = next_id(Author), next_id(Conversation)
    authors = max(1, count // 200)
    author_rows = [
        (first_author + n, dataset.workspace_id, networks[c], f"a{n}", f"person{n}")
        for n in range(authors)
        for c in [dataset.channel_ids[n % len(dataset.channel_ids)]]
    ]
    insert_rows(Author, ("id", "workspace_id", "network", "remote_id", "handle"), author_rows)
    talks = max(1, count // 10)
    starts = [now - timedelta(days=rng.uniform(0, 365)) for _ in range(talks)]
    talk_rows = [
        (first_talk + n, dataset.workspace_id, dataset.channel_ids[n % len(dataset.channel_ids)],
         f"t{n}", first_author + n % authors, "closed", 10, starts[n],
         starts[n] + timedelta(hours=9), starts[n] + timedelta(minutes=30))
        for n in range(talks)
    ]  # fmt: skip
    insert_rows(
        Conversation,
        ("id", "workspace_id", "channel_id", "remote_id", "author_id", "status",
         "message_count", "first_message_at", "last_message_at", "first_response_at"),
        talk_rows,
    )  # fmt: skip
    insert_rows(
        Message,
        ("workspace_id", "conversation_id", "channel_id", "remote_id", "direction",
         "author_id", "text", "created_at", "received_at", "sentiment", "language"),
        _message_rows(dataset, talk_rows, count, rng),
    )  # fmt: skip
    reset_sequences(Author, Conversation)
    dataset.counts.update(authors=authors, conversations=talks, messages=count)


def _message_rows(
    dataset: Dataset, talks: list[tuple[Any, ...]], count: int, rng: random.Random
) -> Iterator[tuple[Any, ...]]:
    for n in range(count):
        talk = talks[n % len(talks)]
        position = n // len(talks)
        at = talk[7] + timedelta(hours=position)
        outgoing = position % 10 == 1
        yield (dataset.workspace_id, talk[0], talk[2], f"m{n}", "out" if outgoing else "in",
               None if outgoing else talk[4], f"Message {n} about the launch", at, at,
               rng.choice(SENTIMENTS), rng.choice(LANGUAGES))  # fmt: skip
