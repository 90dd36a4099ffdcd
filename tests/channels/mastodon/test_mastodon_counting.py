"""Chorus counts a Mastodon post as the server does (StatusLengthValidator, Mastodon 4.x):
every link as 23 characters, a mention as ``@username`` whatever its server, what a person sees as
one character as one (grapheme clusters), the content warning with the text. Otherwise Chorus
refuses posts the server would take, or splits a thread where there is no need.

The rules are Mastodon's own (app/validators/status_length_validator.rb, app/lib/extractor.rb,
Account::USERNAME_RE and MENTION_RE in app/models/account.rb).
"""

from __future__ import annotations

import pytest

from chorus.channels.networks.mastodon.network import Mastodon
from chorus.channels.registry import get_network
from chorus.publishing.validation import problems_for
from tests.publishing.test_validation import channel

BRIDGED = "@name.bsky.social@bsky.brid.gy"


@pytest.mark.parametrize(
    ("text", "counted_as"),
    [
        (f"{BRIDGED} hi", "@name.bsky.social hi"),  # a bridged Bluesky account
        ("@alice@very.long.example.social hi", "@alice hi"),
        ("@jean-luc@social.example hi", "@jean-luc hi"),
        ("(@Some_One@sub.social-example.org)", "(@Some_One)"),
        ("@alice hi", "@alice hi"),  # already local
        ("mail bob@example.com", "mail bob@example.com"),  # an e-mail is no mention
        ("a=@x@y.org", "a=@x@y.org"),  # nor after "="
        ("@a@b.org@c", "@a@b.org@c"),  # nor followed by another "@"
    ],
)
def test_a_mention_counts_as_its_username(text: str, counted_as: str) -> None:
    assert Mastodon.count_text(text) == len(counted_as)


def test_links_still_count_as_23_and_a_link_holding_an_at_sign_is_not_a_mention() -> None:
    assert Mastodon.count_text("see https://example.com/a/very/long/path/indeed") == 4 + 23
    assert Mastodon.count_text("https://social.example/@alice@other.example") == 23


def test_what_a_person_sees_as_one_character_counts_as_one() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 5 code points, one picture
    assert Mastodon.count_text(family * 3) == 3
    assert Mastodon.count_text("Café ☕") == 6


def test_a_post_full_of_bridged_mentions_is_not_refused() -> None:
    mentions = " ".join([BRIDGED] * 20)  # 20 × 31 = 620 characters typed, 20 × 18 counted
    text = f"{mentions} {'x' * (500 - 20 * 18)}"

    assert len(text) > 500
    assert get_network("mastodon").count_text(text) == 500
    assert problems_for(channel("mastodon"), text, [], {}) == []
