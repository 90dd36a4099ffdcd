"""The relations directory and pipeline: who is in it, moving them along, notes, follow-ups,
linked accounts.

Who may do it is the caller's business (views check ``Permission.MANAGE_RELATIONS``); these keep
the rows right and write every change into the relation's history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.engagement.models.relations import (
    EventKind,
    FollowUp,
    Relation,
    RelationEvent,
    Stage,
)
from chorus.people.models import Author, Person
from chorus.workspaces.models import Workspace

BOARD_CARDS = 50  # per column; the list view shows the rest


class RelationError(ValueError):
    """A change that cannot be made, with the reason to show."""


@dataclass(frozen=True)
class DirectoryFilter:
    search: str = ""
    stage: str = ""
    network: str = ""
    topic: str = ""
    order: str = "name"


ORDERS = {
    "name": ("person__name", "pk"),
    "reach": ("-biggest_reach", "person__name"),
    "recent": ("-stage_changed_at", "pk"),
}


def directory(workspace: Workspace, shown: DirectoryFilter) -> QuerySet[Relation]:
    """The workspace's relations, filtered, with their accounts and reach, in a fixed number of
    queries (the figures come from ``relations_figures.voices_of_people`` for one page)."""
    relations = (
        Relation.objects.filter(workspace=workspace)
        .select_related("person")
        .prefetch_related(
            Prefetch("person__accounts", queryset=Author.objects.order_by("network", "handle"))
        )
    )
    if shown.search:
        term = shown.search
        relations = relations.filter(
            Q(person__name__icontains=term)
            | Q(email__icontains=term)
            | Q(
                pk__in=Author.objects.filter(workspace=workspace, handle__icontains=term).values(
                    "person__relation"
                )
            )
        )
    if shown.stage in Stage.values:
        relations = relations.filter(stage=shown.stage)
    if shown.network:
        with_account = Author.objects.filter(workspace=workspace, network=shown.network)
        relations = relations.filter(person__in=with_account.values("person"))
    if shown.topic:
        relations = relations.filter(topics__icontains=shown.topic)
    if shown.order == "reach":  # the join and grouping cost only when sorting by it
        nulls_last = Max("person__accounts__followers")
        relations = relations.annotate(biggest_reach=Coalesce(nulls_last, -1))
    return relations.order_by(*ORDERS.get(shown.order, ORDERS["name"]))


def reach_of(relation: Relation) -> int | None:
    """The largest audience among their accounts (from the prefetched accounts), or None when
    no network gives it."""
    counts = [a.followers for a in relation.person.accounts.all() if a.followers is not None]
    return max(counts, default=None)


def networks_in_directory(workspace: Workspace) -> list[str]:
    accounts = Author.objects.filter(workspace=workspace, person__relation__isnull=False)
    return sorted(set(accounts.values_list("network", flat=True).distinct()))


def board(workspace: Workspace) -> list[tuple[str, str, int, list[Relation]]]:
    """The five columns: stage key, label, how many, the most recently moved cards."""
    relations = Relation.objects.filter(workspace=workspace)
    counts = _stage_counts(relations)
    columns = []
    for stage in Stage:
        cards = list(
            relations.filter(stage=stage)
            .select_related("person")
            .order_by("-stage_changed_at", "-pk")[:BOARD_CARDS]
        )
        columns.append((stage.value, str(stage.label), counts.get(stage.value, 0), cards))
    return columns


def _stage_counts(relations: QuerySet[Relation]) -> dict[str, int]:
    rows = relations.values("stage").annotate(n=Count("pk")).order_by()
    return {row["stage"]: row["n"] for row in rows}


@transaction.atomic
def add_to_pipeline(workspace: Workspace, author: Author, by: User | None) -> Relation:
    """Put the person behind an account in the pipeline, as spotted (once: a second add is the
    relation already there)."""
    author = Author.objects.select_for_update().get(pk=author.pk, workspace=workspace)
    person = author.person
    if person is None:
        person = Person.objects.create(workspace=workspace, name=str(author)[:200])
        author.person = person
        author.save(update_fields=["person"])
    relation, created = Relation.objects.get_or_create(workspace=workspace, person=person)
    if created:
        record(
            relation, EventKind.ADDED, by, _("Added from %(account)s") % {"account": _at(author)}
        )
    return relation


def _at(author: Author) -> str:
    return f"{author.network}: {author.handle or author.display_name or author.remote_id}"


def record(relation: Relation, kind: str, by: User | None, text: str = "", **fields: str) -> None:
    RelationEvent.objects.create(
        workspace_id=relation.workspace_id, relation=relation, kind=kind, by=by, text=text, **fields
    )


@transaction.atomic
def move(relation: Relation, stage: str, by: User | None) -> bool:
    """Move to ``stage``; False when it was already there (nothing written)."""
    if stage not in Stage.values:
        raise RelationError(_("Unknown stage."))
    locked = Relation.objects.select_for_update().get(pk=relation.pk)
    if locked.stage == stage:
        return False
    before = locked.stage
    locked.stage = stage
    locked.stage_changed_at = timezone.now()
    locked.save(update_fields=["stage", "stage_changed_at"])
    record(locked, EventKind.STAGE, by, from_stage=before, to_stage=stage)
    relation.stage, relation.stage_changed_at = locked.stage, locked.stage_changed_at
    return True


def add_note(relation: Relation, text: str, by: User | None) -> None:
    if not text.strip():
        raise RelationError(_("Write the note first."))
    record(relation, EventKind.NOTE, by, text.strip())


def add_follow_up(
    relation: Relation, text: str, due_on: date, assignee: User, by: User | None
) -> FollowUp:
    return FollowUp.objects.create(
        workspace_id=relation.workspace_id,
        relation=relation,
        text=text.strip(),
        due_on=due_on,
        assignee=assignee,
        created_by=by,
    )


def finish_follow_up(follow_up: FollowUp) -> None:
    # Conditional: a second click (or a second tab) does not move the time it was done.
    FollowUp.objects.filter(pk=follow_up.pk, done_at__isnull=True).update(done_at=timezone.now())


def open_follow_ups_of(workspace: Workspace, user: User) -> QuerySet[FollowUp]:
    """What this person has to do, overdue first (the oldest due date leads)."""
    return (
        FollowUp.objects.filter(workspace=workspace, assignee=user, done_at__isnull=True)
        .select_related("relation__person")
        .order_by("due_on", "pk")
    )


@transaction.atomic
def link_account(relation: Relation, handle: str, by: User | None) -> Author:
    """Link one more of the workspace's accounts (found by handle) to this person."""
    handle = handle.strip().lstrip("@")
    matches = list(
        Author.objects.filter(workspace_id=relation.workspace_id, handle__iexact=handle)[:2]
    )
    if not matches:
        raise RelationError(_("No account with this handle has written to or about the brand."))
    if len(matches) > 1:
        raise RelationError(_("Several accounts have this handle; link it from the inbox."))
    author = matches[0]
    if author.person_id == relation.person_id:
        raise RelationError(_("This account is already linked to this person."))
    if author.person_id and Relation.objects.filter(person_id=author.person_id).exists():
        raise RelationError(_("This account belongs to another person in the directory."))
    Author.objects.filter(pk=author.pk).update(person=relation.person)
    record(relation, EventKind.LINKED, by, _at(author))
    return author


@transaction.atomic
def unlink_account(relation: Relation, author: Author, by: User | None) -> None:
    if author.person_id != relation.person_id:
        raise RelationError(_("This account is not linked to this person."))
    Author.objects.filter(pk=author.pk).update(person=None)
    record(relation, EventKind.UNLINKED, by, _at(author))
