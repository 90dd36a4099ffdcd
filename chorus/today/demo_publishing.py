"""The demo's plan: posts in every state over a month, queue slots and a few images.

Built straight in the tables (no scheduling service, no task): the demo channels are not linked
to any account, so a post that falls due simply fails with "reconnect" and nothing goes out.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing.models import (
    Media,
    Outcome,
    Post,
    PostComment,
    PostTarget,
    PublishAttempt,
    QueueSlot,
    State,
)
from chorus.workspaces.models import Workspace

SOON = -1  # an hour that means "in two hours", so that Today has something going out
# (days from today, local hour, text, state, channel keys, image index or None)
POSTS = [
    (-16, 9, "Nouvelle carte d'automne : chai latte, tarte aux pommes et cookies au sarrasin. 🍂",
     State.PUBLISHED, ["mastodon", "bluesky"], 0),
    (-12, 12, "Atelier latte art samedi à 10 h, 8 places. Inscriptions au comptoir !",
     State.PUBLISHED, ["mastodon"], None),
    (-9, 17, "Our roaster visited the Huila cooperative in Colombia: the story in pictures.",
     State.PUBLISHED, ["bluesky"], 1),
    (-6, 8, "Fermé exceptionnellement lundi matin pour l'inventaire. Réouverture à 13 h.",
     State.FAILED, ["mastodon"], None),
    (-4, 9, "5 ans du Café Lumière : merci à vous ! Un café offert toute la journée de samedi.",
     State.PUBLISHED, ["mastodon", "bluesky"], 0),
    (-2, 18, "Soirée jeux de société jeudi prochain, dès 19 h. Venez avec vos amis !",
     State.PUBLISHED, ["mastodon"], None),
    (-1, 10, "Le lait d'avoine arrive enfin ! Merci à tous ceux qui l'ont demandé.",
     State.UNCONFIRMED, ["bluesky"], None),
    (0, SOON, "Latte du jour : caramel beurre salé. Seulement aujourd'hui.",
     State.SCHEDULED, ["mastodon", "bluesky"], None),
    (2, 9, "New: vegan pastries every weekend, made by our neighbours at Four & Co.",
     State.SCHEDULED, ["mastodon"], None),
    (3, 12, "Le Café Lumière recrute un·e barista à mi-temps. Envoyez-nous un message !",
     State.AWAITING_APPROVAL, ["mastodon", "bluesky"], None),
    (5, 9, "Carte cadeau de fin d'année : disponible en boutique et en ligne.",
     State.SCHEDULED, ["mastodon", "bluesky"], 1),
    (10, 17, "Concert acoustique vendredi soir : entrée libre, chapeau pour l'artiste.",
     State.SCHEDULED, ["bluesky"], None),
    (14, 9, "Brouillon : idée de jeu concours pour les fêtes (à valider avec Claire).",
     State.DRAFT, ["mastodon"], None),
    (None, None, "Idée : une photo par semaine des habitués (avec leur accord).",
     State.DRAFT, ["mastodon", "bluesky"], None),
]  # fmt: skip
FAILED_BECAUSE = "The network refused the post: the account needs reconnecting."
UNCONFIRMED_BECAUSE = (
    "No answer from the network in time; Chorus looks for the post on the account before "
    "trying again, so it is never published twice."
)
IMAGES = [
    ("carte-automne.png", "Un chai latte et une part de tarte aux pommes sur le comptoir.",
     (217, 119, 6)),
    ("huila-cooperative.png", "Sacs de café vert empilés dans l'entrepôt de la coopérative.",
     (5, 150, 105)),
]  # fmt: skip
# The attempt each past state leaves in the post's log.
ATTEMPT_OUTCOMES: dict[str, str] = {
    State.PUBLISHED: Outcome.PUBLISHED,
    State.FAILED: Outcome.FAILED,
    State.UNCONFIRMED: Outcome.UNCONFIRMED,
}
# (channel key, weekdays, local times): the queue publishes at these times.
SLOTS = [("mastodon", range(5), ["08:30", "12:15", "17:45"]), ("bluesky", [1, 3, 5], ["10:00"])]


def demo_plan(workspace: Workspace, team: dict[str, User], channels: dict[str, Channel]) -> None:
    zone = ZoneInfo(workspace.timezone)
    today = datetime.now(zone).date()
    images = [_image(workspace, team["owner"], *spec) for spec in IMAGES]
    for number, row in enumerate(POSTS):
        days, hour, text, state, keys, image = row
        when = _when(today, days, hour, zone)
        author = team["sam"] if state == State.AWAITING_APPROVAL else team["lea"]
        post = Post.objects.create(
            workspace=workspace, author=author, text=text,
            needs_approval=state == State.AWAITING_APPROVAL,
        )  # fmt: skip
        if state == State.AWAITING_APPROVAL:
            PostComment.objects.create(
                workspace=workspace, post=post, author=team["lea"],
                text="Peux-tu ajouter les horaires du poste ? Sinon c'est parfait.",
            )  # fmt: skip
        for key in keys:
            target = _target(post, channels[key], state, when, number)
            if image is not None:
                target.media.add(images[image])
    _slots(workspace, channels)


def _when(today: date, days: int | None, hour: int | None, zone: ZoneInfo) -> datetime | None:
    if days is None or hour is None:
        return None
    if hour == SOON:
        return (timezone.now() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    return datetime.combine(today + timedelta(days=days), time(hour), zone)


def _target(post: Post, channel: Channel, state: str, when: Any, number: int) -> PostTarget:
    fields: dict[str, Any] = {"scheduled_at": when, "due_at": when}
    if state == State.PUBLISHED:
        fields |= {"published_at": when, "remote_id": f"demo-{number}-{channel.network}"}
    elif state == State.FAILED:
        fields |= {"last_error": FAILED_BECAUSE, "attempts": 1}
    elif state == State.UNCONFIRMED:
        fields |= {"last_error": UNCONFIRMED_BECAUSE, "attempts": 1, "claimed_at": when}
    target = PostTarget.objects.create(
        workspace=post.workspace, post=post, channel=channel, text=post.text, state=state,
        state_changed_at=when or post.created_at, **fields,
    )  # fmt: skip
    outcome = ATTEMPT_OUTCOMES.get(state)
    if outcome is not None:
        PublishAttempt.objects.create(
            workspace=post.workspace, target=target, started_at=when, finished_at=when,
            outcome=outcome, message=fields.get("last_error", ""),
        )  # fmt: skip
    return target


def _image(workspace: Workspace, owner: User, name: str, alt: str, colour: tuple) -> Media:
    """A small picture drawn here: the demo needs no file from outside."""
    picture = Image.new("RGB", (1200, 800), colour)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((420, 220, 780, 580), fill=(255, 248, 235))
    draw.ellipse((500, 300, 700, 500), fill=(120, 72, 40))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    media = Media(
        workspace=workspace, name=name, mime_type="image/png", size_bytes=buffer.tell(),
        width=1200, height=800, uploaded_by=owner, alt_text=alt,
    )  # fmt: skip
    media.file.save(name, ContentFile(buffer.getvalue()), save=True)
    return media


def _slots(workspace: Workspace, channels: dict[str, Channel]) -> None:
    for key, weekdays, times in SLOTS:
        for weekday in weekdays:
            for at in times:
                QueueSlot.objects.create(
                    workspace=workspace, channel=channels[key], weekday=weekday,
                    time=time.fromisoformat(at),
                )  # fmt: skip
