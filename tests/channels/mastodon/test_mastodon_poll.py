"""Polls go out as Mastodon expects them; a poll that cannot work is refused with a reason."""

from __future__ import annotations

import pytest
from mastodon_recordings import Recording, json_body

from chorus.channels.base import OutgoingPost
from chorus.channels.errors import Permanent


def test_poll_is_sent_with_its_choices_and_duration() -> None:
    recording = Recording.of("test_polls.yaml")
    poll = {"options": ["four twenty", "sixty-nine"], "expires_in": 300, "multiple": True}

    published = recording.connect().publish(
        OutgoingPost(text="nice", options={"poll": poll}, idempotency_key="p-1")
    )

    body = json_body(recording.requests("POST", "/api/v1/statuses")[0])
    assert body["poll"] == poll
    assert published.remote_id == "117020582690282017"
    recorded = recording.find("DELETE", f"/api/v1/statuses/{published.remote_id}").json()
    assert [o["title"] for o in recorded["poll"]["options"]] == poll["options"]


@pytest.mark.parametrize("poll", [{"options": ["only one"]}, {"choices": []}, "yes/no"])
def test_unusable_poll_is_refused(poll: object) -> None:
    recording = Recording.of("test_polls.yaml")
    with pytest.raises(Permanent):
        recording.connect().publish(OutgoingPost(text="nice", options={"poll": poll}))
    assert recording.sent == []
