"""Benchmark of the inbox list page with a million messages (issue: inbox).

Fills a fresh database (SQLite file by default, or DATABASE_URL) once with ``--conversations``
conversations of ``--per`` messages each in one workspace, plus a second workspace of noise, then
requests the real pages through Django's test client (middleware, templates and all) and reports
the median time and the number of queries of each: the first page, a filter, a later page
(keyset), a search, and the counts of the filter column cold (cache emptied) and warm.
The last output line is one JSON object.

    python bench/inbox_list.py --conversations 200000 --per 5
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/inbox_bench python bench/inbox_list.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/chorus-inbox-bench.sqlite3")
os.environ.setdefault("CHORUS_SECRET_KEY", "bench-only")
os.environ.setdefault("CHORUS_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chorus.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from chorus.accounts.models import User  # noqa: E402
from chorus.channels.models import Channel  # noqa: E402
from chorus.inbox.models import Author, Conversation, Label, Message  # noqa: E402
from chorus.workspaces import kept  # noqa: E402
from chorus.workspaces.models import Membership, Role, Workspace  # noqa: E402

SENTIMENTS = ("negative", "neutral", "positive")
INTENTS = ("question", "complaint", "praise", "purchase_intent", "other")
WORDS = "café order parcel late thanks great shop open sunday mug blue vegan wifi menu".split()


def fill(workspace: Workspace, conversations: int, per: int, user: User | None) -> None:
    channels = [
        Channel.objects.create(
            workspace=workspace, network=n, name=n, remote_id=f"{n}-{workspace.pk}"
        )
        for n in ("mastodon", "bluesky", "matrix")
    ]
    labels = [Label.objects.create(workspace=workspace, name=f"label {i}") for i in range(8)]
    authors = Author.objects.bulk_create(
        Author(workspace=workspace, network="mastodon", remote_id=f"a{i}",
               handle=f"fan{i}@x.social", display_name=f"Fan {i}")
        for i in range(conversations // 4 + 1)
    )  # fmt: skip
    now = timezone.now()
    batch = 5000
    for start in range(0, conversations, batch):
        talks = Conversation.objects.bulk_create(
            _conversation(workspace, channels, authors, user, i, now)
            for i in range(start, min(start + batch, conversations))
        )
        Message.objects.bulk_create(_message(talk, n) for talk in talks for n in range(per))
        through = Conversation.labels.through
        through.objects.bulk_create(
            through(conversation_id=t.pk, label_id=labels[t.pk % 8].pk) for t in talks[::3]
        )
        print(f"  {workspace.slug}: {start + len(talks)} conversations", file=sys.stderr)


def _conversation(workspace, channels, authors, user, i, now) -> Conversation:  # type: ignore[no-untyped-def]
    at = now - timedelta(seconds=i * 37)
    text = " ".join(WORDS[(i + k) % len(WORDS)] for k in range(8)) + f" #{i}"
    return Conversation(
        workspace=workspace, channel=channels[i % 3], remote_id=f"t{i}", author=authors[i // 4],
        preview=text, status=("new", "pending", "resolved", "resolved")[i % 4],
        sentiment=SENTIMENTS[i % 3], assignee=user if i % 5 == 0 else None,
        last_message_at=at, first_message_at=at, message_count=5,
        response_due_at=at + timedelta(hours=4),
    )  # fmt: skip


def _message(talk: Conversation, n: int) -> Message:
    at = talk.last_message_at - timedelta(minutes=5 - n)
    return Message(
        workspace_id=talk.workspace_id, conversation=talk, channel_id=talk.channel_id,
        remote_id=f"{talk.remote_id}-{n}", author_id=talk.author_id, text=f"{talk.preview} ({n})",
        created_at=at, received_at=at, sentiment=talk.sentiment, intent=INTENTS[n % 5],
    )  # fmt: skip


def measure(client: Client, url: str, runs: int, cold: bool = False) -> dict[str, Any]:
    times, queries = [], 0
    headers = {"HTTP_HX_REQUEST": "true"} if "after=" in url else {}
    for _ in range(runs):
        kept.PAGES.clear()  # the page as made, not as kept: what the list costs to build
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(url, **headers)
            times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured.captured_queries)
    return {"url": url, "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1), "queries": queries}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=200_000)
    parser.add_argument("--per", type=int, default=5)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    user, _new = User.objects.get_or_create(
        email="bench@example.org", defaults={"username": "bench"}
    )
    workspace, created = Workspace.objects.get_or_create(slug="bench", defaults={"name": "Bench"})
    if created:
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
        noise = Workspace.objects.create(slug="noise", name="Noise")
        fill(workspace, args.conversations, args.per, user)
        fill(noise, args.conversations // 4, args.per, None)
    client = Client()
    client.force_login(user)
    from chorus.inbox import listing

    _rows, first = listing.page(listing.conversations(workspace, listing.InboxFilter(), user))
    deep = Conversation.objects.filter(workspace=workspace).order_by("-last_message_at")[
        args.conversations // 2
    ]
    from chorus.inbox.listing import encode_cursor

    results = [
        measure(client, "/inbox/", args.runs, cold=True),
        measure(client, "/inbox/", args.runs),
        measure(client, "/inbox/?view=mine", args.runs),
        measure(client, "/inbox/?sentiment=negative&status=any", args.runs),
        measure(
            client,
            f"/inbox/?label={Label.objects.filter(workspace=workspace).first().pk}",
            args.runs,
        ),  # type: ignore[union-attr]
        measure(client, "/inbox/?network=matrix", args.runs),
        measure(client, f"/inbox/?after={first}", args.runs),
        measure(client, f"/inbox/?status=any&after={encode_cursor(deep)}", args.runs),
        measure(client, "/inbox/?q=parcel", args.runs),
        measure(client, "/inbox/?q=@fan123", args.runs),
        measure(client, "/inbox/?q=nothing-matches-this&status=any", 3),
    ]
    messages = Message.objects.count()
    for row in results:
        print(f"{row['median_ms']:>8} ms  {row['queries']:>2} q  {row['url']}", file=sys.stderr)
    print(json.dumps({"messages": messages, "vendor": connection.vendor, "pages": results}))


if __name__ == "__main__":
    main()
