"""What each network gives, how it is stored, and what "engagements" sums there."""

from __future__ import annotations

import pytest

from chorus.analytics.network_figures import (
    engagements,
    figures_of_network,
    row_figures,
)


def test_each_network_says_which_figures_it_gives() -> None:
    mastodon = figures_of_network("mastodon")
    assert mastodon.post_figures == ("likes", "shares", "replies", "quotes")
    assert mastodon.account_figures == ("followers",)
    assert mastodon.engagement_parts == ("likes", "shares", "replies", "quotes")
    bluesky = figures_of_network("bluesky")
    assert bluesky.post_figures == ("likes", "shares", "replies", "quotes", "saves")
    assert figures_of_network("matrix").post_figures == ("replies", "reactions")
    assert figures_of_network("matrix").account_figures == ("members",)
    telegram = figures_of_network("telegram")
    assert telegram.post_figures == () and telegram.account_figures == ("members",)
    discord = figures_of_network("discord")
    assert not discord.reads_anything and "webhooks cannot read" in str(discord.note)


@pytest.mark.parametrize("key", ["mastodon", "bluesky", "matrix", "telegram", "discord"])
def test_every_network_has_words_for_what_it_cannot_give(key: str) -> None:
    assert str(figures_of_network(key).note)


def test_bluesky_quotes_are_not_counted_twice() -> None:
    # The connector's "shares" is reposts + quotes: stored apart, the sum counts each once.
    reading = {"likes": 10, "shares": 7, "reposts": 4, "quotes": 3, "replies": 2, "bookmarks": 1}

    row = row_figures("bluesky", reading)

    assert (row["likes"], row["shares"], row["quotes"], row["saves"]) == (10, 4, 3, 1)
    assert row["views"] is None
    assert engagements("bluesky", row) == 10 + 4 + 3 + 2 + 1


def test_a_figure_the_network_does_not_give_is_none_never_zero() -> None:
    row = row_figures("mastodon", {"likes": 3, "shares": 0, "replies": 1})

    assert row["quotes"] is None and row["reactions"] is None and row["shares"] == 0
    assert engagements("mastodon", row) == 4
    assert engagements("mastodon", dict.fromkeys(row)) is None


def test_the_formula_is_written_with_the_figures_names() -> None:
    assert figures_of_network("matrix").engagements_formula == "Replies + Reactions"
