"""Pictures (with alt text), link cards and quoted posts of a notification's record reach the
inbox item, and a link the app shortened in the text reads as its whole address.

The record is the recorded post of ../shared/fixtures/bluesky/test_data/
thread_view_post_with_embed_media.json (a ``recordWithMedia``: a picture and a quoted post, no
text: a media-only message). The same body holds the AppView's own ``#view`` of that embed, so
the addresses built from the raw record are checked against what Bluesky itself serves.
"""

from __future__ import annotations

import copy

import respx

from chorus.channels.networks.bluesky.embeds import media_of, quote_of, text_with_link_addresses

from .conftest import appview_connection, recorded
from .lexicon import validate_record
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


def shortened_link_record() -> dict:
    """The recorded post_record.json's record with a link the app shortened, as a link facet
    (app.bsky.richtext.facet, checked against the lexicon): no recording holds one."""
    record = copy.deepcopy(recorded("post_record.json")["value"])
    shown = "bsky.app/profile/alice.bsky.soc…"
    record["text"] = f"café: {shown} and our terms"
    start = len("café: ".encode())
    terms = len(f"café: {shown} and our ".encode())
    record["facets"] = [
        {"index": {"byteStart": start, "byteEnd": start + len(shown.encode())},
         "features": [{"$type": "app.bsky.richtext.facet#link",
                       "uri": "https://bsky.app/profile/alice.bsky.social/post/3kahesw26il2z"}]},
        {"index": {"byteStart": terms, "byteEnd": terms + len(b"terms")},
         "features": [{"$type": "app.bsky.richtext.facet#link",
                       "uri": "https://example.org/terms"}]},
    ]  # fmt: skip
    validate_record("app.bsky.feed.post", record)
    return record


def test_a_shortened_link_reads_as_its_whole_address(appview: respx.MockRouter) -> None:
    record = shortened_link_record()
    appview.get(NOTIFICATIONS).mock(
        return_value=page(notification("mention", record, "2024-02-22T20:00:00.000Z"))
    )

    (item,) = appview_connection().fetch_inbox().items

    assert item.text == (
        "café: https://bsky.app/profile/alice.bsky.social/post/3kahesw26il2z"
        " and our terms (https://example.org/terms)"
    )


def test_facets_pointing_outside_the_text_are_ignored() -> None:
    record = shortened_link_record()
    record["facets"][0]["index"] = {"byteStart": 5, "byteEnd": 9999}
    record["facets"][1]["features"][0]["uri"] = "javascript:alert(1)"

    assert text_with_link_addresses(record) == record["text"]
