"""Pictures (with alt text), link cards and quoted posts of a notification's record reach the
inbox item.

The record is the recorded post of ../shared/fixtures/bluesky/test_data/
thread_view_post_with_embed_media.json (a ``recordWithMedia``: a picture and a quoted post, no
text: a media-only message). The same body holds the AppView's own ``#view`` of that embed, so
the addresses built from the raw record are checked against what Bluesky itself serves.
"""

from __future__ import annotations

import copy

import respx

from chorus.channels.networks.bluesky.embeds import media_of, quote_of

from .conftest import appview_connection, recorded
from .test_inbox import NOTIFICATIONS, notification, page

POST = recorded("thread_view_post_with_embed_media.json")["thread"]["post"]
DID = POST["author"]["did"]


def test_a_picture_gets_the_addresses_the_appview_serves() -> None:
    (picture,) = media_of(POST["record"], DID)

    view = POST["embed"]["media"]["images"][0]
    assert (picture.kind, picture.url, picture.preview_url) == (
        "image",
        view["fullsize"],
        view["thumb"],
    )


def test_the_alt_text_comes_with_the_picture() -> None:
    record = copy.deepcopy(POST["record"])
    record["embed"]["media"]["images"][0]["alt"] = "A cat asleep on a keyboard"

    (picture,) = media_of(record, DID)

    assert picture.alt_text == "A cat asleep on a keyboard"


def test_the_quoted_post_is_named_by_its_address() -> None:
    quoted = quote_of(POST["record"])

    assert quoted is not None
    assert quoted.url == f"https://bsky.app/profile/{DID}/post/3kahesw26il2z"
    assert quoted.author == DID


def test_a_media_only_quote_arrives_with_its_picture_and_quote(appview: respx.MockRouter) -> None:
    quote = notification(
        "quote", POST["record"], "2024-02-22T20:00:00.000Z", uri=POST["uri"], author=POST["author"]
    )
    appview.get(NOTIFICATIONS).mock(return_value=page(quote))

    (item,) = appview_connection().fetch_inbox().items

    assert item.text == ""
    assert [m.url for m in item.media] == [POST["embed"]["media"]["images"][0]["fullsize"]]
    assert item.quoted is not None and item.quoted.url.endswith("/post/3kahesw26il2z")


def test_a_link_card_keeps_its_address_and_title() -> None:
    record = copy.deepcopy(POST["record"])
    image = record["embed"]["media"]["images"][0]["image"]
    record["embed"] = {
        "$type": "app.bsky.embed.external",
        "external": {
            "uri": "https://example.org/",
            "title": "Example Domain",
            "description": "",
            "thumb": image,
        },
    }

    (card,) = media_of(record, DID)

    assert (card.kind, card.url, card.alt_text) == (
        "link",
        "https://example.org/",
        "Example Domain",
    )
    assert card.preview_url == POST["embed"]["media"]["images"][0]["thumb"]


def test_an_odd_blob_makes_no_address() -> None:
    record = copy.deepcopy(POST["record"])
    record["embed"]["media"]["images"][0]["image"]["ref"]["$link"] = "../../evil?x="

    (picture,) = media_of(record, DID)

    assert (picture.url, picture.preview_url) == ("", "")
