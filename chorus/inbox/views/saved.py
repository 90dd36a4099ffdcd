"""Saved replies (the team's reusable answers) and the inbox settings (SLA, opening hours)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.inbox.forms import InboxSettingsForm, SavedReplyForm
from chorus.inbox.models import InboxSettings, SavedReply
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _saved(request: WorkspaceRequest, saved_id: int) -> SavedReply:
    return get_object_or_404(SavedReply, pk=saved_id, workspace=request.workspace)


@workspace_view()
def saved_replies(request: WorkspaceRequest) -> HttpResponse:
    """The list, with the form to add one (POST needs the right to answer)."""
    workspace = request.workspace
    can_edit = can(request.membership, Permission.ANSWER)
    form = SavedReplyForm(workspace=workspace)
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        form = SavedReplyForm(request.POST, workspace=workspace)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved reply added."))
            return redirect("inbox:saved_replies")
    context = {
        "saved_replies": SavedReply.objects.filter(workspace=workspace),
        "form": form,
        "can_edit": can_edit,
    }
    return render(request, "inbox/saved_replies.html", context, status=422 if form.errors else 200)


@workspace_view(Permission.ANSWER)
def edit_saved_reply(request: WorkspaceRequest, saved_id: int) -> HttpResponse:
    saved = _saved(request, saved_id)
    form = SavedReplyForm(instance=saved, workspace=request.workspace)
    if request.method == "POST":
        form = SavedReplyForm(request.POST, instance=saved, workspace=request.workspace)
        if form.is_valid():
            form.save()
            messages.success(request, _("Saved reply updated."))
            return redirect("inbox:saved_replies")
    status = 422 if form.errors else 200
    return render(
        request, "inbox/saved_reply_edit.html", {"form": form, "saved": saved}, status=status
    )


@require_POST
@workspace_view(Permission.ANSWER)
def delete_saved_reply(request: WorkspaceRequest, saved_id: int) -> HttpResponse:
    _saved(request, saved_id).delete()
    messages.success(request, _("Saved reply deleted."))
    return redirect("inbox:saved_replies")


@workspace_view()
def inbox_settings(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    can_edit = can(request.membership, Permission.MANAGE_WORKSPACE)
    stored, _created = InboxSettings.objects.get_or_create(workspace=workspace)
    form = InboxSettingsForm(initial=InboxSettingsForm.initial_from(stored))
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        form = InboxSettingsForm(request.POST)
        if form.is_valid():
            stored.first_reply_hours = form.cleaned_data["first_reply_hours"]
            stored.business_hours = form.business_hours()
            stored.save(update_fields=["first_reply_hours", "business_hours"])
            messages.success(request, _("Inbox settings saved."))
            return redirect("inbox:settings")
    context = {"form": form, "can_edit": can_edit}
    return render(request, "inbox/settings.html", context, status=422 if form.errors else 200)
