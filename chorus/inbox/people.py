"""The people behind accounts, as the inbox sees them: one person may write from several
accounts (linked in :mod:`chorus.people`), and their history with the brand is read across all
of them.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.inbox.models import Conversation
from chorus.inbox.previews import latest_incoming_state
from chorus.inbox.services import InboxRuleBroken, must_answer
from chorus.people import services as people
from chorus.people.models import Author, Person
from chorus.people.services import accounts_of as accounts_of  # the inbox's pages ask here
from chorus.workspaces.models import Workspace


@transaction.atomic
def link_authors(authors: list[Author], name: str, by: User) -> Person:
    """One person behind several accounts: their history is read across all of them."""
    if len(authors) < 1:
        raise InboxRuleBroken(_("Choose at least one account."))
    workspace_ids = {a.workspace_id for a in authors}
    if len(workspace_ids) != 1:
        raise InboxRuleBroken(_("These accounts do not belong to the same workspace."))
    workspace = Workspace.objects.get(pk=workspace_ids.pop())
    must_answer(workspace, by)
    return people.link_identities(authors, name, workspace)


def author_history(author: Author, limit: int = 20) -> list[Conversation]:
    """Every conversation the person had with the brand, from any of their accounts."""
    return list(
        Conversation.objects.filter(
            workspace_id=author.workspace_id, author__in=accounts_of(author)
        )
        .select_related("channel")
        .annotate(preview_state=latest_incoming_state())
        .order_by("-last_message_at")[:limit]
    )
