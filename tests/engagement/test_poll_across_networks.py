"""A poll on Telegram (native, on the loopback Bot API) and Bluesky (replies from the inbox):
published through the publishing flow, tallied, closed with stopPoll, its results drafted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.accounts.models import User
from chorus.engagement import poll_results, poll_tallies, polls
from chorus.engagement.models.polls import CountedBy
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import PostTarget, State
from chorus.workspaces.models import Membership, Role, Workspace
from tests.channels.telegram.loopback import LoopbackApi, loopback  # noqa: F401  (a fixture)
from tests.channels.telegram.telegram_bot import CHANNEL
from tests.engagement.poll_factories import (
    bluesky_channel,
    ok_poll,
    poll_object,
    reply,
    sent_poll,
    telegram_channel,
)

pytestmark = pytest.mark.django_db
OPTIONS = ["Vanilla", "Crème brûlée", "Pistachio"]


def _poll(alice: User, workspace: Workspace, *channels):  # type: ignore[no-untyped-def]
    return polls.create_poll(
        workspace,
        alice,
        "Which flavour next?",
        OPTIONS,
        timezone.now() + timedelta(hours=2),
        list(channels),
    )


def test_each_network_gets_the_poll_in_its_own_form(
    alice: User,
    workspace_a: Workspace,
    loopback: LoopbackApi,  # noqa: F811
) -> None:
    telegram, sky = telegram_channel(workspace_a, loopback), bluesky_channel(workspace_a)
    poll = _poll(alice, workspace_a, telegram, sky)

    by_network = {t.target.channel.network: t for t in poll.tallies.select_related("target")}
    assert by_network["telegram"].counted_by == CountedBy.NATIVE
    assert by_network["telegram"].target.options["poll"]["options"] == OPTIONS
    assert by_network["bluesky"].counted_by == CountedBy.REPLIES
    assert "2. Crème brûlée" in by_network["bluesky"].target.text


def test_telegram_poll_goes_out_with_sendpoll_and_closes_with_stoppoll(
    alice: User,
    workspace_a: Workspace,
    loopback: LoopbackApi,  # noqa: F811
) -> None:
    loopback.answer("/sendPoll", sent_poll(77, OPTIONS))
    telegram = telegram_channel(workspace_a, loopback)
    poll = _poll(alice, workspace_a, telegram)

    polls.publish_poll(poll, alice)
    for target in PostTarget.objects.filter(post=poll.post):  # what the queue's task does
        publish_target(target.pk)

    sent = loopback.requests_to("/sendPoll")[0].json()
    assert sent["question"] == "Which flavour next?"
    assert sent["options"] == [{"text": o} for o in OPTIONS]
    assert "open_period" not in sent  # Telegram allows ten minutes at most: Chorus stops it
    target = PostTarget.objects.get(post=poll.post)
    assert (target.state, target.remote_id) == (State.PUBLISHED, f"{CHANNEL}:77")

    poll_tallies.tally_poll(poll)  # while open, a bot cannot read the counts
    assert poll_results.results_of(poll).networks[0].counts is None

    loopback.answer("/stopPoll", ok_poll(poll_object(OPTIONS, [4, 9, 2], closed=True)))
    poll_tallies.close_poll(poll)

    assert loopback.requests_to("/stopPoll")[0].json() == {
        "chat_id": str(CHANNEL),
        "message_id": 77,
    }
    results = poll_results.results_of(poll)
    assert [o.votes for o in results.options] == [4, 9, 2]
    assert results.total == 15 and results.networks[0].final


def test_replies_count_once_per_person_by_number_or_text(
    alice: User, workspace_a: Workspace
) -> None:
    sky = bluesky_channel(workspace_a)
    poll = _poll(alice, workspace_a, sky)
    uri = "at://did:plc:brandsky/app.bsky.feed.post/3kpoll"
    PostTarget.objects.filter(post=poll.post).update(state=State.PUBLISHED, remote_id=uri)
    reply(sky, uri, "ann", "2 for sure", 1)
    reply(sky, uri, "ann", "1 actually", 2)  # a second vote from ann: not counted
    reply(sky, uri, "ben", "creme brulee!!", 3)  # the text, without accents
    reply(sky, uri, "cy", "#3", 4)
    reply(sky, uri, "dee", "I love them all", 5)  # names no choice
    reply(sky, uri, "eve", "7", 6)  # no such choice

    poll_tallies.tally_poll(poll)

    tally = poll.tallies.get()
    assert (tally.counts, tally.voters) == ([0, 2, 1], 3)


def test_a_closed_poll_drafts_its_results_for_approval_once(
    alice: User, workspace_a: Workspace
) -> None:
    sky = bluesky_channel(workspace_a)
    poll = _poll(alice, workspace_a, sky)
    uri = "at://did:plc:brandsky/app.bsky.feed.post/3kpoll"
    PostTarget.objects.filter(post=poll.post).update(state=State.PUBLISHED, remote_id=uri)
    reply(sky, uri, "ann", "Pistachio", 1)

    poll_tallies.close_poll(poll)
    poll_tallies.close_poll(poll)  # a second close (another worker, a person) changes nothing

    poll.refresh_from_db()
    draft = poll.results_post
    assert draft is not None and draft.needs_approval and draft.author is None
    assert {t.state for t in draft.targets.all()} == {State.AWAITING_APPROVAL}
    assert "Pistachio" in draft.text and "100%" in draft.text
    assert poll.tallies.get().final


def test_the_schedule_closes_due_polls(alice: User, workspace_a: Workspace) -> None:
    sky = bluesky_channel(workspace_a)
    poll = _poll(alice, workspace_a, sky)
    PostTarget.objects.filter(post=poll.post).update(state=State.PUBLISHED, remote_id="at://x")

    assert poll_tallies.read_due_polls() == (0, 1)
    assert poll_tallies.read_due_polls(now=poll.closes_at + timedelta(seconds=1)) == (1, 0)
    poll.refresh_from_db()
    assert poll.is_closed


@pytest.mark.parametrize(
    ("options", "hours"),
    [(["only one"], 2), (["a", "A"], 2), (["a", ""], 2), (["a", "b"], -1), (["a", "b"], 24 * 40)],
)
def test_bad_polls_are_refused_and_nothing_is_stored(
    alice: User, workspace_a: Workspace, options: list[str], hours: int
) -> None:
    sky = bluesky_channel(workspace_a)
    with pytest.raises(polls.PollRefused):
        polls.create_poll(
            workspace_a, alice, "Q?", options, timezone.now() + timedelta(hours=hours), [sky]
        )
    assert not PostTarget.objects.filter(channel=sky).exists()


def test_a_contributor_cannot_run_polls(bob: User, workspace_a: Workspace) -> None:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    with pytest.raises(polls.PollRefused):
        _poll(bob, workspace_a, bluesky_channel(workspace_a))
