"""A link whose visible words are not its address keeps the address in the text: in inbox items
and in the text of a published post read back from Mastodon.

Mastodon's own links (recorded in ../shared/fixtures/mastodon: test_status_card, mentions in
test_notifications_mentions_only, hashtags in test_hashtag_tl) show their whole address and stay
as they are. No recording holds a post from a bridge: the Bridgy Fed link below (``<a href>``
showing ``bsky.app/profile/…``, as the issue reports it) is put into a recorded status here.
"""

from __future__ import annotations

import copy

from mastodon_recordings import load_cassette

from chorus.channels.networks.mastodon.inbox import status_to_item
from chorus.channels.networks.mastodon.payload import to_published_post
from chorus.channels.networks.mastodon.text import html_to_text

BRIDGED = (
    '<p>new post <a href="https://bsky.app/profile/alice.bsky.social/post/3kahesw26il2z">'
    "bsky.app/profile/alice.bsky.soc…</a></p>"
)


def test_mastodons_own_link_mention_and_hashtag_read_as_before() -> None:
    card = load_cassette("test_status_card.yaml")[1].json()
    mention = load_cassette("test_notifications_mentions_only.yaml")[1].json()[0]["status"]
    hashtag = load_cassette("test_hashtag_tl.yaml")[2].json()[0]

    assert status_to_item(card).text == "http://example.org/"
    assert status_to_item(mention).text == "@mastodonpy_test hello!"
    assert status_to_item(hashtag).text == "#hoot (hashtag toot)"


def test_a_bridged_link_cut_short_gives_the_whole_address() -> None:
    status = copy.deepcopy(load_cassette("test_status_card.yaml")[1].json())
    status["content"] = BRIDGED

    assert status_to_item(status).text == (
        "new post https://bsky.app/profile/alice.bsky.social/post/3kahesw26il2z"
    )


def test_a_link_on_words_keeps_the_words_and_the_address() -> None:
    html = '<p>read <a href="https://example.org/terms" rel="nofollow">our terms</a> first</p>'

    assert html_to_text(html) == "read our terms (https://example.org/terms) first"


def test_a_link_that_is_not_to_the_web_is_never_given_as_an_address() -> None:
    assert html_to_text('<p><a href="javascript:alert(1)">click</a></p>') == "click"


def test_the_published_posts_text_keeps_the_address_too() -> None:
    answer = copy.deepcopy(load_cassette("test_status_card.yaml")[0].json())  # POST /statuses
    answer["content"] = BRIDGED

    assert to_published_post(answer).text.endswith(
        "https://bsky.app/profile/alice.bsky.social/post/3kahesw26il2z"
    )
