"""What a person does with one mention: assign it, label it, answer it in the inbox. Thin:
the rules are in ``chorus.listening.mention_actions``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts.models import User
from chorus.inbox.models import Label
from chorus.listening.mention_actions import (
    MentionActionRefused,
    assign_mention,
    label_mention,
    open_conversation,
    unlabel_mention,
)
from chorus.listening.models import Mention
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Membership
from chorus.workspaces.permissions import Permission


def mention_of(request: WorkspaceRequest, pk: int) -> Mention:
    """Another workspace's mention is simply not found (invariant 2)."""
    return get_object_or_404(
        Mention.objects.select_related("workspace", "source", "author"),
        pk=pk,
        workspace=request.workspace,
    )


def _back(request: HttpRequest) -> HttpResponse:
    """Back where the person was (a path on this site only), else the stream."""
    wanted = str(request.POST.get("next") or "")
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(wanted, allowed_hosts=None):
        return redirect(wanted)
    return redirect("listening:mentions")


@require_POST
@workspace_view(Permission.ANSWER)
def assign(request: WorkspaceRequest, pk: int) -> HttpResponse:
    mention = mention_of(request, pk)
    user_id = str(request.POST.get("assignee") or "")
    member = None
    if user_id:
        chosen = int(user_id) if user_id.isdigit() and len(user_id) < 19 else 0
        member = get_object_or_404(Membership, workspace=request.workspace, user_id=chosen)
    assignee: User | None = member.user if member else None
    assign_mention(mention, assignee, request.user)
    if assignee:
        messages.success(request, _("Mention given to %(name)s.") % {"name": assignee})
    else:
        messages.success(request, _("Nobody is looking after this mention now."))
    return _back(request)


@require_POST
@workspace_view(Permission.ANSWER)
def label(request: WorkspaceRequest, pk: int) -> HttpResponse:
    mention = mention_of(request, pk)
    try:
        added = label_mention(mention, str(request.POST.get("label", "")), request.user)
    except MentionActionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Label “%(name)s” added.") % {"name": added.name})
    return _back(request)


@require_POST
@workspace_view(Permission.ANSWER)
def unlabel(request: WorkspaceRequest, pk: int, label_id: int) -> HttpResponse:
    mention = mention_of(request, pk)
    removed = get_object_or_404(Label, pk=label_id, workspace=request.workspace)
    unlabel_mention(mention, removed, request.user)
    return _back(request)


@require_POST
@workspace_view(Permission.ANSWER)
def answer(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Open (or make) the inbox conversation of this mention and go there to write the answer."""
    mention = mention_of(request, pk)
    try:
        conversation = open_conversation(mention, request.user)
    except MentionActionRefused as refused:
        messages.error(request, str(refused))
        return _back(request)
    return redirect("inbox:conversation", conversation.pk)
