"""What a person does on a conversation. Each view: parse, call one service, go back.

Every view is a POST, checks ``Permission.ANSWER`` and finds the conversation (and anything
named in the form) inside the current workspace only, so another workspace's ids are a 404.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.inbox import people, replies, services, services_moderation
from chorus.inbox.forms import NoteForm, ReplyForm
from chorus.inbox.models import Author, Conversation, Label, RuleAction, SavedReply, Status
from chorus.inbox.views import acting, back, conversation_of, message_of
from chorus.inbox.views.conversation import conversation_context
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Membership
from chorus.workspaces.permissions import Permission

Action = Callable[[HttpRequest, Conversation], str]


def _act(request: WorkspaceRequest, pk: int, action: Action) -> HttpResponse:
    """Run ``action`` on the conversation; its words (or the refusal) are flashed."""
    conversation = conversation_of(request, pk)
    try:
        done = action(request, conversation)
    except services.InboxRuleBroken as broken:
        messages.error(request, str(broken))
    else:
        if done:
            messages.success(request, done)
    return back(request, f"/inbox/{conversation.pk}/")


@require_POST
@workspace_view(Permission.ANSWER)
def reply(request: WorkspaceRequest, pk: int) -> HttpResponse:
    conversation = conversation_of(request, pk)
    form = ReplyForm(request.POST)
    error = ""
    if form.is_valid():
        saved_id = str(request.POST.get("saved_reply", ""))
        saved = None
        if saved_id.isdigit():
            saved = SavedReply.objects.filter(workspace=conversation.workspace, pk=saved_id).first()
        try:
            replies.reply(
                conversation, form.cleaned_data["text"], acting(request), saved_reply=saved
            )
        except services.InboxRuleBroken as broken:
            error = str(broken)
        else:
            messages.success(request, _("Reply sent to the publishing queue."))
            return back(request, f"/inbox/{conversation.pk}/")
    context = conversation_context(request, conversation) | {"form": form, "reply_error": error}
    return render(request, "inbox/conversation.html", context, status=422)


@require_POST
@workspace_view(Permission.ANSWER)
def set_status(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        status = str(request.POST.get("status", ""))
        services.set_status(conversation, status, acting(request))
        return _("Marked as resolved.") if status == Status.RESOLVED else ""

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def set_priority(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        value = str(request.POST.get("priority", ""))
        services.set_priority(conversation, int(value) if value.isdigit() else -1, acting(request))
        return ""

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def assign(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        wanted = str(request.POST.get("assignee", ""))
        if wanted == "me":
            wanted = str(request.user.pk)
        member = None
        if wanted:
            member = get_object_or_404(
                Membership, workspace=conversation.workspace, user_id=int(wanted or 0)
            ).user
        services.assign(conversation, member, acting(request))
        if member is None:
            return _("Nobody is assigned now.")
        return _("Assigned to %(name)s.") % {"name": member}

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def add_label(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        name = str(request.POST.get("name", ""))
        services.add_label(
            conversation, services.label_named(conversation.workspace, name), acting(request)
        )
        return ""

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def remove_label(request: WorkspaceRequest, pk: int, label_id: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        label = get_object_or_404(Label, pk=label_id, workspace=conversation.workspace)
        services.remove_label(conversation, label, acting(request))
        return ""

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def add_note(request: WorkspaceRequest, pk: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        form = NoteForm(request.POST)
        if not form.is_valid():
            raise services.InboxRuleBroken(_("Write something in the note."))
        services.add_note(conversation, form.cleaned_data["text"], acting(request))
        return ""

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def correct(request: WorkspaceRequest, pk: int, message_id: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        message = message_of(conversation, message_id)
        field_name = str(request.POST.get("field", ""))
        services.correct(message, field_name, str(request.POST.get("value", "")), acting(request))
        return _("Thanks: Chorus learns from this correction.")

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def moderate(request: WorkspaceRequest, pk: int, message_id: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        message = message_of(conversation, message_id)
        action = str(request.POST.get("action", ""))
        user = acting(request)
        if action == "hide":
            services_moderation.hide_message(message, user)
            return _("Message hidden.")
        if action == "unhide":
            services_moderation.unhide_message(message, user)
            return _("Message shown again.")
        if action == "delete":
            services_moderation.delete_message(message, user, reason="Chorus")
            return _("Message deleted on the network.")
        if action in ("kick", "ban"):
            services_moderation.ban_author(message, user, kick_only=action == "kick")
            return _("Removed from the room.") if action == "kick" else _("Author banned.")
        if action == "unban":
            services_moderation.unban_author(message, user)
            return _("Ban lifted: they may join again.")
        raise services.InboxRuleBroken(_("Unknown action."))

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.APPROVE)
def approve_reply(request: WorkspaceRequest, pk: int, message_id: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        replies.approve_reply(message_of(conversation, message_id), acting(request))
        return _("Approved: the reply is on its way.")

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def undo_rule_action(request: WorkspaceRequest, pk: int, action_id: int) -> HttpResponse:
    def act(request: HttpRequest, conversation: Conversation) -> str:
        from chorus.inbox.rules import undo, undo_refusal

        logged = get_object_or_404(
            RuleAction, pk=action_id, conversation=conversation, workspace=conversation.workspace
        )
        if not undo(logged, acting(request)):
            refusal = undo_refusal(logged) or _("This action cannot be undone.")
            raise services.InboxRuleBroken(refusal)
        return _("Undone.")

    return _act(request, pk, act)


@require_POST
@workspace_view(Permission.ANSWER)
def link_author(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Say the author is the same person as another account (found by handle)."""

    def act(request: HttpRequest, conversation: Conversation) -> str:
        handle = str(request.POST.get("handle", "")).strip().lstrip("@")
        author = conversation.author
        other = Author.objects.filter(workspace=conversation.workspace, handle__iexact=handle)
        found = other.exclude(pk=author.pk).first() if author else None
        if author is None or found is None:
            raise services.InboxRuleBroken(_("No account with this handle wrote to you yet."))
        people.link_authors([author, found], str(author), acting(request))
        return _("Linked: their history now shows both accounts.")

    return _act(request, pk, act)
