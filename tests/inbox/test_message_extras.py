"""Media, polls, quoted posts and edits are stored with the message and shown in the conversation,
escaped, links only to http(s) addresses (invariant 3).

The statuses are recorded Mastodon answers (../shared/fixtures/mastodon: test_media_post_multiple,
test_polls, test_status_edit, test_status_reply) read by the real connector; the quote and the
hostile values are put into those recorded statuses here, as the tests say.
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from django.test import Client

from chorus.channels.base import Attachment, QuotedPost
from chorus.channels.networks.mastodon.inbox import status_to_item
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Message
from tests.channels.mastodon.mastodon_recordings import load_cassette
from tests.inbox.ingest_support import make_channel

HOSTILE = "<script>alert(1)</script>"


def recorded(cassette: str, number: int) -> Any:
    return load_cassette(cassette)[number].json()


def stored(channel, item) -> Message:  # type: ignore[no-untyped-def]
    ingest(channel, [item])
    return Message.objects.get(channel=channel, remote_id=item.remote_id)


def test_ingest_stores_media_poll_and_edit_and_nothing_for_plain_messages(workspace_a) -> None:
    channel = make_channel(workspace_a)
    pictures = status_to_item(recorded("test_media_post_multiple.yaml", 4))
    poll = status_to_item(recorded("test_polls.yaml", 0))
    edited = status_to_item(recorded("test_status_edit.yaml", 3))
    plain = status_to_item(recorded("test_status.yaml", 0))

    ingest(channel, [pictures, poll, edited, plain])

    by_id = {m.remote_id: m for m in Message.objects.filter(channel=channel)}
    media = by_id[pictures.remote_id].media
    assert [m["alt_text"] for m in media][0] == "John Lennon doing a funny walk"
    assert media[0]["preview_url"].endswith("/small/963111bc1b0bd6b6.jpg")
    assert [o["title"] for o in by_id[poll.remote_id].poll["options"]] == [  # type: ignore[index]
        "four twenty",
        "sixty-nine",
    ]
    assert by_id[edited.remote_id].edited_at == edited.edited_at
    assert by_id[plain.remote_id].extras is None


def test_the_conversation_shows_media_poll_quote_and_edit(
    alice_client: Client, workspace_a
) -> None:
    channel = make_channel(workspace_a, remote_id="not-the-author")
    status = copy.deepcopy(recorded("test_media_post_multiple.yaml", 4))
    status["poll"] = recorded("test_polls.yaml", 0)["poll"]
    status["edited_at"] = recorded("test_status_edit.yaml", 3)["edited_at"]
    status["quote"] = {"state": "accepted", "quoted_status": recorded("test_status_edit.yaml", 3)}
    message = stored(channel, status_to_item(status))

    page = alice_client.get(f"/inbox/{message.conversation_id}/").content.decode()

    assert 'alt="John Lennon doing a funny walk"' in page
    assert "/small/963111bc1b0bd6b6.jpg" in page
    assert "four twenty" in page and "sixty-nine" in page
    assert "KDE Advanced Text Editor" in page and "@mastodonpy_test_2" in page
    assert 'class="muted edited"' in page


def test_hostile_media_and_quotes_are_escaped_and_unsafe_links_dropped(
    alice_client: Client, workspace_a
) -> None:
    channel = make_channel(workspace_a, remote_id="not-the-author")
    item = status_to_item(recorded("test_status_reply.yaml", 2))
    item = replace(
        item,
        media=(
            Attachment(kind="image", url="javascript:alert(1)", alt_text=HOSTILE),
            Attachment(kind="video", url="data:text/html,hi", preview_url="javascript:x"),
        ),
        quoted=QuotedPost(url="javascript:alert(2)", author=HOSTILE, text=HOSTILE),
    )
    message = stored(channel, item)

    page = alice_client.get(f"/inbox/{message.conversation_id}/").content.decode()

    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "javascript:" not in page and "data:text/html" not in page


def test_another_workspace_never_sees_the_media(
    charlie_client: Client, bob_client: Client, workspace_a
) -> None:
    channel = make_channel(workspace_a, remote_id="not-the-author")
    message = stored(channel, status_to_item(recorded("test_media_post_multiple.yaml", 4)))

    assert charlie_client.get(f"/inbox/{message.conversation_id}/").status_code == 404
    assert (
        b"John Lennon doing a funny walk"
        in bob_client.get(f"/inbox/{message.conversation_id}/").content
    )


def test_a_picture_with_no_words_is_previewed_by_its_description(workspace_a) -> None:
    channel = make_channel(workspace_a, remote_id="not-the-author")
    status = copy.deepcopy(recorded("test_media_post_multiple.yaml", 4))
    status["content"] = ""  # a picture sent with no words

    message = stored(channel, status_to_item(status))

    message.conversation.refresh_from_db()
    assert message.text == ""
    assert message.conversation.preview == (
        "🖼 John Lennon doing a funny walk 🖼 hololives #1 detective, watson ameliachan"
    )
