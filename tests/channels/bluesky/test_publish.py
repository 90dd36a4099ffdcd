"""Publishing to a real PDS: text with facets, images with alt text, link cards."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Permanent
from chorus.channels.networks.bluesky.network import BlueskyConnection
from tests.servers.pds import RunningPDS

from .conftest import Account, read_record
from .lexicon import validate_record

pytestmark = pytest.mark.server


def png(width: int = 40, height: int = 30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 80, 40)).save(out, format="PNG")
    return out.getvalue()


def stored(pds: RunningPDS, uri: str) -> dict[str, Any]:
    """The stored post, after checking it against the app.bsky.feed.post lexicon."""
    value: dict[str, Any] = read_record(pds, uri)["value"]
    validate_record("app.bsky.feed.post", value)
    return value


def test_text_with_facets_is_stored_with_byte_offsets(
    pds: RunningPDS, as_alice: BlueskyConnection, alice: Account
) -> None:
    text = f"Café ☕ #été https://exemple.fr @{alice.handle}"

    published = as_alice.publish(OutgoingPost(text=text))

    record = stored(pds, published.remote_id)
    raw = text.encode("utf-8")
    covered = {
        raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode(): f["features"][0]
        for f in record["facets"]
    }
    assert record["text"] == text
    assert covered["#été"]["tag"] == "été"
    assert covered["https://exemple.fr"]["uri"] == "https://exemple.fr"
    assert covered[f"@{alice.handle}"]["did"] == alice.did  # resolved by the PDS itself


def test_the_published_post_has_its_address_on_bsky_app(
    as_alice: BlueskyConnection, alice: Account
) -> None:
    published = as_alice.publish(OutgoingPost(text="Bonjour"))

    rkey = published.remote_id.rsplit("/", 1)[1]
    assert published.remote_id.startswith(f"at://{alice.did}/app.bsky.feed.post/")
    assert published.url == f"https://bsky.app/profile/{alice.handle}/post/{rkey}"
    assert published.published_at is not None


def test_a_mention_of_an_unknown_handle_is_published_as_plain_text(
    pds: RunningPDS, as_alice: BlueskyConnection
) -> None:
    published = as_alice.publish(OutgoingPost(text="Merci @personne.test !"))

    assert "facets" not in stored(pds, published.remote_id)


def test_images_are_uploaded_with_their_alt_text(
    pds: RunningPDS, as_alice: BlueskyConnection
) -> None:
    media = (
        MediaFile("vitrine.png", "image/png", png(), alt_text="La vitrine du café, de nuit"),
        MediaFile("menu.png", "image/png", png(30, 60), alt_text="Le menu d'été"),
    )

    published = as_alice.publish(OutgoingPost(text="Nouvelle vitrine", media=media))

    embed = stored(pds, published.remote_id)["embed"]
    assert embed["$type"] == "app.bsky.embed.images"
    assert [image["alt"] for image in embed["images"]] == [m.alt_text for m in media]
    assert all(image["image"]["mimeType"] == "image/png" for image in embed["images"])


def test_a_link_card_with_a_thumbnail(pds: RunningPDS, as_alice: BlueskyConnection) -> None:
    card = {
        "uri": "https://exemple.fr/ete",
        "title": "Notre carte d'été",
        "description": "Glaces, cafés frappés et tartes.",
        "thumb": MediaFile("carte.png", "image/png", png()),
    }

    published = as_alice.publish(
        OutgoingPost(text="La carte change !", options={"link_card": card})
    )

    external = stored(pds, published.remote_id)["embed"]["external"]
    assert {k: external[k] for k in ("uri", "title", "description")} == {
        k: card[k] for k in ("uri", "title", "description")
    }
    assert external["thumb"]["mimeType"] == "image/png"


def test_a_link_card_without_a_thumbnail(pds: RunningPDS, as_alice: BlueskyConnection) -> None:
    card = {"uri": "https://exemple.fr", "title": "Exemple", "description": ""}

    published = as_alice.publish(OutgoingPost(text="", options={"link_card": card}))

    assert stored(pds, published.remote_id)["embed"]["external"]["uri"] == "https://exemple.fr"


@pytest.mark.parametrize(
    ("post", "says"),
    [
        (OutgoingPost(text="x", media=(MediaFile("a.png", "image/png", b"x"),) * 5), "at most 4"),
        (OutgoingPost(text="x", media=(MediaFile("a.mp4", "video/mp4", b"x"),)), "a.mp4"),
        (OutgoingPost(text="x", media=(MediaFile("a.png", "image/png", b"x" * 2_000_001),)), "MB"),
        (OutgoingPost(text=" "), "needs text"),
        (
            OutgoingPost(
                text="x",
                media=(MediaFile("a.png", "image/png", b"x"),),
                options={"link_card": {"uri": "https://exemple.fr"}},
            ),
            "not both",
        ),
    ],
)
def test_what_bluesky_would_refuse_is_refused_before_uploading(
    as_alice: BlueskyConnection, post: OutgoingPost, says: str
) -> None:
    with pytest.raises(Permanent, match=says):
        as_alice.publish(post)


def test_the_pds_refusing_a_record_is_a_permanent_error_with_its_message(
    as_alice: BlueskyConnection,
) -> None:
    # Not an image: the PDS checks the blob's type against the lexicon and says so.
    media = (MediaFile("faux.png", "image/png", b"%PDF-1.4 not an image at all"),)

    with pytest.raises(Permanent) as refused:
        as_alice.publish(OutgoingPost(text="Oups", media=media))

    assert refused.value.detail  # the PDS's own words are kept for the attempt log
