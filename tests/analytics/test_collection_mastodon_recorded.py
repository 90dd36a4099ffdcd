"""Collection stores the figures of a REAL recorded Mastodon status (../shared/fixtures)."""

from __future__ import annotations

from datetime import timedelta

import httpx
from django.utils import timezone

from chorus.analytics.collection import collect_due, track_new_publications
from chorus.analytics.models import PostMetrics, PostSnapshot
from chorus.channels.models import Channel
from chorus.core import http as chorus_http
from chorus.workspaces.models import Workspace
from tests.channels.mastodon.mastodon_recordings import BASE_URL, TOKEN, Recording

from .conftest import published

POST = "117020583223442465"


def test_recorded_counts_become_the_posts_figures(workspace_a: Workspace) -> None:
    recording = Recording.of("test_verify_credentials.yaml", "test_status.yaml")
    status = recording.find("GET", f"/api/v1/statuses/{POST}").json()
    account = recording.find("GET", "/api/v1/accounts/verify_credentials").json()
    channel = Channel(workspace=workspace_a, network="mastodon", name="M", remote_id="1")
    channel.credentials = {"access_token": TOKEN}
    channel.settings = {"base_url": BASE_URL}
    channel.save()
    target = published(channel, POST, timezone.now() - timedelta(hours=1, minutes=10))
    track_new_publications()
    http = chorus_http.client(transport=httpx.MockTransport(recording.handle))

    collect_due(http=http)

    row = PostMetrics.objects.get(target=target)
    assert (row.likes, row.shares, row.replies) == (
        status["favourites_count"],
        status["reblogs_count"],
        status["replies_count"],
    )
    assert row.quotes == status.get("quotes_count")  # None where the server has no quotes
    assert row.views is None and row.impressions is None and row.reach is None
    parts = [status["favourites_count"], status["reblogs_count"], status["replies_count"]]
    assert row.engagements == sum(parts) + (status.get("quotes_count") or 0)
    assert row.followers_at_publish == account["followers_count"]
    assert PostSnapshot.objects.filter(target=target, likes=row.likes).count() == 1
