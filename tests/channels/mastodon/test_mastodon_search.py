"""Searching posts for listening."""

from __future__ import annotations

from mastodon_recordings import Recording


def test_search_asks_for_posts_only_and_reads_an_empty_answer() -> None:
    recording = Recording.of("test_search.yaml")
    recording.answers = recording.answers[2:]  # the recorded statuses-only search

    found = recording.connect().search("mastodonpy_test")

    assert found == []
    (request,) = recording.sent
    assert request.url.params["q"] == "mastodonpy_test"
    assert request.url.params["type"] == "statuses"
