"""`chorus demo`: a workspace a newcomer can look around in. It never touches a real network."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from chorus.accounts.models import User
from chorus.analytics.demo import fill_analytics_demo
from chorus.channels.models import Channel, ChannelStatus
from chorus.engagement.demo_contests import fill_contests_demo
from chorus.engagement.demo_polls import fill_polls_demo
from chorus.engagement.relations_demo import fill_relations_demo
from chorus.inbox.models import (
    Author,
    Conversation,
    Direction,
    Kind,
    Label,
    Message,
    Note,
    Rule,
    SavedReply,
)
from chorus.listening.demo import fill_listening_demo
from chorus.today.demo_publishing import demo_plan
from chorus.workspaces.models import Invitation, Membership, Role, Workspace

DEMO_SLUG = "demo-cafe-lumiere"
DEMO_EMAIL = "demo@chorus.invalid"
TEAM = [
    ("lea.martin@chorus.invalid", "Léa Martin", Role.EDITOR),
    ("sam.okafor@chorus.invalid", "Sam Okafor", Role.CONTRIBUTOR),
    ("agence.client@chorus.invalid", "Claire Dubois (client)", Role.CLIENT),
]


def _person(email: str, name: str, password: str | None = None) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=password, full_name=name)
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    return user


@transaction.atomic
def create_demo(password: str | None = None, *, reset: bool = False) -> tuple[Workspace, str]:
    """Create (or reset) the demo workspace; returns it and the demo sign-in password."""
    if reset:
        Workspace.objects.filter(slug=DEMO_SLUG).delete()
    password = password or secrets.token_urlsafe(9)
    owner = _person(DEMO_EMAIL, "Demo", password)
    owner.set_password(password)
    owner.save(update_fields=["password"])
    workspace, created = Workspace.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={"name": "Café Lumière (démo)", "timezone": "Europe/Paris", "is_demo": True},
    )
    if created:
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
        for email, name, role in TEAM:
            Membership.objects.create(workspace=workspace, user=_person(email, name), role=role)
        Invitation.objects.create(
            workspace=workspace,
            email="stagiaire@chorus.invalid",
            role=Role.CONTRIBUTOR,
            invited_by=owner,
        )
        channels = _demo_channels(workspace)
        _demo_inbox(workspace, owner, channels["mastodon"])
        team = {"owner": owner, "lea": _person(*TEAM[0][:2]), "sam": _person(*TEAM[1][:2])}
        demo_plan(workspace, team, channels)
        fill_listening_demo(workspace, timezone.now())
        fill_contests_demo(workspace, owner, timezone.now())
        fill_relations_demo(workspace, owner, team["lea"], timezone.now())
        fill_analytics_demo(workspace, timezone.now())
        fill_polls_demo(workspace, owner, channels, timezone.now())
    return workspace, password


# Not linked to any account, and said so the same way everywhere (channel list, its page, Today):
# each needs reconnecting, with the reason as its last error.
DEMO_CHANNELS = [
    ("mastodon", "Café Lumière", "cafelumiere@piaille.fr"),
    ("bluesky", "Café Lumière (Bluesky)", "cafelumiere.bsky.social"),
]
NOT_LINKED = "Demo channel: it is not linked to a real account, so nothing is ever published."


def _demo_channels(workspace: Workspace) -> dict[str, Channel]:
    now = timezone.now()
    return {
        network: Channel.objects.create(
            workspace=workspace,
            network=network,
            name=name,
            remote_id=f"demo-{network}",
            handle=handle,
            settings={"demo": True},  # no base_url, no credentials
            status=ChannelStatus.NEEDS_RECONNECT,
            last_error=NOT_LINKED,
            last_error_at=now,
        )  # fmt: skip
        for network, name, handle in DEMO_CHANNELS
    }


# -- the demo inbox ------------------------------------------------------------------------------
# (display name, handle, text, language, sentiment, intent, minutes ago, SLA hours left or None,
#  labels, assigned to Léa, status)
CONVERSATIONS = [
    ("Camille Roux", "camille@piaille.fr", "Ma commande n°4471 n'est toujours pas arrivée, ça "
     "fait 10 jours. Vous pouvez vérifier ?", "fr", "negative", "complaint", 12, -1, ["Livraison"],
     True, "new"),
    ("Jonas Weber", "jonas@mastodon.social", "Do you ship to Germany? I'd love to order the blue "
     "mug for my sister's birthday.", "en", "positive", "purchase_intent", 25, 2, ["VIP"], False,
     "new"),
    ("Inès Roy", "ines@eldritch.cafe", "Merci pour l'atelier latte art de samedi, c'était génial "
     "! Vous en refaites un ?", "fr", "positive", "question", 48, 3, [], False, "new"),
    ("Sam Okoro", "sam@fosstodon.org", "Is the shop open on Sunday afternoon?", "en", "neutral",
     "question", 70, 5, [], False, "new"),
    ("Léo Martin", "leo@piaille.fr", "Le lien de votre newsletter renvoie une erreur 404.", "fr",
     "negative", "complaint", 95, 1, ["Site web"], True, "pending"),
    ("Marie Dupont", "marie.dupont@framapiaf.org", "Journaliste à Ouest-France : pourriez-vous "
     "me dire combien de cafés vous torréfiez par semaine ?", "fr", "neutral", "question", 130, 4,
     ["Presse"], False, "new"),
    ("Priya N.", "priya@hachyderm.io", "Best flat white in town, hands down. ☕", "en", "positive",
     "praise", 180, None, [], False, "new"),
    ("Hugo B.", "hugo@piaille.fr", "Toujours pas de lait d'avoine ? C'est dommage en 2025…", "fr",
     "negative", "complaint", 240, 6, [], False, "new"),
    ("Aiko T.", "aiko@mstdn.jp", "Can I book the upstairs room for a meetup of 20 people?", "en",
     "neutral", "purchase_intent", 320, 8, ["Événements"], True, "new"),
    ("Nadia K.", "nadia@mamot.fr", "Le gâteau au citron était sec aujourd'hui, déçue.", "fr",
     "negative", "complaint", 400, -3, [], False, "new"),
    ("Tom Becker", "tom@chaos.social", "Any vegan pastries this weekend?", "en", "neutral",
     "question", 600, None, [], False, "pending"),
    ("Lucie Moreau", "lucie@piaille.fr", "Bravo à toute l'équipe pour les 5 ans 🎉", "fr",
     "positive", "praise", 900, None, [], False, "resolved"),
    ("Omar S.", "omar@infosec.exchange", "Your Wi-Fi login page asks for my phone number. Why?",
     "en", "negative", "question", 1300, None, [], False, "pending"),
    ("Chloé Petit", "chloe@pouet.chapril.org", "Vous vendez des cartes cadeaux ?", "fr",
     "neutral", "purchase_intent", 2000, None, [], False, "resolved"),
    ("Ben Carter", "ben@mastodon.online", "Love the new autumn menu!", "en", "positive", "praise",
     3000, None, [], False, "resolved"),
]  # fmt: skip
LABELS = {"Livraison": "#d97706", "VIP": "#7c3aed", "Site web": "#0284c7", "Presse": "#db2777",
          "Événements": "#059669"}  # fmt: skip
SAVED_REPLIES = [
    ("Merci !", "fr", "Merci beaucoup {first_name}, ça nous fait très plaisir ! — {agent_name}"),
    ("Commande en retard", "fr", "Bonjour {first_name}, désolés pour ce retard. Pouvez-vous nous "
     "envoyer votre numéro de commande en message privé ? On regarde tout de suite. "
     "— {agent_name}, {brand}"),
    ("Opening hours", "en", "Hi {first_name}! We are open every day from 8am to 7pm, Sundays "
     "9am to 5pm. — {agent_name}"),
]  # fmt: skip


def _demo_inbox(workspace: Workspace, owner: User, channel: Channel) -> None:
    """A lively inbox on a demo channel that is not connected: nothing can ever be sent."""
    labels = {
        name: Label.objects.create(workspace=workspace, name=name, color=color)
        for name, color in LABELS.items()
    }
    lea = User.objects.get(email=TEAM[0][0])
    now = timezone.now()
    for number, row in enumerate(CONVERSATIONS):
        talk = _demo_conversation(workspace, channel, number, row, lea, now)
        talk.labels.set([labels[name] for name in row[8]])
        if number == 0:
            Note.objects.create(
                workspace=workspace,
                conversation=talk,
                author=lea,
                text="Colis parti lundi d'après l'entrepôt, je relance le transporteur.",
                created_at=now - timedelta(minutes=5),
            )
    for name, language, text in SAVED_REPLIES:
        SavedReply.objects.create(workspace=workspace, name=name, text=text, language=language)
    Rule.objects.create(
        workspace=workspace,
        name="Clients mécontents → priorité haute",
        position=1,
        conditions=[
            {"type": "sentiment", "negate": False, "values": ["negative"], "min_confidence": 0.6}
        ],  # fmt: skip
        actions=[{"type": "priority", "priority": 2}],
        created_by=owner,
    )


def _demo_conversation(
    workspace: Workspace, channel: Channel, number: int, row: tuple[Any, ...], lea: User,
    now: datetime,
) -> Conversation:  # fmt: skip
    name, handle, text, language, sentiment, intent, minutes, due, _labels, mine, status = row
    at = now - timedelta(minutes=minutes)
    author = Author.objects.create(
        workspace=workspace, network="mastodon", remote_id=f"demo-{number}", handle=handle,
        display_name=name, followers=37 * (number + 3) ** 2, message_count=1,
        first_seen_at=at, last_seen_at=at,
    )  # fmt: skip
    talk = Conversation.objects.create(
        workspace=workspace, channel=channel, remote_id=f"demo-thread-{number}",
        kind=Kind.MENTION, author=author, preview=text, status=status, sentiment=sentiment,
        language=language, message_count=1, first_message_at=at, last_message_at=at,
        waiting_since=at if status == "new" else None, assignee=lea if mine else None,
        priority=2 if sentiment == "negative" else 1,
        response_due_at=now + timedelta(hours=due) if due is not None else None,
        reply_needs_approval="Presse" in row[8],
    )  # fmt: skip
    Message.objects.create(
        workspace=workspace, conversation=talk, channel=channel, remote_id=f"demo-msg-{number}",
        author=author, text=text, created_at=at, received_at=at, language=language,
        sentiment=sentiment, confidence=0.82, intent=intent,
    )  # fmt: skip
    if status != "new":
        answer = "Merci pour votre message !" if language == "fr" else "Thanks for reaching out!"
        later = at + timedelta(minutes=9)
        Message.objects.create(
            workspace=workspace, conversation=talk, channel=channel,
            remote_id=f"demo-reply-{number}", direction=Direction.OUTGOING, kind=Kind.REPLY,
            sent_by=lea, text=answer, created_at=later, received_at=later,
        )  # fmt: skip
        Conversation.objects.filter(pk=talk.pk).update(
            message_count=2, last_message_at=later, first_response_at=later
        )
    return talk
