"""Polls across networks: ask once, publish everywhere, count each network its own way.

A poll is a publishing post (so it goes through approval and the dispatcher like any other)
whose variant on each channel carries the poll in the form that network understands:

- native, where the network has polls and Chorus can read or stop them (Mastodon's poll,
  Telegram's ``sendPoll``): the options go in the variant's ``options["poll"]``;
- reactions, where the network has reactions and tells who gave them (Matrix): the text lists
  one emoji per choice, and each person's first choice emoji counts;
- replies, elsewhere (Bluesky and every network whose replies reach the inbox): the text lists
  numbered choices, and each person's first reply naming a number or a choice's text counts.

Reading the counts is :mod:`chorus.engagement.poll_tallies`; the combined result is
:mod:`chorus.engagement.poll_results`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.channels.base import Capability
from chorus.channels.capabilities import ClosesPoll, ReadsPoll, TalliesReactions, offers
from chorus.channels.models import Channel
from chorus.channels.registry import get_network
from chorus.engagement.models.polls import CountedBy, Poll, PollTally
from chorus.publishing.composition import go_out
from chorus.publishing.models import PostTarget
from chorus.publishing.services import create_post
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can, membership_of

MIN_OPTIONS, MAX_OPTIONS = 2, 10
OPTION_MAX_CHARS = 100  # Telegram's limit on a choice, the tightest of the networks
QUESTION_MAX_CHARS = 300  # Telegram's limit on a poll's question
MIN_DURATION = timedelta(minutes=5)  # Mastodon's shortest poll
MAX_DURATION = timedelta(days=30)
# One emoji per choice on networks tallied from reactions: keycap digits, then ten.
EMOJI = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")


class PollRefused(Exception):
    """A poll that cannot be made as asked; the message is for the person who asked."""


def counted_by(channel: Channel) -> CountedBy | None:
    """How this channel's votes can be counted, or None if Chorus cannot count them there."""
    network = get_network(channel.network)
    if network.can(Capability.POLL) and (offers(network, ReadsPoll) or offers(network, ClosesPoll)):
        return CountedBy.NATIVE
    if offers(network, TalliesReactions):
        return CountedBy.REACTIONS
    if network.can(Capability.INBOX) and network.can(Capability.PUBLISH):
        return CountedBy.REPLIES
    return None


@transaction.atomic
def create_poll(
    workspace: Workspace,
    by: User,
    question: str,
    options: Sequence[str],
    closes_at: datetime,
    channels: Sequence[Channel],
) -> Poll:
    """A poll and its post (a draft, one variant per channel, each in its network's form)."""
    if not can(membership_of(by, workspace), Permission.RUN_CONTESTS):
        raise PollRefused(_("You cannot run polls in this workspace."))
    question, choices = question.strip(), [option.strip() for option in options]
    _check(question, choices, closes_at, channels)
    post = create_post(workspace, by, question, channels)
    poll = Poll.objects.create(
        workspace=workspace,
        post=post,
        question=question,
        options=choices,
        closes_at=closes_at,
        created_by=by,
    )
    for target in post.targets.select_related("channel"):
        how = counted_by(target.channel)
        assert how is not None  # checked above
        _shape_variant(target, how, poll)
        PollTally.objects.create(workspace=workspace, poll=poll, target=target, counted_by=how)
    return poll


def _check(
    question: str, choices: list[str], closes_at: datetime, channels: Sequence[Channel]
) -> None:
    if not question:
        raise PollRefused(_("Write the question."))
    if len(question) > QUESTION_MAX_CHARS:
        raise PollRefused(
            _("The question is at most %(limit)d characters.") % {"limit": QUESTION_MAX_CHARS}
        )
    if not MIN_OPTIONS <= len(choices) <= MAX_OPTIONS or not all(choices):
        raise PollRefused(
            _("A poll needs %(low)d to %(high)d choices, none empty.")
            % {"low": MIN_OPTIONS, "high": MAX_OPTIONS}
        )
    if len({choice.casefold() for choice in choices}) != len(choices):
        raise PollRefused(_("Two choices are the same."))
    if any(len(choice) > OPTION_MAX_CHARS for choice in choices):
        raise PollRefused(
            _("A choice is at most %(limit)d characters.") % {"limit": OPTION_MAX_CHARS}
        )
    now = timezone.now()
    if not now + MIN_DURATION <= closes_at <= now + MAX_DURATION:
        raise PollRefused(_("A poll closes between five minutes and thirty days from now."))
    if not channels:
        raise PollRefused(_("Choose at least one channel."))
    for channel in channels:
        if counted_by(channel) is None:
            raise PollRefused(
                _("Chorus cannot count votes on %(channel)s.") % {"channel": channel.name}
            )


def _shape_variant(target: PostTarget, how: CountedBy, poll: Poll) -> None:
    """The variant's text and options in the form its network understands (see the module)."""
    if how == CountedBy.NATIVE:
        seconds = int((poll.closes_at - timezone.now()).total_seconds())
        target.options = {"poll": {"options": list(poll.options), "expires_in": seconds}}
    elif how == CountedBy.REACTIONS:
        lines = [f"{EMOJI[n]} {choice}" for n, choice in enumerate(poll.options)]
        target.text = "\n".join([poll.question, "", *lines, "", _("React with your choice.")])
        target.customised = True
    else:
        lines = [f"{n}. {choice}" for n, choice in enumerate(poll.options, start=1)]
        hint = _("Reply with the number or the text of your choice.")
        target.text = "\n".join([poll.question, "", *lines, "", hint])
        target.customised = True
    target.save(update_fields=["text", "options", "customised"])


def publish_poll(poll: Poll, by: User) -> list[PostTarget]:
    """Send the poll's post on its way now (or for approval, if ``by`` needs it)."""
    if not can(membership_of(by, poll.workspace), Permission.RUN_CONTESTS):
        raise PollRefused(_("You cannot run polls in this workspace."))
    return go_out(poll.post, "publish", by=by)
