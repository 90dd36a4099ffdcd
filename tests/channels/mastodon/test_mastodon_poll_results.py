"""Reading a poll's counts back from Mastodon, on the recorded status that carries it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from mastodon_recordings import Recording

from chorus.channels.capabilities import ReadsPoll, capable
from chorus.channels.errors import Permanent

STATUS = "/api/v1/statuses/117020582690282017"


def _status_served_on_get(recording: Recording) -> Recording:
    """The recorded status after two votes (Mastodon answered the DELETE with it) served at
    GET: the same Status entity GET /api/v1/statuses/:id returns."""
    after_votes = recording.find("DELETE", STATUS)
    recording.answers.insert(0, replace(after_votes, method="GET"))
    return recording


def test_poll_counts_are_read_from_the_status() -> None:
    recording = _status_served_on_get(Recording.of("test_polls.yaml"))
    reader = capable(recording.connect(), ReadsPoll)
    assert reader is not None

    poll = reader.read_poll("117020582690282017")

    assert [(o.title, o.votes) for o in poll.options] == [("four twenty", 1), ("sixty-nine", 1)]
    assert poll.closes_at is not None and not poll.closed


def test_a_status_without_a_poll_is_refused_plainly() -> None:
    recording = Recording.of("test_status.yaml")
    status = next(a for a in recording.answers if a.method == "POST")
    recording.answers.insert(0, replace(status, method="GET", path=STATUS))
    with pytest.raises(Permanent, match="no poll"):
        recording.connect().read_poll("117020582690282017")
