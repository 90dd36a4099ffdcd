"""Polling sources over real HTTP on loopback: cursor with the batch, backoff, isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.channels.models import Channel, ChannelStatus
from chorus.listening import ingest, polling
from chorus.listening.models import ListeningSource, Mention, SourceHealth
from chorus.workspaces.models import Workspace
from tests.listening.conftest import FeedServer, JsonFeedSource, feed_source

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jsonfeed_kind")]


def post(n: int, text: str = "", url: str = "") -> dict[str, object]:
    return {"n": n, "text": text or f"feed post {n} says something worth reading today", "url": url}


def test_poll_stores_and_moves_the_cursor(workspace_a: Workspace, feed_server: FeedServer) -> None:
    feed_server.posts = [post(1), post(2)]
    source = feed_source(workspace_a, feed_server)
    outcome = polling.poll_source(source)
    assert outcome.error == "" and outcome.stored is not None
    assert len(outcome.stored.mention_ids) == 2
    source.refresh_from_db()
    assert source.cursor == {"since": 2} and source.health == SourceHealth.OK
    feed_server.posts.append(post(3))
    polling.poll_source(source)
    assert feed_server.requests[-1] == "/feed?since=2"  # read from the saved cursor
    assert Mention.objects.count() == 3


def test_crash_between_fetch_and_store_leaves_cursor(
    workspace_a: Workspace, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    feed_server.posts = [post(1), post(2)]
    source = feed_source(workspace_a, feed_server)

    def crash(*args: object) -> None:
        raise RuntimeError("worker killed")

    monkeypatch.setattr(ingest, "_store_matches", crash)
    outcome = polling.poll_source(source)
    assert "could not read this source" in outcome.error
    source.refresh_from_db()
    assert source.cursor == {} and not Mention.objects.exists()
    monkeypatch.undo()
    polling.poll_source(ListeningSource.objects.get(pk=source.pk))  # the batch read again
    assert Mention.objects.count() == 2


def test_transient_errors_back_off_exponentially_capped(
    workspace_a: Workspace, feed_server: FeedServer
) -> None:
    source = feed_source(workspace_a, feed_server)
    waits = []
    for _attempt in range(12):
        feed_server.answers.append((503, {}))
        before = timezone.now()
        outcome = polling.poll_source(source)
        assert outcome.next_poll_at is not None
        waits.append(round((outcome.next_poll_at - before).total_seconds() / 60))
    assert waits[:4] == [1, 2, 4, 8]  # 60 s pace, doubled after each failure
    assert waits[-1] == 6 * 60  # at most six hours
    source.refresh_from_db()
    assert source.failures == 12 and source.health == SourceHealth.FAILING
    assert "HTTP 503" in source.last_error
    feed_server.posts = [post(1)]
    polling.poll_source(source)
    source.refresh_from_db()
    assert (source.failures, source.health, source.last_error) == (0, "ok", "")


def test_rate_limit_waits_the_networks_own_time(
    workspace_a: Workspace, feed_server: FeedServer
) -> None:
    source = feed_source(workspace_a, feed_server)
    feed_server.answers.append((429, {"Retry-After": "900"}))
    before = timezone.now()
    polling.poll_source(source)
    source.refresh_from_db()
    assert timedelta(seconds=899) <= source.next_poll_at - before <= timedelta(seconds=902)
    assert "slow down" in source.last_error


def test_refused_access_asks_to_reconnect(workspace_a: Workspace, feed_server: FeedServer) -> None:
    source = feed_source(workspace_a, feed_server)
    feed_server.answers.append((401, {}))
    polling.poll_source(source)
    source.refresh_from_db()
    assert source.health == SourceHealth.FAILING
    assert "Reconnect the channel" in source.last_error


def test_source_reading_with_a_channel_that_needs_reconnecting(
    workspace_a: Workspace, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(JsonFeedSource, "channel_network", "mastodon")
    channel = Channel.objects.create(
        workspace=workspace_a,
        network="mastodon",
        name="Acme",
        remote_id="1",
        status=ChannelStatus.NEEDS_RECONNECT,
    )
    source = feed_source(workspace_a, feed_server)
    source.channel = channel
    source.save()
    polling.poll_source(source)
    source.refresh_from_db()
    assert "needs reconnecting" in source.last_error
    assert feed_server.requests == []  # not even tried


def test_secrets_echoed_by_a_server_are_not_kept(
    workspace_a: Workspace, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chorus.channels.errors import Permanent

    def leaky(self: JsonFeedSource, cursor: object) -> None:
        raise Permanent("refused https://x.example/feed?access_token=sekr3tsekr3tsekr3t")

    monkeypatch.setattr(JsonFeedSource, "fetch", leaky)
    source = feed_source(workspace_a, feed_server)
    polling.poll_source(source)
    source.refresh_from_db()
    assert "sekr3t" not in source.last_error


def test_one_failing_source_does_not_stop_another(
    workspace_a: Workspace, feed_server: FeedServer
) -> None:
    broken = feed_source(workspace_a, feed_server, name="Broken")
    broken.settings = {"url": "http://127.0.0.1:9"}  # nothing listens there
    broken.save()
    working = feed_source(workspace_a, feed_server, name="Working")
    feed_server.posts = [post(1)]
    assert polling.poll_due_sources() == 2
    broken.refresh_from_db()
    working.refresh_from_db()
    assert broken.health == SourceHealth.FAILING and working.health == SourceHealth.OK
    assert Mention.objects.filter(source=working).count() == 1


def test_a_source_blowing_up_in_the_sweep_does_not_stop_it(
    workspace_a: Workspace, feed_server: FeedServer
) -> None:
    first = feed_source(workspace_a, feed_server, name="First")
    second = feed_source(workspace_a, feed_server, name="Second")
    polled = []

    def enqueue(source_id: int) -> None:
        polled.append(source_id)
        if source_id == first.pk:
            raise RuntimeError("queue down")

    assert polling.poll_due_sources(enqueue) == 2
    assert sorted(polled) == sorted([first.pk, second.pk])


def test_duplicates_across_two_sources_stored_once(
    workspace_a: Workspace, feed_server: FeedServer
) -> None:
    feed_server.posts = [post(1, url="https://news.example.com/acme?utm_medium=rss")]
    first = feed_source(workspace_a, feed_server, name="One")
    second = feed_source(workspace_a, feed_server, name="Two")
    polling.poll_source(first)
    feed_server.posts = [post(7, text=post(1)["text"], url="https://news.example.com/acme")]  # type: ignore[arg-type]
    polling.poll_source(second)
    assert Mention.objects.count() == 1
    second.refresh_from_db()
    assert second.cursor == {"since": 7}  # read, nothing new


def test_claim_is_for_one_caller_only(workspace_a: Workspace, feed_server: FeedServer) -> None:
    source = feed_source(workspace_a, feed_server)
    now = timezone.now()
    assert polling.claim(source.pk, now) is True
    assert polling.claim(source.pk, now) is False  # leased
    assert polling.due_source_ids(now) == []


def test_inactive_and_not_yet_due_sources_are_left_alone(
    workspace_a: Workspace, feed_server: FeedServer
) -> None:
    paused = feed_source(workspace_a, feed_server, name="Paused")
    paused.is_active = False
    paused.save()
    later = feed_source(workspace_a, feed_server, name="Later")
    later.next_poll_at = timezone.now() + timedelta(minutes=5)
    later.save()
    assert polling.poll_due_sources() == 0


def test_the_periodic_task_polls_due_sources(
    workspace_a: Workspace, feed_server: FeedServer
) -> None:
    from chorus.listening import tasks

    feed_server.posts = [post(1)]
    source = feed_source(workspace_a, feed_server)
    tasks.poll_sources_task.call_local()
    source.refresh_from_db()
    assert source.cursor == {"since": 1}


def test_a_source_reading_with_a_channel_gets_its_credentials(
    workspace_a: Workspace, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(JsonFeedSource, "channel_network", "mastodon")
    seen: list[tuple[object, object]] = []
    fetch = JsonFeedSource.fetch

    def spying(self: JsonFeedSource, cursor: object) -> object:
        seen.append((dict(self.channel_credentials), dict(self.channel_settings)))
        return fetch(self, cursor)  # type: ignore[arg-type]

    monkeypatch.setattr(JsonFeedSource, "fetch", spying)
    channel = Channel(workspace=workspace_a, network="mastodon", name="Acme", remote_id="1")
    channel.credentials = {"access_token": "tok-9"}
    channel.settings = {"base_url": "https://social.example"}
    channel.save()
    source = feed_source(workspace_a, feed_server)
    source.channel = channel
    source.save()
    outcome = polling.poll_source(source)
    assert outcome.error == ""
    assert seen == [({"access_token": "tok-9"}, {"base_url": "https://social.example"})]


def test_a_kind_no_longer_installed_fails_in_words(workspace_a: Workspace) -> None:
    source = ListeningSource.objects.create(workspace=workspace_a, kind="gone", name="Old")
    outcome = polling.poll_source(source)
    assert "not installed" in outcome.error
    source.refresh_from_db()
    assert source.health == SourceHealth.FAILING
