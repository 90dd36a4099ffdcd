"""A photo, a carousel and a reel go out through Instagram's container flow (recorded bodies)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.networks.meta.graph import appsecret_proof
from tests.channels.instagram.conftest import IG_USER, at
from tests.channels.meta.recordings import recorded
from tests.loopback import Reply

pytestmark = pytest.mark.django_db  # containers are remembered in the shared cache

PHOTO = MediaFile(
    "cat.jpg", "image/jpeg", alt_text="A ginger cat asleep", public_url="https://chorus.example/m/1"
)
SECOND = MediaFile("dog.jpg", "image/jpeg", public_url="https://chorus.example/m/2")
VIDEO = MediaFile("run.mp4", "video/mp4", public_url="https://chorus.example/m/3")


def form(heard) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {k: v[-1] for k, v in parse_qs(heard.body.decode()).items()}


def serve_publishing(graph, container: str = "17966279578433554") -> None:  # type: ignore[no-untyped-def]
    graph.on(
        "GET",
        at(f"{IG_USER}/content_publishing_limit"),
        Reply(200, recorded("instagram/apidata/users/content_publish_limit.json")),
    )
    graph.on("POST", at(f"{IG_USER}/media"), Reply(200, {"id": container}))
    graph.on(
        "GET", at(container), Reply(200, recorded("instagram/apidata/publish/container_info.json"))
    )
    graph.on(
        "POST",
        at(f"{IG_USER}/media_publish"),
        Reply(200, recorded("instagram/apidata/publish/publish_container.json")),
    )
    graph.on("GET", at("17920238422030506"), Reply(200, {"id": "17920238422030506", "permalink": "https://www.instagram.com/p/CSgf9BChwVq/", "timestamp": "2021-08-13T08:25:28+0000"}))  # fmt: skip


def test_a_photo_is_published_with_its_caption_and_alt_text(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve_publishing(graph)

    published = instagram.publish(
        OutgoingPost("Sunday nap #cats", media=(PHOTO,), idempotency_key="k1")
    )

    assert published.remote_id == "17920238422030506"
    assert published.url == "https://www.instagram.com/p/CSgf9BChwVq/"
    (made,) = graph.requests(at(f"{IG_USER}/media"))
    sent = form(made)
    assert sent["image_url"] == "https://chorus.example/m/1"
    assert sent["caption"] == "Sunday nap #cats"
    assert sent["alt_text"] == "A ginger cat asleep"
    assert "media_type" not in sent  # a photo is the default kind
    (published_call,) = graph.requests(at(f"{IG_USER}/media_publish"))
    assert form(published_call)["creation_id"] == "17966279578433554"
    # Every call carries the Page token and its proof for the app's secret.
    assert made.query["access_token"] == "page-token"
    assert made.query["appsecret_proof"] == appsecret_proof("page-token", "app-secret")


def test_a_carousel_is_made_of_items_then_one_container(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve_publishing(graph)
    children = recorded("instagram/apidata/publish/containers_info.json")
    first, second = list(children)
    graph.on(
        "POST",
        at(f"{IG_USER}/media"),
        Reply(200, {"id": first}),
        Reply(200, {"id": second}),
        Reply(200, {"id": "17966279578433554"}),
    )
    graph.on("GET", at(first), Reply(200, children[first]))
    graph.on("GET", at(second), Reply(200, children[second]))

    instagram.publish(OutgoingPost("Two friends", media=(PHOTO, SECOND), idempotency_key="k2"))

    item1, item2, carousel = [form(heard) for heard in graph.requests(at(f"{IG_USER}/media"))]
    assert item1["is_carousel_item"] == item2["is_carousel_item"] == "true"
    assert item1["alt_text"] == "A ginger cat asleep" and "alt_text" not in item2
    assert "caption" not in item1  # the carousel carries the caption, not its items
    assert carousel == {
        "media_type": "CAROUSEL",
        "children": f"{first},{second}",
        "caption": "Two friends",
    }


def test_a_video_is_published_as_a_reel(graph, instagram) -> None:  # type: ignore[no-untyped-def]
    serve_publishing(graph, container=recorded("instagram/apidata/publish/create_video.json")["id"])
    graph.on(
        "GET",
        at("17889455560051447"),
        Reply(200, {"id": "17889455560051447", "status_code": "FINISHED"}),
    )

    instagram.publish(OutgoingPost("Morning run", media=(VIDEO,), idempotency_key="k3"))

    (made,) = graph.requests(at(f"{IG_USER}/media"))
    assert form(made) == {
        "media_type": "REELS",
        "video_url": "https://chorus.example/m/3",
        "caption": "Morning run",
    }


def test_the_account_is_found_from_its_page_when_not_stored(graph) -> None:  # type: ignore[no-untyped-def]
    from chorus.channels.networks.instagram.network import Instagram
    from tests.channels.instagram.conftest import PAGE, credentials

    graph.on(
        "GET", at(PAGE), Reply(200, {"instagram_business_account": {"id": IG_USER}, "id": PAGE})
    )
    graph.on("GET", at(IG_USER), Reply(200, recorded("instagram/apidata/users/user_fields.json")))
    connection = Instagram.connect(credentials())
    try:
        account = connection.whoami()
    finally:
        connection.close()

    assert account.handle == "facebookfordevelopers"
    assert account.followers == 64363
    assert graph.requests(at(PAGE))[0].query["fields"] == "instagram_business_account"
