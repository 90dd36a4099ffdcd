"""The demo workspace's contests: one open on a recent post (entries arriving), one drawn last
month on an older post, with its public certificate. Made through the real services (the inbox's
ingest, open, close, draw), so the demo shows what a team would see."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.urls import reverse

from chorus.accounts.models import User
from chorus.channels.base import Author, InboxItem
from chorus.engagement import contests
from chorus.engagement.models import Contest
from chorus.inbox.ingest import ingest
from chorus.publishing.models import PostTarget, State
from chorus.workspaces.models import Workspace

FANS = [
    ("demo-fan-1", "margaux@piaille.fr", "Je tente ma chance pour le #moulin !"),
    ("demo-fan-2", "theo@mastodon.social", "Moulin pour moi s'il vous plaît #moulin"),
    ("demo-fan-3", "ines@piaille.fr", "Trop beau ce café ☕ #moulin"),
    ("demo-fan-4", "jules@framapiaf.org", "Bonjour, vous ouvrez dimanche ?"),
    ("demo-fan-5", "nora@piaille.fr", "#moulin je participe !"),
    ("demo-fan-1", "margaux@piaille.fr", "Et encore une fois #moulin"),
    ("demo-fan-6", "paul@mastodon.social", "Partant ! #moulin"),
]


def fill_contests_demo(workspace: Workspace, owner: User, now: datetime) -> list[Contest]:
    posts = list(
        PostTarget.objects.filter(
            workspace=workspace, state=State.PUBLISHED, channel__network="mastodon"
        )
        .exclude(remote_id="")
        .order_by("published_at")
    )
    if len(posts) < 2:
        return []
    older, recent = posts[0], posts[-1]
    return [_drawn(workspace, owner, older, now), _open(workspace, owner, recent, now)]


def _contest(workspace: Workspace, owner: User, post: PostTarget, **fields: object) -> Contest:
    contest = Contest(
        workspace=workspace,
        created_by=owner,
        organiser="Café Lumière SARL, 12 rue des Halles, 44000 Nantes",
        prizes="Un moulin à café manuel et 1 kg de notre mélange maison",
        keyword="#moulin",
        checked_by_hand="Suit le compte @cafelumiere",
        rules_language="fr",
        winners=1,
        alternates=2,
        **fields,
    )
    address = reverse("engagement:contest_certificate", args=[contest.public_id])
    return contests.save_draft(contest, [post], owner, address)


def _entries(post: PostTarget, start: datetime) -> None:
    ingest(
        post.channel,
        [
            InboxItem(
                remote_id=f"{post.remote_id}-contest-{n}",
                kind="comment",
                conversation_id=post.remote_id,
                author=Author(remote_id=who, handle=handle, display_name=handle.split("@")[0]),
                text=text,
                created_at=start + timedelta(hours=3 * n),
                in_reply_to=post.remote_id,
            )
            for n, (who, handle, text) in enumerate(FANS)
        ],
    )


def _drawn(workspace: Workspace, owner: User, post: PostTarget, now: datetime) -> Contest:
    opens, closes = now - timedelta(days=30), now - timedelta(days=20)
    contest = _contest(
        workspace, owner, post, title="Le moulin de l'automne", opens_at=opens, closes_at=closes,
        randomness_source="secret",
    )  # fmt: skip
    _entries(post, opens + timedelta(hours=2))
    contests.open_contest(contest, owner, at=opens)
    contests.close_contest(contest, owner, at=closes + timedelta(minutes=5))
    return contests.draw_contest(contest, owner)


def _open(workspace: Workspace, owner: User, post: PostTarget, now: datetime) -> Contest:
    opens, closes = now - timedelta(days=1), now + timedelta(days=6)
    contest = _contest(
        workspace, owner, post, title="Gagnez un moulin à café", opens_at=opens, closes_at=closes,
        randomness_source="drand",
    )  # fmt: skip
    _entries(post, opens + timedelta(minutes=30))
    return contests.open_contest(contest, owner, at=opens)
