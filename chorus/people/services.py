"""People verbs: one person behind several accounts, and the accounts of a person.

Who may do it is the caller's business (the inbox checks its ``answer`` permission and the
workspace first); these only keep the links right.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet

from chorus.people.models import Author, Person
from chorus.workspaces.models import Workspace


@transaction.atomic
def link_identities(authors: list[Author], name: str, workspace: Workspace) -> Person:
    """One person behind several accounts of the workspace: the person one of them already has,
    or a new one named ``name`` (or after the first account)."""
    person = next((a.person for a in authors if a.person_id), None)
    if person is None:
        person = Person.objects.create(workspace=workspace, name=name or str(authors[0]))
    Author.objects.filter(pk__in=[a.pk for a in authors], workspace=workspace).update(person=person)
    return person


def accounts_of(author: Author) -> QuerySet[Author]:
    if author.person_id:
        return Author.objects.filter(workspace_id=author.workspace_id, person_id=author.person_id)
    return Author.objects.filter(pk=author.pk)
