"""Deleting a post: asked first; a draft or planned post leaves the plan, a published one is
deleted on Mastodon too (recorded real traffic); a network failure is said in words and nothing
is lost; every variant keeps a line in its log. Alice (owner), bob (contributor), charlie."""

from __future__ import annotations

import importlib.util
import sys
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from chorus.channels import services as channel_services
from chorus.channels.models import Channel
from chorus.publishing import services
from chorus.publishing.models import Outcome, Post, PostTarget, State
from chorus.workspaces.models import Membership, Role

pytestmark = pytest.mark.django_db
REMOTE_ID = "117020585846976096"  # the status test_toot.yaml posts, then deletes
STATUS = f"/api/v1/statuses/{REMOTE_ID}"


def _recordings() -> ModuleType:
    path = Path(__file__).parents[1] / "channels" / "mastodon" / "mastodon_recordings.py"
    spec = importlib.util.spec_from_file_location("mastodon_recordings", path)
    assert spec and spec.loader
    if "mastodon_recordings" not in sys.modules:  # its dataclasses look their module up
        module = importlib.util.module_from_spec(spec)
        sys.modules["mastodon_recordings"] = module
        spec.loader.exec_module(module)
    return sys.modules["mastodon_recordings"]


@pytest.fixture
def recording(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Mastodon's recorded answers stand behind every channel's connection."""
    found = _recordings().Recording.of("test_toot.yaml")
    monkeypatch.setattr(
        channel_services, "connection_for", lambda channel, http=None: found.connect()
    )
    return found


@pytest.fixture
def channel(workspace_a) -> Channel:  # type: ignore[no-untyped-def]
    return Channel.objects.create(
        workspace=workspace_a, network="mastodon", name="Brand", remote_id="1", handle="@brand"
    )


def _draft(author, channel: Channel, text: str = "A draft") -> PostTarget:  # type: ignore[no-untyped-def]
    (target,) = services.create_post(channel.workspace, author, text, [channel]).targets.all()
    return target


def _published(author, channel: Channel) -> PostTarget:  # type: ignore[no-untyped-def]
    target = _draft(author, channel, "Out there")
    PostTarget.objects.filter(pk=target.pk).update(
        state=State.PUBLISHED, remote_id=REMOTE_ID, published_at=timezone.now()
    )
    target.refresh_from_db()
    return target


def _log(target: PostTarget) -> list[tuple[str, str]]:
    return list(target.attempt_log.values_list("outcome", "message"))


def test_a_draft_is_deleted_after_asking_and_keeps_a_trace(alice_client, alice, channel) -> None:
    target = _draft(alice, channel)
    url = f"/publishing/posts/{target.post_id}/delete/"

    asked = alice_client.get(url).content.decode()
    assert "never went out: taken out of the plan." in asked
    target.refresh_from_db()
    assert target.state == State.DRAFT  # asking changes nothing

    alice_client.post(url)

    target.refresh_from_db()
    assert target.state == State.DELETED
    assert _log(target) == [(Outcome.DELETED, "Deleted by Alice Martin before it went out.")]
    assert Post.objects.get(pk=target.post_id).deleted_at is not None
    assert "A draft" not in alice_client.get("/publishing/posts/").content.decode()
    page = alice_client.get(f"/publishing/posts/{target.post_id}/").content.decode()
    assert "Deleted on" in page and "before it went out" in page
    assert alice_client.get(f"/publishing/posts/{target.post_id}/edit/").status_code == 404


def test_a_scheduled_post_leaves_the_plan(alice_client, alice, channel) -> None:
    target = _draft(alice, channel)
    services.schedule_post(target.post, timezone.now() + timedelta(days=1), by=alice)
    target.refresh_from_db()
    version = target.version

    alice_client.post(f"/publishing/posts/{target.post_id}/delete/")

    target.refresh_from_db()
    assert target.state == State.DELETED and target.version > version


def test_a_published_post_is_deleted_on_mastodon_too(
    alice_client, alice, channel, recording
) -> None:
    target = _published(alice, channel)

    asked = alice_client.get(f"/publishing/posts/{target.post_id}/delete/").content.decode()
    alice_client.post(f"/publishing/posts/{target.post_id}/delete/")

    assert "deleted on the network too." in asked
    assert len(recording.requests("DELETE", STATUS)) == 1
    target.refresh_from_db()
    assert target.state == State.DELETED
    assert _log(target) == [(Outcome.DELETED, "Deleted by Alice Martin, on Mastodon too.")]


def test_a_network_failure_is_said_in_words_and_nothing_is_lost(
    alice_client, alice, channel, recording
) -> None:
    target = _published(alice, channel)
    other = Channel.objects.create(workspace=channel.workspace, network="bluesky", name="Sky")
    draft = PostTarget.objects.create(
        workspace=channel.workspace, post=target.post, channel=other, text="Not yet"
    )
    recording.find("DELETE", STATUS).status = 503

    answer = alice_client.post(f"/publishing/posts/{target.post_id}/delete/", follow=True)

    assert "Nothing was deleted there; try again." in answer.content.decode()
    target.refresh_from_db()
    draft.refresh_from_db()
    assert (target.state, target.remote_id, draft.state) == (State.PUBLISHED, REMOTE_ID, "draft")
    assert Post.objects.get(pk=target.post_id).deleted_at is None
    assert _log(target) == []


def test_where_the_account_may_not_delete_it_stays_there_and_the_log_says_so(
    alice_client, alice, channel
) -> None:
    Channel.objects.filter(pk=channel.pk).update(settings={"refused_verbs": ["delete"]})
    target = _published(alice, channel)

    asked = alice_client.get(f"/publishing/posts/{target.post_id}/delete/").content.decode()
    alice_client.post(f"/publishing/posts/{target.post_id}/delete/")

    assert "it stays there, delete it on the network yourself." in asked
    target.refresh_from_db()
    assert target.state == State.DELETED
    ((_outcome, said),) = _log(target)
    assert "it is still on the network, delete it there." in said


def test_who_may_delete(alice, contributor_bob, bob_client, charlie_client, channel) -> None:
    alices = _draft(alice, channel)
    bobs = _draft(contributor_bob, channel, "Bob's draft")
    bobs_out = _published(contributor_bob, channel)

    assert charlie_client.post(f"/publishing/posts/{alices.post_id}/delete/").status_code == 404
    assert bob_client.post(f"/publishing/posts/{alices.post_id}/delete/").status_code == 403
    assert bob_client.get(f"/publishing/posts/{bobs_out.post_id}/delete/").status_code == 403
    bob_client.post(f"/publishing/posts/{bobs.post_id}/delete/")

    states = dict(PostTarget.objects.values_list("pk", "state"))
    assert states == {alices.pk: "draft", bobs.pk: "deleted", bobs_out.pk: "published"}


def test_delete_is_offered_only_to_those_who_may(alice_client, alice, bob_client, channel) -> None:
    Membership.objects.filter(user__email="bob@example.org").update(role=Role.CONTRIBUTOR)
    target = _draft(alice, channel)
    link = f"/publishing/posts/{target.post_id}/delete/"

    assert link in alice_client.get(f"/publishing/posts/{target.post_id}/").content.decode()
    assert link not in bob_client.get(f"/publishing/posts/{target.post_id}/").content.decode()


def test_a_post_being_published_is_not_deleted(alice_client, alice, channel) -> None:
    target = _draft(alice, channel)
    PostTarget.objects.filter(pk=target.pk).update(state=State.PUBLISHING)

    answer = alice_client.post(f"/publishing/posts/{target.post_id}/delete/", follow=True)

    assert "being published or checked right now" in answer.content.decode()
    target.refresh_from_db()
    assert target.state == State.PUBLISHING


def test_signed_out_people_are_sent_to_sign_in(client: Client) -> None:
    assert client.post("/publishing/posts/1/delete/").status_code == 302


def test_a_deleted_post_may_be_imported_again(alice, alice_client, channel) -> None:
    from chorus.publishing import bulk_import

    when = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%d 09:00")
    data = f"text,channels,time,media\nAgain,{channel.name},{when},\n".encode()
    first = bulk_import.import_csv(channel.workspace, alice, data)
    assert first.ok
    alice_client.post(f"/publishing/posts/{Post.objects.get().pk}/delete/")

    again = bulk_import.import_csv(channel.workspace, alice, data)

    assert again.ok, again.errors
