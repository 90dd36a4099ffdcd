"""An Instagram variant through the real dispatcher and database: published, held while the
quota is spent (not failed), and failed in words when Meta cannot reach the pictures."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from chorus.channels.models import Channel
from chorus.publishing import dispatcher, services
from chorus.publishing.connections import outgoing
from chorus.publishing.models import Media, Outcome, Post, PostTarget, State
from tests.channels.instagram.conftest import IG_USER, at, credentials
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(workspace_a, alice, settings, tmp_path) -> PostTarget:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    channel = Channel(
        workspace=workspace_a, network="instagram", name="Shop", remote_id=IG_USER, handle="shop"
    )
    channel.credentials = credentials(ig_user_id=IG_USER)
    channel.save()
    picture = Media(workspace=workspace_a, mime_type="image/jpeg", name="cat.jpg")
    picture.file.save("cat.jpg", ContentFile(b"\xff\xd8\xff\xe0 a jpeg"))
    post = Post.objects.create(workspace=workspace_a, author=alice, text="Sunday nap")
    made = PostTarget.objects.create(
        workspace=workspace_a, post=post, channel=channel, text="Sunday nap"
    )
    made.media.add(picture)
    (scheduled,) = services.schedule_post(post, timezone.now())
    return scheduled


@pytest.fixture
def public_addresses(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """What publishing gives Instagram once Chorus serves media at a public address (the
    metahooks work): the real outgoing post, each file with a signed link."""

    def with_links(target: PostTarget):  # type: ignore[no-untyped-def]
        post = outgoing(target)
        media = tuple(
            dataclasses.replace(m, public_url=f"https://chorus.example/m/{m.filename}")
            for m in post.media
        )
        return dataclasses.replace(post, media=media)

    monkeypatch.setattr(dispatcher, "outgoing", with_links)


def serve(graph, quota_used: int = 0) -> None:  # type: ignore[no-untyped-def]
    quota = recorded("instagram/apidata/users/content_publish_limit.json")
    quota["data"][0]["quota_usage"] = quota_used
    graph.on("GET", at(f"{IG_USER}/content_publishing_limit"), Reply(200, quota))
    graph.on(
        "POST",
        at(f"{IG_USER}/media"),
        Reply(200, recorded("instagram/apidata/publish/create_photo.json")),
    )
    graph.on("GET", at("17889455560051444"), Reply(200, {"status_code": "FINISHED"}))
    graph.on(
        "POST",
        at(f"{IG_USER}/media_publish"),
        Reply(200, recorded("instagram/apidata/publish/publish_container.json")),
    )
    graph.on(
        "GET",
        at("17920238422030506"),
        Reply(
            200,
            {"id": "17920238422030506", "permalink": "https://www.instagram.com/p/CSgf9BChwVq/"},
        ),
    )


def test_a_variant_is_published(graph, target, public_addresses) -> None:  # type: ignore[no-untyped-def]
    serve(graph)

    assert dispatcher.publish_target(target.pk) == Outcome.PUBLISHED

    target.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert target.remote_id == "17920238422030506"
    assert target.remote_url == "https://www.instagram.com/p/CSgf9BChwVq/"
    (made,) = graph.requests(at(f"{IG_USER}/media"))
    assert b"image_url=https%3A%2F%2Fchorus.example%2Fm%2Fcat" in made.body


def test_a_variant_over_the_quota_waits_with_the_reason(graph, target, public_addresses) -> None:  # type: ignore[no-untyped-def]
    serve(graph, quota_used=25)
    before = timezone.now()

    dispatcher.publish_target(target.pk)

    target.refresh_from_db()
    assert target.state == State.SCHEDULED  # held, not failed
    assert "publishing limit is reached" in target.last_error
    assert target.due_at >= before + timedelta(minutes=59)
    assert graph.requests(at(f"{IG_USER}/media")) == []


def test_without_a_public_address_the_variant_fails_in_words(graph, target, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Publishing gives every file a signed public link (``publishing.public_media``); should
    one come without it, Instagram says what to set instead of sending Meta an empty address."""

    def without_links(target: PostTarget):  # type: ignore[no-untyped-def]
        post = outgoing(target)
        media = tuple(dataclasses.replace(m, public_url="") for m in post.media)
        return dataclasses.replace(post, media=media)

    monkeypatch.setattr(dispatcher, "outgoing", without_links)
    serve(graph)

    dispatcher.publish_target(target.pk)

    target.refresh_from_db()
    assert target.state == State.FAILED
    assert "CHORUS_BASE_URL" in target.last_error
    assert graph.requests(at(f"{IG_USER}/media")) == []
