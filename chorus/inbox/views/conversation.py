"""One conversation: the thread, who wrote it, the team's notes, and the reply box."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from chorus.channels.base import Capability
from chorus.channels.health import refused_rights
from chorus.channels.registry import get_network
from chorus.inbox import people, replies, saved_replies, services
from chorus.inbox.forms import ReplyForm
from chorus.inbox.models import (
    AuthorList,
    Conversation,
    Label,
    Priority,
    RuleAction,
    SavedReply,
    Status,
)
from chorus.inbox.services_moderation import moderation_for
from chorus.inbox.views import acting, conversation_of
from chorus.inbox.views.listing import members_of, network_label
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _timeline(conversation: Conversation) -> list[tuple[str, Any]]:
    """Messages and the team's notes in one column, oldest first, each marked by its kind."""
    messages = conversation.messages.select_related(
        "author", "sent_by", "reply_target__post__approved_by"
    ).order_by("created_at", "pk")
    notes = conversation.notes.select_related("author").order_by("created_at")
    items = [("message", m) for m in messages] + [("note", n) for n in notes]
    return sorted(items, key=lambda item: item[1].created_at)


def _author_panel(conversation: Conversation) -> dict[str, Any]:
    author = conversation.author
    if author is None:
        return {}
    return {
        "author": author,
        "lists": AuthorList.objects.filter(workspace_id=author.workspace_id, authors=author),
        "accounts": people.accounts_of(author).exclude(pk=author.pk),
        "history": [c for c in people.author_history(author) if c.pk != conversation.pk][:8],
    }


def _rule_actions(conversation: Conversation) -> list[tuple[RuleAction, bool]]:
    """What rules did here, each with whether an undo button makes sense (the rules' say)."""
    from chorus.inbox.rules import offers_undo

    logged = (
        RuleAction.objects.filter(conversation=conversation, workspace_id=conversation.workspace_id)
        .select_related("rule")
        .order_by("-created_at")[:20]
    )
    return [(action, offers_undo(action)) for action in logged]


def conversation_context(request: WorkspaceRequest, conversation: Conversation) -> dict[str, Any]:
    replies.settle_replies(conversation)  # a reply published since the last look gets its id
    membership = request.membership
    network = get_network(conversation.channel.network)
    use = request.GET.get("use", "")
    initial, unknown = "", []
    if use.isdigit():
        saved = get_object_or_404(SavedReply, pk=int(use), workspace=conversation.workspace)
        rendered = saved_replies.render_saved_reply(saved, conversation, acting(request))
        initial, unknown = rendered.text, rendered.unknown
    return {
        "conversation": conversation,
        "timeline": _timeline(conversation),
        "answered_post": services.answered_post(conversation),
        "labels": conversation.labels.all(),
        "all_labels": Label.objects.filter(workspace=conversation.workspace),
        "members": members_of(conversation.workspace),
        "saved_replies": SavedReply.objects.filter(workspace=conversation.workspace),
        "rule_actions": _rule_actions(conversation),
        "can_answer": can(membership, Permission.ANSWER),
        "can_approve": can(membership, Permission.APPROVE),
        "can_reply": network.can(Capability.REPLY),
        "network_label": network_label(conversation.channel.network),
        "moderation": moderation_for(conversation.channel),
        "refused_rights": refused_rights(conversation.channel),
        "max_chars": network.limits.max_chars,
        "status_choices": Status.choices,
        "priority_choices": Priority.choices,
        "sentiments": services.CORRECTABLE["sentiment"],
        "intents": services.CORRECTABLE["intent"],
        "form": ReplyForm(initial={"text": initial}),
        "unknown_variables": unknown,
        "now": timezone.now(),
        **_author_panel(conversation),
    }


@workspace_view()
def conversation_page(request: WorkspaceRequest, pk: int) -> HttpResponse:
    conversation = conversation_of(request, pk)
    return render(request, "inbox/conversation.html", conversation_context(request, conversation))


@workspace_view(Permission.ANSWER)
def saved_reply_text(request: WorkspaceRequest, pk: int, saved_id: int) -> JsonResponse:
    """A saved reply filled in for this conversation, for the reply box (inbox.js)."""
    conversation = conversation_of(request, pk)
    saved = get_object_or_404(SavedReply, pk=saved_id, workspace=conversation.workspace)
    rendered = saved_replies.render_saved_reply(saved, conversation, acting(request))
    return JsonResponse({"text": rendered.text, "unknown": rendered.unknown})
