"""Telegram polls: sendPoll with the choices, stopPoll's final counts, bad polls refused
before anything reaches the Bot API (shapes as the Bot API documents them)."""

from __future__ import annotations

import pytest

from chorus.channels.base import OutgoingPost
from chorus.channels.capabilities import ClosesPoll, ReadsPoll, capable
from chorus.channels.errors import Permanent
from tests.channels.telegram.telegram_bot import CHANNEL, ok
from tests.engagement.poll_factories import poll_object, sent_poll

OPTIONS = ["Vanilla", "Pistachio"]


def test_poll_goes_out_with_sendpoll(bot_api, telegram) -> None:
    bot_api.answer("/sendPoll", sent_poll(31, OPTIONS))

    published = telegram.publish(
        OutgoingPost(text="Which flavour next?", options={"poll": {"options": OPTIONS}})
    )

    assert bot_api.requests_to("/sendPoll")[0].json() == {
        "chat_id": str(CHANNEL),
        "question": "Which flavour next?",
        "options": [{"text": "Vanilla"}, {"text": "Pistachio"}],
        "is_anonymous": True,
        "allows_multiple_answers": False,
    }
    assert published.remote_id == f"{CHANNEL}:31"
    assert bot_api.requests_to("/sendMessage") == []


def test_stoppoll_gives_the_final_counts(bot_api, telegram) -> None:
    bot_api.answer("/stopPoll", ok(poll_object(OPTIONS, [3, 5], closed=True)))
    closer = capable(telegram, ClosesPoll)
    assert closer is not None and capable(telegram, ReadsPoll) is None  # no count while open

    poll = closer.close_poll(f"{CHANNEL}:31")

    assert bot_api.requests_to("/stopPoll")[0].json() == {"chat_id": str(CHANNEL), "message_id": 31}
    assert [(o.title, o.votes) for o in poll.options] == [("Vanilla", 3), ("Pistachio", 5)]
    assert (poll.voters, poll.closed) == (8, True)


def test_an_unreadable_stoppoll_answer_is_a_clear_error(bot_api, telegram) -> None:
    bot_api.answer("/stopPoll", ok({"id": "1", "options": "?"}))
    with pytest.raises(Permanent, match="poll was unreadable"):
        telegram.close_poll(f"{CHANNEL}:31")


@pytest.mark.parametrize(
    ("text", "options"),
    [("Q?", ["only one"]), ("Q?", ["a"] * 11), ("Q?", ["x" * 101, "b"]), ("x" * 301, ["a", "b"])],
)
def test_bad_polls_are_refused_before_sending(bot_api, telegram, text, options) -> None:
    with pytest.raises(Permanent):
        telegram.publish(OutgoingPost(text=text, options={"poll": {"options": options}}))
    assert bot_api.seen == []
