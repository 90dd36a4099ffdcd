"""Captions counted as Instagram counts them, and the composer told before Meta refuses."""

from __future__ import annotations

import pytest
from django.utils import translation

from chorus.channels.models import Channel
from chorus.channels.networks.instagram import caption
from chorus.channels.networks.instagram.network import Instagram
from chorus.publishing.validation import problems_for


def test_hashtags_and_mentions_are_found_as_instagram_links_them() -> None:
    text = "Café day #café #東京 #2024 a#b &#39; @maria.k and mail me at hi@example.com #café"

    assert caption.hashtags(text) == ["#café", "#東京", "#café"]  # "#2024" alone is no tag
    assert caption.mentions(text) == ["@maria.k"]


def test_an_emoji_counts_twice_as_instagram_counts_it() -> None:
    assert Instagram.count_text("🐈") == 2
    assert Instagram.count_text("chat") == 4


def test_thirty_hashtags_pass_and_thirty_one_do_not() -> None:
    thirty = " ".join(f"#tag{n}" for n in range(30))

    assert Instagram.text_problems(thirty) == []
    ((code, message),) = Instagram.text_problems(thirty + " #one_more")
    assert code == "too_many_hashtags"
    assert message == "31 hashtags, Instagram takes 30: remove 1."


def test_more_than_twenty_mentions_are_refused() -> None:
    text = " ".join(f"@friend{n}" for n in range(22))

    ((code, message),) = Instagram.text_problems(text)
    assert code == "too_many_mentions"
    assert "22 @mentions" in message


@pytest.mark.django_db
def test_the_composer_shows_the_caption_rules(workspace_a) -> None:  # type: ignore[no-untyped-def]
    channel = Channel.objects.create(
        workspace=workspace_a, network="instagram", name="Shop", remote_id="1784", handle="shop"
    )
    tags = " ".join(f"#t{n}" for n in range(31))

    codes = {p.code for p in problems_for(channel, tags, [], {})}
    long_codes = {p.code for p in problems_for(channel, "x" * 2201, [], {})}

    assert {"too_many_hashtags", "media_required"} <= codes
    assert "too_long" in long_codes
    with translation.override("fr"):
        (problem,) = [
            p for p in problems_for(channel, tags, [], {}) if p.code == "too_many_hashtags"
        ]
    assert "Instagram" in problem.message and "hashtags" in problem.message
    assert problem.message != "31 hashtags, Instagram takes 30: remove 1."  # said in French
