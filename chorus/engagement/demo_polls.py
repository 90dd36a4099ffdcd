"""Demo polls and questions: a closed poll with its results and an open question with answers,
on the demo workspace's channels (never linked to a network: nothing is read or sent)."""

from __future__ import annotations

from datetime import datetime, timedelta

from chorus.accounts.models import User
from chorus.channels.base import AccountInfo, InboxItem
from chorus.channels.models import Channel
from chorus.engagement.models.polls import CountedBy, Poll, PollTally, Question, StarredAnswer
from chorus.engagement.poll_results import draft_results_post
from chorus.inbox import ingest
from chorus.inbox.models import Message
from chorus.publishing.models import Post, PostTarget, State
from chorus.publishing.services import create_post
from chorus.workspaces.models import Workspace

POLL = ("Quel gâteau pour le menu d'hiver ?", ["Tarte au citron", "Brioche à la praline", "Cake"])
# Votes per choice on each demo network, as its poll or its replies counted them.
VOTES = {"mastodon": (CountedBy.NATIVE, [41, 63, 18]), "bluesky": (CountedBy.REPLIES, [12, 20, 9])}
QUESTION = "Qu'aimeriez-vous voir dans notre prochain atelier ?"
ANSWERS = [
    ("bsky", "anna.bsky.social", "Un atelier latte art pour débutants !", 30),
    ("masto", "jules@piaille.fr", "latte art débutants, oui !!", 45),
    ("bsky", "kim.bsky.social", "Torréfaction à la maison, je suis curieuse", 60),
    ("masto", "theo@mamot.fr", "La torréfaction maison, comment on fait ?", 80),
    ("bsky", "lina.bsky.social", "Les cafés filtres, V60 et Chemex", 95),
    ("masto", "marc@piaille.fr", "Franchement les ateliers sont trop chers, dommage.", 120),
]


def fill_polls_demo(
    workspace: Workspace, owner: User, channels: dict[str, Channel], now: datetime
) -> None:
    _closed_poll(workspace, owner, channels, now)
    _open_question(workspace, owner, channels, now)


def _published(
    workspace: Workspace, owner: User, text: str, channels: list[Channel], at: datetime
) -> Post:
    post = create_post(workspace, owner, text, channels)
    for target in post.targets.all():
        PostTarget.objects.filter(pk=target.pk).update(
            state=State.PUBLISHED,
            remote_id=f"demo-{post.pk}-{target.channel.network}",
            published_at=at,
            scheduled_at=at,
        )
    return post


def _closed_poll(
    workspace: Workspace, owner: User, channels: dict[str, Channel], now: datetime
) -> None:
    question, options = POLL
    opened = now - timedelta(days=4)
    post = _published(workspace, owner, question, list(channels.values()), opened)
    poll = Poll.objects.create(
        workspace=workspace,
        post=post,
        question=question,
        options=options,
        closes_at=now - timedelta(days=1),
        closed_at=now - timedelta(days=1),
        created_by=owner,
        created_at=opened,
    )
    for target in post.targets.select_related("channel"):
        how, counts = VOTES[target.channel.network]
        PollTally.objects.create(
            workspace=workspace,
            poll=poll,
            target=target,
            counted_by=how,
            counts=counts,
            voters=sum(counts),
            final=True,
            read_at=poll.closes_at,
        )
    draft_results_post(poll)


def _open_question(
    workspace: Workspace, owner: User, channels: dict[str, Channel], now: datetime
) -> None:
    post = _published(workspace, owner, QUESTION, list(channels.values()), now - timedelta(hours=3))
    question = Question.objects.create(workspace=workspace, post=post, created_by=owner)
    by_network = {"bsky": channels["bluesky"], "masto": channels["mastodon"]}
    for number, (where, handle, text, minutes) in enumerate(ANSWERS):
        channel = by_network[where]
        target = post.targets.get(channel=channel)
        item = InboxItem(
            remote_id=f"demo-answer-{number}",
            kind="reply",
            conversation_id=target.remote_id,
            author=AccountInfo(remote_id=f"demo-answer-author-{number}", handle=handle),
            text=text,
            created_at=now - timedelta(hours=3) + timedelta(minutes=minutes),
            in_reply_to=target.remote_id,
        )
        ingest.ingest(channel, [item])
    best = Message.objects.get(channel=channels["bluesky"], remote_id="demo-answer-0")
    StarredAnswer.objects.create(
        workspace=workspace, question=question, message=best, starred_by=owner
    )
