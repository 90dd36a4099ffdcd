"""Relations for the demo workspace: a dozen people at every stage of the pipeline, a few
follow-ups (one overdue), two outreach templates, and some of listening's demo authors left out
so that top voices has suggestions to make."""

from __future__ import annotations

from datetime import datetime, timedelta

from chorus.accounts.models import User
from chorus.engagement.models.relations import (
    EventKind,
    OutreachTemplate,
    Relation,
    RelationEvent,
    Stage,
)
from chorus.engagement.relations import add_follow_up
from chorus.people.models import Author, Person
from chorus.workspaces.models import Workspace

# Listening's demo authors taken into the pipeline (by handle); the others stay top voices.
FROM_LISTENING = [
    ("lyon-gourmand.fr", Stage.PARTNER, "food, Lyon, brunch", "redaction@lyon-gourmand.example"),
    ("camille@piaille.fr", Stage.CONTACTED, "coffee, latte art", ""),
    ("marie.press.bsky.social", Stage.DISCUSSING, "press, local news", "marie@ouest.example"),
]
# (name, network, handle, followers, stage, topics, days since the last move)
NEW_PEOPLE = [
    ("Inès Garnier", "mastodon", "ines@piaille.fr", 3_400, Stage.SPOTTED, "pastry, Lyon", 2),
    ("Baptiste Morel", "bluesky", "baptiste.bsky.social", 12_800, Stage.SPOTTED, "coffee", 5),
    ("Sofia Costa", "mastodon", "sofia@mastodon.social", 860, Stage.SPOTTED, "vegan, brunch", 1),
    ("Yuki Tanaka", "bluesky", "yuki.bsky.social", 5_200, Stage.CONTACTED, "latte art", 9),
    ("Le Bon Grain (blog)", "rss", "lebongrain.fr", 22_000, Stage.CONTACTED, "bakery", 12),
    ("Antoine Lefèvre", "mastodon", "antoine@piaille.fr", 1_900, Stage.DISCUSSING, "events", 4),
    ("Chloé Martin", "bluesky", "chloe.eats.bsky.social", 31_500, Stage.PARTNER, "food", 40),
    ("Rémi Fabre", "mastodon", "remi@chaos.social", 720, Stage.PAUSED, "coffee, cycling", 60),
    ("Nour Haddad", "bluesky", "nour.bsky.social", 9_300, Stage.PAUSED, "tea", 30),
]
TEMPLATES = [
    (
        "Premier contact (blog)",
        "Bonjour {name},\n\nNous suivons {handle} avec plaisir chez {brand}. Seriez-vous tenté(e) "
        "par une dégustation de notre nouvelle torréfaction, sans engagement ?\n\nBelle journée !",
    ),
    (
        "Invitation à un événement",
        "Bonjour {name}, {brand} organise une soirée latte art le mois prochain. "
        "Nous serions ravis de vous y accueillir !",
    ),
]


def fill_relations_demo(workspace: Workspace, owner: User, editor: User, now: datetime) -> None:
    relations = [_from_listening(workspace, row, owner, now) for row in FROM_LISTENING]
    relations += [_new_person(workspace, row, owner, now) for row in NEW_PEOPLE]
    for name, text in TEMPLATES:
        OutreachTemplate.objects.create(workspace=workspace, name=name, text=text)
    by_name = {relation.person.name: relation for relation in relations}
    today = now.date()
    add_follow_up(
        by_name["Yuki Tanaka"],
        "Relancer après le premier message",
        today - timedelta(days=2),
        owner,
        owner,
    )
    add_follow_up(
        by_name["Antoine Lefèvre"],
        "Envoyer le devis de la soirée",
        today + timedelta(days=1),
        owner,
        owner,
    )
    add_follow_up(
        by_name["Chloé Martin"],
        "Proposer le calendrier de posts de janvier",
        today + timedelta(days=6),
        editor,
        owner,
    )
    RelationEvent.objects.create(
        workspace=workspace,
        relation=by_name["Chloé Martin"],
        kind=EventKind.NOTE,
        text="Préfère être contactée par e-mail ; publie surtout le week-end.",
        by=owner,
        at=now - timedelta(days=3),
    )  # fmt: skip


def _from_listening(
    workspace: Workspace, row: tuple[str, str, str, str], owner: User, now: datetime
) -> Relation:
    handle, stage, topics, email = row
    author = Author.objects.get(workspace=workspace, remote_id=f"demo-listening-{handle}")
    person = Person.objects.create(workspace=workspace, name=author.display_name or handle)
    Author.objects.filter(pk=author.pk).update(person=person)
    return _relation(workspace, person, stage, topics, email, owner, now - timedelta(days=8))


def _new_person(
    workspace: Workspace, row: tuple[str, str, str, int, str, str, int], owner: User, now: datetime
) -> Relation:
    name, network, handle, followers, stage, topics, days = row
    person = Person.objects.create(workspace=workspace, name=name)
    Author.objects.create(
        workspace=workspace,
        network=network,
        remote_id=f"demo-relations-{handle}",
        handle=handle,
        display_name=name,
        followers=followers,
        person=person,
    )
    return _relation(workspace, person, stage, topics, "", owner, now - timedelta(days=days))


def _relation(
    workspace: Workspace,
    person: Person,
    stage: str,
    topics: str,
    email: str,
    owner: User,
    moved_at: datetime,
) -> Relation:
    relation = Relation.objects.create(
        workspace=workspace,
        person=person,
        stage=stage,
        topics=topics,
        email=email,
        created_at=moved_at - timedelta(days=10),
        stage_changed_at=moved_at,
    )
    RelationEvent.objects.create(
        workspace=workspace, relation=relation, kind=EventKind.ADDED, by=owner,
        at=relation.created_at,
    )  # fmt: skip
    if stage != Stage.SPOTTED:
        RelationEvent.objects.create(
            workspace=workspace, relation=relation, kind=EventKind.STAGE, by=owner,
            from_stage=Stage.SPOTTED, to_stage=stage, at=moved_at,
        )  # fmt: skip
    return relation
