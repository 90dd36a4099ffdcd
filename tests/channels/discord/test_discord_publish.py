"""Posting through the webhook: text, files with alt text, threads, forum posts."""

from __future__ import annotations

import json

import pytest

from chorus.channels.base import MediaFile, OutgoingPost
from chorus.channels.errors import Permanent
from tests.channels.discord.discord_hook import HOOK_PATH, connect, posts, recorded
from tests.channels.telegram.loopback import Answer

MESSAGE = recorded("message.json")  # channel 290926798999357250, id 334385199974967042


def queue_message(loopback, **extra) -> None:  # type: ignore[no-untyped-def]
    # POST answers are served after the webhook's own GET answer, which repeats.
    loopback.answers[HOOK_PATH].insert(0, Answer(200, {**MESSAGE, **extra}))


def test_text_waits_for_the_message_and_links_to_it(loopback) -> None:
    hook = connect(loopback)
    hook.webhook()
    queue_message(loopback)

    published = hook.publish(OutgoingPost(text="Hello @everyone <3"))

    [sent] = posts(loopback)
    assert sent.query == "wait=true"
    assert sent.json() == {"content": "Hello @everyone <3", "allowed_mentions": {"parse": []}}
    assert published.remote_id == "290926798999357250:334385199974967042"
    assert published.url == (
        "https://discord.com/channels/199737254929760256/290926798999357250/334385199974967042"
    )
    assert published.published_at is not None and published.published_at.year == 2017


def test_files_go_as_multipart_with_their_alt_text(loopback) -> None:
    hook = connect(loopback)
    hook.webhook()
    queue_message(loopback)
    cat = MediaFile("cat.png", "image/png", b"png bytes", alt_text="A ginger cat asleep")
    clip = MediaFile("clip.mp4", "video/mp4", b"mp4 bytes")

    hook.publish(OutgoingPost(text="Look", media=(cat, clip)))

    form = posts(loopback)[0].form()
    assert json.loads(form["payload_json"][1]) == {
        "content": "Look",
        "allowed_mentions": {"parse": []},
        "attachments": [
            {"id": 0, "filename": "cat.png", "description": "A ginger cat asleep"},
            {"id": 1, "filename": "clip.mp4", "description": ""},
        ],
    }
    assert form["files[0]"] == ("cat.png", b"png bytes")
    assert form["files[1]"] == ("clip.mp4", b"mp4 bytes")


def test_a_thread_part_follows_its_previous_part_into_its_thread(loopback) -> None:
    hook = connect(loopback)
    hook.webhook()
    queue_message(loopback)

    hook.publish(OutgoingPost(text="2/2", reply_to="1111111111111111111:22"))

    assert posts(loopback)[0].query == "wait=true&thread_id=1111111111111111111"


def test_the_configured_thread_and_forum_title(loopback) -> None:
    in_thread = connect(loopback, thread_id="999")
    in_thread.webhook()
    queue_message(loopback)
    in_thread.publish(OutgoingPost(text="In the thread"))

    forum = connect(loopback, thread_name="Weekly news")
    forum.webhook()
    queue_message(loopback)
    forum.publish(OutgoingPost(text="A forum post"))

    first, second = posts(loopback)
    assert first.query == "wait=true&thread_id=999"
    assert second.json()["thread_name"] == "Weekly news"


def test_deleting_names_the_thread_when_the_message_is_in_one(loopback) -> None:
    hook = connect(loopback)
    loopback.answer("/messages/5", Answer(204, None))
    loopback.answer("/messages/6", Answer(404, {"message": "Unknown Message", "code": 10008}))

    hook.delete("199737254929760256:5")  # the webhook's own channel
    hook.delete("777:6")  # in a thread, already gone: no error

    first, second = [s for s in loopback.seen if s.method == "DELETE"]
    assert (first.path, first.query) == (f"{HOOK_PATH}/messages/5", "")
    assert (second.path, second.query) == (f"{HOOK_PATH}/messages/6", "thread_id=777")


@pytest.mark.parametrize(
    "post",
    [OutgoingPost(text="x" * 2001), OutgoingPost(text=""), OutgoingPost(text="😀" * 1001)],
)
def test_what_discord_would_refuse_is_refused_first(loopback, post) -> None:
    hook = connect(loopback)

    with pytest.raises(Permanent):
        hook.publish(post)

    assert posts(loopback) == []
