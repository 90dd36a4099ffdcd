"""A batch lands in its conversations: our own messages, statuses, previews, authors, rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chorus.channels.base import Author as NetworkAuthor
from chorus.inbox import ingest as ingest_module
from chorus.inbox.ingest import ingest
from chorus.inbox.models import Author, Conversation, Direction, Message, Person, Status
from chorus.publishing.models import Post, PostTarget
from tests.inbox.ingest_support import ME, item, make_channel, person
from tests.inbox.rules_helpers import make_rule


def test_our_own_messages_come_back_as_outgoing_not_as_work(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1", "Where is my parcel?")])

    result = ingest(channel, [item("r1", "It left this morning!", author=ME, minutes=5)])

    assert (result.new_messages, result.outgoing) == (0, 1)
    answer = Message.objects.get(remote_id="r1")
    assert answer.direction == Direction.OUTGOING
    assert answer.author is None
    conversation = Conversation.objects.get(channel=channel)
    assert conversation.preview == "Where is my parcel?"  # the latest *incoming* text
    assert conversation.status == Status.PENDING  # answered from the network's own app
    assert conversation.waiting_since is None
    assert conversation.first_response_at == answer.created_at
    assert not Author.objects.filter(remote_id=ME.remote_id).exists()


def test_own_account_is_recognised_by_handle_too(workspace_a) -> None:
    channel = make_channel(workspace_a, remote_id="109999", handle="@Brand")
    me_by_handle = NetworkAuthor(remote_id="", handle="brand")

    result = ingest(channel, [item("r1", "Thanks!", author=me_by_handle)])

    assert result.outgoing == 1


def test_news_from_them_reopens_a_resolved_or_pending_conversation(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    Conversation.objects.update(status=Status.RESOLVED)

    ingest(channel, [item("m2", "Actually it is still broken", minutes=30)])

    conversation = Conversation.objects.get(channel=channel)
    assert conversation.status == Status.NEW
    assert conversation.waiting_since == item("m1").created_at  # still unanswered since m1


def test_an_older_message_from_a_backfill_changes_no_status(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m2", "latest", minutes=30)])
    Conversation.objects.update(status=Status.RESOLVED)

    ingest(channel, [item("m1", "older", minutes=0)])

    conversation = Conversation.objects.get(channel=channel)
    assert conversation.status == Status.RESOLVED
    assert conversation.preview == "latest"
    assert conversation.message_count == 2
    assert conversation.first_message_at == item("m1").created_at


def test_a_rule_that_resolves_has_the_last_word_over_news_that_reopened(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    Conversation.objects.update(status=Status.PENDING)
    make_rule(workspace_a, [{"type": "words", "words": ["merci"]}], [{"type": "resolve"}])

    ingest(channel, [item("m2", "Merci beaucoup !", minutes=30)])

    assert Conversation.objects.get(channel=channel).status == Status.RESOLVED


def test_a_status_set_by_someone_while_a_batch_is_stored_is_kept(
    workspace_a, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roll-up writes only the statuses the batch moved, never back what it read."""
    channel = make_channel(workspace_a)
    ingest(channel, [item("m2", "latest", minutes=30)])
    roll_up = ingest_module.roll_up

    def resolved_meanwhile(*args):  # type: ignore[no-untyped-def]
        Conversation.objects.update(status=Status.RESOLVED)  # between our read and our write
        roll_up(*args)

    monkeypatch.setattr(ingest_module, "roll_up", resolved_meanwhile)

    ingest(channel, [item("m1", "older", minutes=0)])  # a backfill: news for no status

    conversation = Conversation.objects.get(channel=channel)
    assert (conversation.status, conversation.message_count) == (Status.RESOLVED, 2)


def test_waiting_since_is_the_oldest_message_after_our_last_answer(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(
        channel,
        [
            item("m1", "first", minutes=0),
            item("r1", "answer", author=ME, minutes=10),
            item("m2", "thanks, and another thing", minutes=20),
            item("m3", "hello?", minutes=40),
        ],
    )

    conversation = Conversation.objects.get(channel=channel)
    assert conversation.waiting_since == item("m2", minutes=20).created_at
    assert conversation.preview == "hello?"
    assert conversation.last_message_at == item("m3", minutes=40).created_at
    assert conversation.status == Status.NEW


def test_threads_follow_the_network_conversation_ids(workspace_a) -> None:
    channel = make_channel(workspace_a)
    result = ingest(
        channel,
        [
            item("a1", thread="post-A", kind="comment"),
            item("b1", thread="dm-B", kind="direct", author=person(2)),
            item("a2", thread="post-A", kind="reply", in_reply_to="a1", minutes=1),
        ],
    )

    assert result.new_conversations == 2
    post_a = Conversation.objects.get(remote_id="post-A")
    assert post_a.kind == "comment"
    assert list(post_a.messages.values_list("remote_id", "in_reply_to")) == [
        ("a1", ""),
        ("a2", "a1"),
    ]
    assert Conversation.objects.get(remote_id="dm-B").kind == "direct"
    assert post_a.author is not None and post_a.author.remote_id == "user-1"


def test_authors_are_refreshed_from_their_latest_message(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1", author=person(1, followers=10))])
    renamed = NetworkAuthor(
        remote_id="user-1", handle="user1", display_name="New Name", followers=99
    )

    ingest(channel, [item("m2", author=renamed, minutes=60)])

    author = Author.objects.get(workspace=workspace_a, remote_id="user-1")
    assert (author.display_name, author.followers, author.message_count) == ("New Name", 99, 2)
    assert author.last_seen_at == item("m2", minutes=60).created_at
    assert author.first_seen_at == item("m1").created_at


def test_what_a_message_leaves_out_keeps_what_we_knew_of_its_author(workspace_a) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1", author=person(1, followers=10))])
    known = Person.objects.create(workspace=workspace_a, name="Ursula")
    Author.objects.filter(remote_id="user-1").update(person=known)
    bare = NetworkAuthor(remote_id="user-1", handle="", display_name="", followers=None)

    ingest(channel, [item("m2", author=bare, minutes=5)])

    author = Author.objects.get(workspace=workspace_a, remote_id="user-1")
    assert (author.handle, author.display_name, author.followers) == ("user1", "User 1", 10)
    assert author.url == "https://social.example/@user1"
    assert (author.person, author.message_count) == (known, 2)
    assert author.last_seen_at == item("m2", minutes=5).created_at


def test_links_that_are_not_web_links_are_dropped(workspace_a) -> None:
    channel = make_channel(workspace_a)
    sneaky = NetworkAuthor(remote_id="u9", handle="u9", url="javascript:alert(1)")

    ingest(channel, [item("m1", "hi\x00there", author=sneaky)])

    assert Author.objects.get(remote_id="u9").url == ""
    assert Message.objects.get(remote_id="m1").text == "hithere"


def test_rules_run_on_the_new_incoming_messages_only(
    workspace_a, monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    seen: list[list[str]] = []

    def note(workspace, messages, **options):  # type: ignore[no-untyped-def]
        seen.append([m.remote_id for m in messages])
        return []

    monkeypatch.setattr(ingest_module.rules, "apply_rules", note)

    ingest(channel, [item("m1"), item("m2", minutes=1), item("r1", author=ME, minutes=2)])

    assert seen == [["m2"]]


def test_a_failing_rule_loses_no_message(workspace_a, monkeypatch: pytest.MonkeyPatch) -> None:
    channel = make_channel(workspace_a)

    def broken(workspace, messages, **options):  # type: ignore[no-untyped-def]
        raise RuntimeError("rule bug")

    monkeypatch.setattr(ingest_module.rules, "apply_rules", broken)

    result = ingest(channel, [item("m1")])

    assert result.new_messages == 1
    assert Conversation.objects.get(channel=channel).message_count == 1


def test_an_answer_sent_from_chorus_meets_its_copy_from_the_network(workspace_a, alice) -> None:
    channel = make_channel(workspace_a)
    ingest(channel, [item("m1")])
    conversation = Conversation.objects.get(channel=channel)
    post = Post.objects.create(workspace=workspace_a, author=alice, text="On its way!")
    target = PostTarget.objects.create(
        workspace=workspace_a, post=post, channel=channel, remote_id="r1"
    )
    Message.objects.create(
        workspace=workspace_a,
        conversation=conversation,
        channel=channel,
        remote_id=f"pending:{target.pk}",
        direction=Direction.OUTGOING,
        text="On its way!",
        reply_target=target,
        sent_by=alice,
        created_at=item("m1").created_at + timedelta(minutes=3),
    )

    result = ingest(channel, [item("r1", "On its way!", author=ME, minutes=3)])

    assert result.outgoing == 0
    assert list(Message.objects.filter(direction=Direction.OUTGOING).values_list("remote_id")) == [
        ("r1",)
    ]
