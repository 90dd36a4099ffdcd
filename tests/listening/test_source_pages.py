"""The sources pages: roles, tenancy, the form made from a kind's fields, bad input, health."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from chorus.channels.models import Channel
from chorus.listening.models import ListeningSource, Mention, SourceHealth
from chorus.workspaces.models import Membership, Role, Workspace
from tests.loopback import Loopback, Reply, serving

FEED = (Path(__file__).parent / "sources" / "feeds" / "wordpress_rss2.xml").read_bytes()
RSS = {"content-type": "application/rss+xml; charset=UTF-8"}


@pytest.fixture
def feed() -> Iterator[Loopback]:
    with serving() as loopback:
        loopback.on("GET", "/feed", Reply(body=FEED, headers=RSS))
        yield loopback


@pytest.fixture
def contributor_bob(bob, workspace_a: Workspace):  # type: ignore[no-untyped-def]
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    return bob


def rss_source(workspace: Workspace, url: str, name: str = "Léa's blog") -> ListeningSource:
    return ListeningSource.objects.create(
        workspace=workspace, kind="rss", name=name, settings={"url": url}
    )


def url(name: str, *args: object) -> str:
    return reverse(f"listening:{name}", args=args)


def test_adding_a_feed_reads_it_and_the_list_shows_its_health(
    alice_client: Client, workspace_a: Workspace, feed: Loopback
) -> None:
    answer = alice_client.post(
        url("source_new", "rss"),
        {"name": "Léa's blog", "setting_url": feed.root + "/feed", "poll_every_seconds": "300"},
    )

    assert answer.status_code == 302
    source = ListeningSource.objects.get(workspace=workspace_a)
    assert source.settings == {"url": feed.root + "/feed"} and source.health == SourceHealth.OK
    assert source.last_batch_size == 2  # read at once, in the background
    assert Mention.objects.filter(workspace=workspace_a, source=source).count() == 2
    page = alice_client.get(url("sources")).content.decode()
    assert "Léa&#x27;s blog" in page and "Working" in page and "2 posts" in page


def test_a_failing_source_shows_its_error_and_next_try(
    alice_client: Client, workspace_a: Workspace, feed: Loopback
) -> None:
    feed.on("GET", "/feed", Reply(503, b"down", {"content-type": "text/plain"}))
    source = rss_source(workspace_a, feed.root + "/feed")

    assert alice_client.post(url("source_read_now", source.pk)).status_code == 302

    source.refresh_from_db()
    assert source.health == SourceHealth.FAILING and source.failures == 1
    page = alice_client.get(url("sources")).content.decode()
    assert "Failing, retrying" in page and "HTTP 503" in page and "next try" in page


def test_bad_input_is_refused_and_keeps_what_was_stored(
    alice_client: Client, workspace_a: Workspace
) -> None:
    source = rss_source(workspace_a, "https://carnet.example.org/feed/")
    source.cursor = {"etag": '"v1"', "seen": ["a"]}
    source.save()

    for bad in ["javascript:alert(1)", "http://10.1.2.3/feed", ""]:
        answer = alice_client.post(
            url("source_edit", source.pk),
            {"name": "Changed", "setting_url": bad, "poll_every_seconds": "300"},
        )
        assert answer.status_code == 422

    source.refresh_from_db()
    assert source.name == "Léa's blog" and source.settings == {
        "url": "https://carnet.example.org/feed/"
    }
    assert source.cursor == {"etag": '"v1"', "seen": ["a"]}


def test_the_private_address_refusal_says_why(alice_client: Client) -> None:
    answer = alice_client.post(
        url("source_new", "rss"),
        {
            "name": "Intranet",
            "setting_url": "http://192.168.1.10/feed",
            "poll_every_seconds": "300",
        },
    )
    assert answer.status_code == 422
    assert "private network" in answer.content.decode()
    assert not ListeningSource.objects.exists()


def test_changing_what_a_source_reads_starts_it_afresh(
    alice_client: Client, workspace_a: Workspace
) -> None:
    source = rss_source(workspace_a, "https://carnet.example.org/feed/")
    source.cursor = {"seen": ["a"]}
    source.save()

    alice_client.post(
        url("source_edit", source.pk),
        {
            "name": "Blog",
            "setting_url": "https://other.example.org/feed",
            "poll_every_seconds": "900",
        },
    )

    source.refresh_from_db()
    assert source.cursor == {} and source.poll_every_seconds == 900


def test_a_kind_reading_with_an_account_offers_only_the_workspaces_accounts(
    alice_client: Client, channel_a: Channel, workspace_c: Workspace
) -> None:
    theirs = Channel.objects.create(
        workspace=workspace_c, network="mastodon", name="C's account", remote_id="9"
    )
    page = alice_client.get(url("source_new", "mastodon")).content.decode()
    assert channel_a.name in page and "C&#x27;s account" not in page

    answer = alice_client.post(
        url("source_new", "mastodon"),
        {
            "name": "Tag",
            "setting_hashtag": "chorus",
            "channel": theirs.pk,
            "poll_every_seconds": "300",
        },
    )
    assert answer.status_code == 422 and not ListeningSource.objects.exists()


def test_without_an_account_of_that_network_the_page_says_to_connect_one(
    alice_client: Client,
) -> None:
    page = alice_client.get(url("source_new", "bluesky")).content.decode()
    assert "Connect a channel" in page and "setting_terms" not in page


def test_kinds_the_operator_has_not_set_up_are_not_offered(
    alice_client: Client,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.CHORUS_REDDIT_CLIENT_ID = ""
    settings.CHORUS_YOUTUBE_API_KEY = ""
    chooser = alice_client.get(url("source_choose")).content.decode()
    assert url("source_new", "rss") in chooser and url("source_new", "reddit") not in chooser
    assert alice_client.get(url("source_new", "reddit")).status_code == 404
    assert alice_client.get(url("source_new", "nonsense")).status_code == 404


def test_pause_and_resume(alice_client: Client, workspace_a: Workspace) -> None:
    source = rss_source(workspace_a, "https://carnet.example.org/feed/")
    source.health, source.failures = SourceHealth.FAILING, 3
    source.save()

    alice_client.post(url("source_pause", source.pk))
    source.refresh_from_db()
    assert not source.is_active and source.health == SourceHealth.PAUSED
    assert alice_client.post(url("source_read_now", source.pk)).status_code == 302
    source.refresh_from_db()
    assert source.last_polled_at is None  # a paused source is not read

    alice_client.post(url("source_pause", source.pk))
    source.refresh_from_db()
    assert source.is_active and source.health == SourceHealth.OK and source.failures == 0


def test_deleting_a_source_keeps_its_mentions(
    alice_client: Client, workspace_a: Workspace, feed: Loopback
) -> None:
    source = rss_source(workspace_a, feed.root + "/feed")
    alice_client.post(url("source_read_now", source.pk))
    assert alice_client.get(url("source_delete", source.pk)).status_code == 200

    alice_client.post(url("source_delete", source.pk))

    assert not ListeningSource.objects.exists()
    assert Mention.objects.filter(workspace=workspace_a, source=None).count() == 2


def test_bob_the_editor_may_change_sources(bob_client: Client, workspace_a: Workspace) -> None:
    source = rss_source(workspace_a, "https://carnet.example.org/feed/")
    assert bob_client.get(url("source_edit", source.pk)).status_code == 200
    assert bob_client.post(url("source_pause", source.pk)).status_code == 302


def test_a_contributor_sees_sources_but_changes_none(
    contributor_bob,
    bob_client: Client,
    workspace_a: Workspace,  # type: ignore[no-untyped-def]
) -> None:
    source = rss_source(workspace_a, "https://carnet.example.org/feed/")

    page = bob_client.get(url("sources"))
    assert page.status_code == 200 and "Léa&#x27;s blog" in page.content.decode()
    assert url("source_edit", source.pk) not in page.content.decode()
    for name in ("source_edit", "source_delete"):
        assert bob_client.get(url(name, source.pk)).status_code == 403
    for name in ("source_pause", "source_read_now", "source_delete"):
        assert bob_client.post(url(name, source.pk)).status_code == 403
    assert bob_client.get(url("source_choose")).status_code == 403
    assert bob_client.post(url("source_new", "rss"), {"name": "x"}).status_code == 403
    source.refresh_from_db()
    assert source.is_active and ListeningSource.objects.count() == 1


def test_charlie_never_sees_nor_touches_workspace_as_sources(
    charlie_client: Client, workspace_a: Workspace
) -> None:
    source = rss_source(workspace_a, "https://carnet.example.org/feed/")

    assert "Léa" not in charlie_client.get(url("sources")).content.decode()
    for name in ("source_edit", "source_delete"):
        assert charlie_client.get(url(name, source.pk)).status_code == 404
    for name in ("source_pause", "source_read_now", "source_delete"):
        assert charlie_client.post(url(name, source.pk)).status_code == 404
    source.refresh_from_db()
    assert source.is_active and source.name == "Léa's blog"


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    answer = client.get(url("sources"))
    assert answer.status_code == 302 and "signin" in answer["Location"]
