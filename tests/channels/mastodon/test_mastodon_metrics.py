"""A post's numbers (favourites, boosts, replies) for analytics."""

from __future__ import annotations

import pytest
from mastodon_recordings import Recording

from chorus.channels.errors import Permanent


def test_metrics_from_the_status() -> None:
    recording = Recording.of("test_status.yaml")
    recorded = recording.find("GET", "/api/v1/statuses/117020583223442465").json()

    metrics = recording.connect().metrics("117020583223442465")

    assert metrics.likes == recorded["favourites_count"]
    assert metrics.shares == recorded["reblogs_count"]
    assert metrics.replies == recorded["replies_count"]
    assert metrics.extra == {"quotes": recorded["quotes_count"]}


def test_metrics_of_a_deleted_post_is_permanent() -> None:
    recording = Recording.of("test_status_missing.yaml")
    with pytest.raises(Permanent) as refused:
        recording.connect().metrics("0")
    assert "404" in refused.value.detail
