"""People in the relations directory, with accounts, mentions and inbox messages, written
straight with the models (as listening's and the inbox's ingest would store them)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from chorus.engagement.models.relations import Relation
from chorus.people.models import Author, Person
from chorus.workspaces.models import Workspace
from tests.listening.mention_factories import make_author, make_mention


def relation(
    workspace: Workspace, name: str, *, handle: str = "", followers: int | None = None, **fields
) -> Relation:  # type: ignore[no-untyped-def]
    person = Person.objects.create(workspace=workspace, name=name)
    if handle:
        account = make_author(workspace, handle, followers=followers)
        Author.objects.filter(pk=account.pk).update(person=person)
    return Relation.objects.create(workspace=workspace, person=person, **fields)


def account_of(relation_: Relation) -> Author:
    return Author.objects.filter(person=relation_.person).first()  # type: ignore[return-value]


def mentions_by(author: Author, *sentiments: str, days_ago: int = 1, text: str = "") -> None:
    for n, sentiment in enumerate(sentiments):
        make_mention(
            author.workspace,
            text or f"Acme coffee latte number {n}",
            timezone.now() - timedelta(days=days_ago, minutes=n),
            sentiment=sentiment,
            author=author,
        )
