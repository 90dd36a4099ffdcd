"""collect_metrics reads what Mastodon declares (post and account figures), from recordings."""

from __future__ import annotations

import httpx
from mastodon_recordings import BASE_URL, TOKEN, Recording

from chorus.channels.metrics import collect_metrics
from chorus.channels.models import Channel
from chorus.channels.registry import get_network
from chorus.core import http as chorus_http

POST = "117020583223442465"


def _channel(workspace) -> Channel:  # type: ignore[no-untyped-def]
    channel = Channel(workspace=workspace, network="mastodon", name="M", remote_id="1")
    channel.credentials = {"access_token": TOKEN}
    channel.settings = {"base_url": BASE_URL}
    channel.save()
    return channel


def test_the_declared_figures_of_posts_and_account_are_read(workspace_a) -> None:
    recording = Recording.of("test_verify_credentials.yaml", "test_status.yaml")
    status = recording.find("GET", f"/api/v1/statuses/{POST}").json()
    account = recording.find("GET", "/api/v1/accounts/verify_credentials").json()
    http = chorus_http.client(transport=httpx.MockTransport(recording.handle))

    reading = collect_metrics(_channel(workspace_a), [POST], http=http)

    assert get_network("mastodon").post_metrics == {"likes", "shares", "replies", "quotes"}
    assert reading.posts[POST] == {
        "likes": status["favourites_count"],
        "shares": status["reblogs_count"],
        "replies": status["replies_count"],
        "quotes": status["quotes_count"],
    }
    assert reading.account == {"followers": account["followers_count"]}
    assert reading.missing == []


def test_a_deleted_post_is_missing_not_an_error(workspace_a) -> None:
    recording = Recording.of("test_verify_credentials.yaml", "test_status_missing.yaml")
    http = chorus_http.client(transport=httpx.MockTransport(recording.handle))

    reading = collect_metrics(_channel(workspace_a), ["0"], http=http)

    assert reading.missing == ["0"] and reading.posts == {}


def test_a_network_without_metrics_reads_nothing(workspace_a) -> None:
    channel = Channel.objects.create(workspace=workspace_a, network="discord", remote_id="9")

    assert collect_metrics(channel, ["1"]).posts == {}
