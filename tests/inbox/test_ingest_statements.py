"""What the networks send reaches the database whole, through ingest's own bulk statements."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chorus.channels.base import Author as NetworkAuthor
from chorus.channels.base import InboxItem
from chorus.core import bulk_sql
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Author, Conversation, Message
from tests.inbox.ingest_support import item, make_channel, person

AWKWARD = 'Il a dit "c\'est cassé" \\o/ 🎉\nNULL, {"json": [1]} %s %(x)s $1'


def test_awkward_text_and_local_times_are_stored_exactly(workspace_a) -> None:
    channel = make_channel(workspace_a)
    sent_at = datetime(2026, 3, 27, 23, 30, 15, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    who = NetworkAuthor(remote_id="u'1", handle='o"brien', display_name=AWKWARD, followers=0)
    awkward = InboxItem(
        remote_id="m'1",
        kind="comment",
        conversation_id='thread "1"',
        author=who,
        text=AWKWARD,
        created_at=sent_at,
        in_reply_to="",
        url="https://social.example/@o/1?a=1&b='2'",
    )

    result = ingest(channel, [awkward])

    message = Message.objects.get(channel=channel)
    assert [m.pk for m in result.messages] == [message.pk]
    assert (message.remote_id, message.text, message.created_at) == ("m'1", AWKWARD, sent_at)
    assert message.url == "https://social.example/@o/1?a=1&b='2'"
    author = Author.objects.get(workspace=workspace_a)
    assert (author.remote_id, author.handle, author.display_name) == ("u'1", 'o"brien', AWKWARD)
    assert (author.followers, author.first_seen_at) == (0, sent_at)
    conversation = Conversation.objects.get(channel=channel)
    assert (conversation.remote_id, conversation.preview) == ('thread "1"', AWKWARD)
    assert conversation.waiting_since == sent_at


def test_a_batch_split_over_several_statements_is_stored_whole(
    workspace_a, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite caps the parameters of one statement: a big batch goes in several."""
    monkeypatch.setattr(bulk_sql, "_rows_per_statement", lambda width: 2)
    channel = make_channel(workspace_a)
    batch = [item(f"m{n}", thread=f"t{n % 3}", author=person(n % 2), minutes=n) for n in range(7)]

    result = ingest(channel, batch)

    assert (result.new_messages, result.new_conversations) == (7, 3)
    assert sorted(m.remote_id for m in result.messages) == sorted(i.remote_id for i in batch)
    assert all(m.pk for m in result.messages)
    counts = dict(Author.objects.values_list("remote_id", "message_count"))
    assert counts == {"user-0": 4, "user-1": 3}
    threads = dict(Conversation.objects.values_list("remote_id", "message_count"))
    assert threads == {"t0": 3, "t1": 2, "t2": 2}
    latest = Conversation.objects.get(remote_id="t0")
    assert latest.last_message_at == item("m6").created_at + timedelta(minutes=6)
