"""Shared pieces of the inbox pages: scoped look-ups and the way back after an action.

The pages themselves are split by area: ``listing`` (the list, bulk actions, CSV export),
``conversation`` (one thread), ``actions`` (what a person does on a thread),
``saved`` (saved replies and inbox settings), ``rules`` and ``rules_lists`` (moderation rules).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme

from chorus.accounts.models import User
from chorus.inbox.models import Conversation, Message
from chorus.workspaces.http import WorkspaceRequest


def acting(request: HttpRequest) -> User:
    """The signed-in person (``workspace_view`` already refused anonymous visitors)."""
    user = request.user
    assert isinstance(user, User)
    return user


def conversation_of(request: WorkspaceRequest, pk: int) -> Conversation:
    """Another workspace's conversation is simply not found (invariant 2)."""
    return get_object_or_404(
        Conversation.objects.select_related("channel", "author", "assignee", "workspace"),
        pk=pk,
        workspace=request.workspace,
    )


def message_of(conversation: Conversation, pk: int) -> Message:
    return get_object_or_404(
        Message.objects.select_related("channel", "author", "conversation__workspace"),
        pk=pk,
        conversation=conversation,
        workspace_id=conversation.workspace_id,
    )


def back(request: HttpRequest, fallback: str) -> HttpResponse:
    """Where the person was (only a path on this site), else ``fallback``."""
    wanted = str(request.POST.get("next") or "")
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
        return redirect(wanted)
    return redirect(fallback)
