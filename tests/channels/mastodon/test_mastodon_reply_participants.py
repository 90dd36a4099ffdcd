"""A reply keeps the content warning of the message it answers, and in a group direct
conversation names every participant but ourselves, so no one is left out of it.

Recorded traffic of ../shared/fixtures/mastodon/test_conversations.yaml (our account: admin; a
direct message from mastodonpy_test_2 to admin) and test_status_post[Content warning-direct].yaml.
No recording holds a direct message to three people: the group one is the recorded message with
the recorded mention of mastodonpy_test (the other conversation of that cassette) added to it.
"""

from __future__ import annotations

import copy
import json

from mastodon_recordings import Answer, Recording, json_body, load_cassette

DIRECT_ID = "117020593780198542"


def recorded_direct_message() -> dict:
    conversations = load_cassette("test_conversations.yaml")[2].json()
    return copy.deepcopy(conversations[0]["last_status"])


def replying_to(original: dict) -> Recording:
    """The server answers with ``original`` when asked for it; the rest as recorded."""
    answers = load_cassette("test_conversations.yaml")
    own, posted = answers[0], answers[1]  # verify_credentials (admin), POST /api/v1/statuses
    asked = Answer("GET", f"/api/v1/statuses/{original['id']}", 200, own.headers,
                   json.dumps(original).encode())  # fmt: skip
    return Recording([asked, own, posted])


def test_a_reply_in_a_group_direct_conversation_names_everyone_but_us() -> None:
    original = recorded_direct_message()
    other_conversation = load_cassette("test_conversations.yaml")[2].json()[1]
    original["mentions"].append(other_conversation["last_status"]["mentions"][0])
    recording = replying_to(original)

    recording.connect().reply(DIRECT_ID, "Thanks, both of you!", idempotency_key="r-1")

    body = json_body(recording.requests("POST", "/api/v1/statuses")[0])
    assert body["status"] == "@mastodonpy_test_2 @mastodonpy_test Thanks, both of you!"
    assert body["visibility"] == "direct"


def test_a_reply_in_a_two_person_conversation_names_only_the_author() -> None:
    recording = replying_to(recorded_direct_message())

    recording.connect().reply(DIRECT_ID, "ilu too", idempotency_key="r-2")

    body = json_body(recording.requests("POST", "/api/v1/statuses")[0])
    assert body["status"] == "@mastodonpy_test_2 ilu too"


def test_a_reply_keeps_the_content_warning_it_answers() -> None:
    original = load_cassette("test_status_post[Content warning-direct].yaml")[0].json()
    recording = replying_to(original)

    recording.connect().reply(original["id"], "Noted", idempotency_key="r-3")

    body = json_body(recording.requests("POST", "/api/v1/statuses")[0])
    assert body["spoiler_text"] == "Content warning"
    assert body["status"] == "@mastodonpy_test Noted"


def test_a_reply_to_a_message_without_warning_has_none() -> None:
    recording = replying_to(recorded_direct_message())

    recording.connect().reply(DIRECT_ID, "ok", idempotency_key="r-4")

    assert "spoiler_text" not in json_body(recording.requests("POST", "/api/v1/statuses")[0])


def test_many_handles_are_added_once_each_and_not_when_already_there() -> None:
    from chorus.channels.networks.mastodon.posting import addressed_to_all, participants

    handles = participants("lou@piaille.fr", ["admin", "noe", "Lou@piaille.fr"], "admin")
    assert handles == ["lou@piaille.fr", "noe", "Lou@piaille.fr"]
    assert addressed_to_all(handles, "hi @noe") == "@lou@piaille.fr hi @noe"
    assert addressed_to_all(["noe"], "@noel hi") == "@noe @noel hi"
