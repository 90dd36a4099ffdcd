"""Links, mentions and hashtags become facets at the right UTF-8 byte offsets."""

from __future__ import annotations

from typing import Any

import pytest

from chorus.channels.networks.bluesky.richtext import find_facets

FRENCH = "Café ☕ #été https://exemple.fr @alice.test"


def known(handle: str) -> str | None:
    return {"alice.test": "did:plc:alice"}.get(handle)


def facet_texts(text: str, facets: list[dict[str, Any]]) -> list[str]:
    """What each facet covers, cut from the UTF-8 bytes as Bluesky's apps do."""
    raw = text.encode("utf-8")
    return [raw[f["index"]["byteStart"] : f["index"]["byteEnd"]].decode() for f in facets]


def features(facets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f["features"][0] for f in facets]


def test_french_text_with_emoji_gets_byte_offsets() -> None:
    facets = find_facets(FRENCH, known)

    assert facet_texts(FRENCH, facets) == ["#été", "https://exemple.fr", "@alice.test"]
    # "Café ☕ " is 4+1+1+3+1 = 10 bytes ("é" is 2, "☕" is 3); "#été" is 1+2+1+2 = 6.
    assert facets[0]["index"] == {"byteStart": 10, "byteEnd": 16}
    assert features(facets) == [
        {"$type": "app.bsky.richtext.facet#tag", "tag": "été"},
        {"$type": "app.bsky.richtext.facet#link", "uri": "https://exemple.fr"},
        {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:alice"},
    ]


def test_an_unknown_mention_stays_plain_text() -> None:
    assert find_facets("merci @nobody.test !", known) == []


def test_a_number_is_not_a_hashtag() -> None:
    assert find_facets("Commande #123 expédiée", known) == []


@pytest.mark.parametrize(
    ("text", "covered"),
    [
        ("Nouveau : #lancement!", "#lancement"),
        ("(#soldes)", None),
        ("#Été2025, enfin.", "#Été2025"),
        ("Lisez https://exemple.fr/article.", "https://exemple.fr/article"),
        ("(voir https://exemple.fr/a)", "https://exemple.fr/a"),
        ("https://fr.wikipedia.org/wiki/Caf%C3%A9_(boisson)", None),
    ],
)
def test_trailing_punctuation_is_not_part_of_the_facet(text: str, covered: str | None) -> None:
    facets = find_facets(text, known)

    if covered is None and "wiki" in text:
        assert facet_texts(text, facets) == [text]  # balanced brackets stay in the link
    elif covered is None:
        assert facets == []  # a tag must start the text or follow a space
    else:
        assert facet_texts(text, facets) == [covered]


def test_a_fragment_in_a_link_is_not_a_second_hashtag() -> None:
    text = "https://exemple.fr/#programme"

    assert features(find_facets(text, known)) == [
        {"$type": "app.bsky.richtext.facet#link", "uri": text}
    ]


def test_an_email_address_is_not_a_mention() -> None:
    assert find_facets("écrivez à contact@alice.test", known) == []


def test_a_mention_resolves_once_however_often_it_appears() -> None:
    asked: list[str] = []

    def resolve(handle: str) -> str | None:
        asked.append(handle)
        return "did:plc:alice"

    facets = find_facets("@Alice.test et encore @alice.test", resolve)

    assert asked == ["alice.test"]
    assert len(facets) == 2
