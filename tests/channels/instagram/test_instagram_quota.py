"""The 24-hour publishing quota is read before publishing; a post that would pass it is held
with a reason in words, not failed; pictures need an address Meta can reach."""

from __future__ import annotations

import pytest

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Permanent, RateLimited
from tests.channels.instagram.conftest import IG_USER, at
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

pytestmark = pytest.mark.django_db

PHOTO = MediaFile("cat.jpg", "image/jpeg", public_url="https://chorus.example/m/1")


def test_a_post_over_the_quota_is_held_with_a_reason(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    spent = recorded("instagram/apidata/users/content_publish_limit.json")
    spent["data"][0]["quota_usage"] = 25  # the recorded answer, on a day of 25 posts
    graph.on("GET", at(f"{IG_USER}/content_publishing_limit"), Reply(200, spent))

    with pytest.raises(RateLimited) as held:
        instagram.publish(OutgoingPost("One more", media=(PHOTO,), idempotency_key="k"))

    assert "25 of 25 posts in 24 hours" in held.value.message
    assert "holds this post" in held.value.message
    assert held.value.retry_after == 3600
    assert graph.requests(at(f"{IG_USER}/media")) == []  # nothing was made
    (asked,) = graph.requests(at(f"{IG_USER}/content_publishing_limit"))
    assert asked.query["fields"] == "config,quota_usage"


def test_an_unreadable_quota_does_not_stop_publishing(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on(
        "GET",
        at(f"{IG_USER}/content_publishing_limit"),
        Reply(200, {"data": [{"quota_usage": "lots"}]}),
    )
    graph.on(
        "POST",
        at(f"{IG_USER}/media"),
        Reply(200, recorded("instagram/apidata/publish/create_photo.json")),
    )
    graph.on("GET", at("17889455560051444"), Reply(200, {"status_code": "FINISHED"}))
    graph.on("POST", at(f"{IG_USER}/media_publish"), Reply(200, recorded("instagram/apidata/publish/publish_container.json")))  # fmt: skip

    published = instagram.publish(OutgoingPost("Hello", media=(PHOTO,), idempotency_key="k"))

    assert published.remote_id == "17920238422030506"


def test_media_without_a_public_address_fail_naming_chorus_base_url(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    local = MediaFile("cat.jpg", "image/jpeg")

    with pytest.raises(Permanent) as failed:
        instagram.publish(OutgoingPost("Hello", media=(local,), idempotency_key="k"))

    assert "CHORUS_BASE_URL" in failed.value.message
    assert graph.received == []  # Meta was not asked anything
