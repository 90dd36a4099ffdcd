"""Winners are told by an answer to their own entry (not the latest comment on the post),
through the inbox and the dispatcher to a Mastodon on loopback; privately where it can."""

from __future__ import annotations

from datetime import timedelta

import pytest

from chorus.engagement import contest_winners, contests
from chorus.engagement.models import EventKind
from chorus.inbox.models import Direction, Message, SavedReply
from tests.engagement.contest_support import contest_on, published_post, replies_to


@pytest.fixture
def drawn_contest(channel_a, alice, monkeypatch):  # type: ignore[no-untyped-def]
    target = published_post(channel_a, remote_id="109000000000000001")
    replies_to(target, ("ann", "me"), ("ben", "me"), ("cat", "me"), ("dan", "me"))
    contest = contest_on(target, winners=1, alternates=1)
    contests.open_contest(contest, alice)
    monkeypatch.setattr(contests, "now", lambda: contest.closes_at + timedelta(minutes=1))
    contests.close_contest(contest, alice)
    return contests.draw_contest(contest, alice)


def test_the_winner_gets_a_private_answer_to_their_own_entry(
    drawn_contest, alice, standin, django_capture_on_commit_callbacks
) -> None:
    (winner,) = contest_winners.winners_to_tell(drawn_contest)
    assert winner.can_reply and winner.can_reply_privately and not winner.told
    saved = SavedReply.objects.create(
        workspace=drawn_contest.workspace, name="You won", text="You won! Send us your address."
    )

    with django_capture_on_commit_callbacks(execute=True):
        answer = contest_winners.tell_winner(
            drawn_contest, winner.entry_id, "", alice, saved_reply=saved, privately=True
        )

    entry = Message.objects.get(pk=winner.message.pk)
    target = answer.reply_target
    assert answer.direction == Direction.OUTGOING and answer.in_reply_to == entry.remote_id
    assert target.options == {"reply_to": entry.remote_id, "visibility": "direct"}
    assert target.text.startswith(f"@{entry.author.handle} You won!")
    (sent,) = [s for s in standin.store.statuses if s.reply_to == entry.remote_id]
    assert "Send us your address" in sent.text
    assert contest_winners.winners_to_tell(drawn_contest)[0].told
    assert drawn_contest.events.filter(kind=EventKind.TOLD, detail=winner.entry_id).exists()


def test_only_a_current_winner_is_told(drawn_contest, alice) -> None:
    loser = next(e for e in drawn_contest.entries if e not in drawn_contest.picks)

    with pytest.raises(contests.ContestRuleBroken):
        contest_winners.tell_winner(drawn_contest, loser, "You won", alice)
