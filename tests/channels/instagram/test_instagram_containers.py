"""The container flow under the at-most-once rule: a container Meta could not use fails in its
words, one still processing is published later (the same one, never a second post), and a lost
answer to ``media_publish`` is Unconfirmed."""

from __future__ import annotations

import pytest

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Permanent, RateLimited, Unconfirmed
from tests.channels.instagram.conftest import IG_USER, at
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

pytestmark = pytest.mark.django_db

CONTAINER = recorded("instagram/apidata/publish/create_video.json")["id"]
VIDEO = MediaFile("run.mp4", "video/mp4", public_url="https://chorus.example/m/3")
POST = OutgoingPost("Morning run", media=(VIDEO,), idempotency_key="target-7")


def serve(graph, *statuses: Reply) -> None:  # type: ignore[no-untyped-def]
    graph.on(
        "GET",
        at(f"{IG_USER}/content_publishing_limit"),
        Reply(200, recorded("instagram/apidata/publish/publish_limit_resp.json")),
    )
    graph.on(
        "POST",
        at(f"{IG_USER}/media"),
        Reply(200, recorded("instagram/apidata/publish/create_video.json")),
    )
    graph.on("GET", at(CONTAINER), *statuses)
    graph.on("POST", at(f"{IG_USER}/media_publish"), Reply(200, recorded("instagram/apidata/publish/publish_container.json")))  # fmt: skip


def status(code: str, words: str = "") -> Reply:
    return Reply(200, {"id": CONTAINER, "status_code": code, "status": words})


def test_a_container_meta_could_not_use_fails_with_its_words(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve(graph, status("ERROR", "Error: The video format is not supported (2207026)"))

    with pytest.raises(Permanent) as failed:
        instagram.publish(POST)

    assert "The video format is not supported" in failed.value.message
    assert graph.requests(at(f"{IG_USER}/media_publish")) == []


def test_an_expired_container_is_made_again_next_time(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve(graph, status("EXPIRED"), status("FINISHED"))

    with pytest.raises(Permanent) as failed:
        instagram.publish(POST)
    assert "expire" in failed.value.message
    instagram.publish(POST)

    assert len(graph.requests(at(f"{IG_USER}/media"))) == 2  # the expired one is forgotten


def test_a_video_still_processing_is_published_later_from_the_same_container(
    graph, instagram
) -> None:  # type: ignore[no-untyped-def]
    serve(
        graph,
        status("IN_PROGRESS"),
        status("IN_PROGRESS"),
        status("IN_PROGRESS"),
        status("FINISHED"),
    )

    with pytest.raises(RateLimited) as waiting:
        instagram.publish(POST)
    assert "still processing" in waiting.value.message
    assert graph.requests(at(f"{IG_USER}/media_publish")) == []

    published = instagram.publish(POST)  # the dispatcher's next attempt, same target

    assert published.remote_id == "17920238422030506"
    assert len(graph.requests(at(f"{IG_USER}/media"))) == 1  # one container, never a second


def test_another_connection_publishes_the_remembered_container(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    """The next attempt may run on another worker: the memory is the shared cache, not the
    connection."""
    from chorus.channels.networks.instagram.network import Instagram
    from tests.channels.instagram.conftest import credentials

    serve(
        graph,
        status("IN_PROGRESS"),
        status("IN_PROGRESS"),
        status("IN_PROGRESS"),
        status("FINISHED"),
    )
    with pytest.raises(RateLimited):
        instagram.publish(POST)

    other = Instagram.connect(credentials(ig_user_id=IG_USER))
    try:
        other.publish(POST)
    finally:
        other.close()

    assert len(graph.requests(at(f"{IG_USER}/media"))) == 1


def test_a_lost_answer_to_media_publish_is_unconfirmed(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve(graph, status("FINISHED"))
    graph.on("POST", at(f"{IG_USER}/media_publish"), Reply(500, {"error": {"code": 2, "message": "Service temporarily unavailable", "is_transient": True}}))  # fmt: skip

    with pytest.raises(Unconfirmed):
        instagram.publish(POST)


def test_a_container_already_published_is_unconfirmed_not_sent_again(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve(graph, status("PUBLISHED"))

    with pytest.raises(Unconfirmed):
        instagram.publish(POST)

    assert graph.requests(at(f"{IG_USER}/media_publish")) == []


def test_an_unconfirmed_post_is_found_among_recent_media(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    graph.on(
        "GET",
        at(f"{IG_USER}/media"),
        Reply(200, recorded("instagram/apidata/users/tagged_medias.json")),
    )

    recent = instagram.recent_posts()

    assert [(p.remote_id, p.text) for p in recent][:2] == [
        ("17892354025952911", "publish test"),
        ("17997587032316367", "Cat test"),
    ]
    assert recent[0].url == "https://www.instagram.com/p/CMeo7rcJvTi/"
