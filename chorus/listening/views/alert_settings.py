"""Alert settings: each member's own preferences; the workspace's destinations (LISTEN)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.listening import alert_destinations as destinations
from chorus.listening.forms_alerts import (
    AlertPreferenceForm,
    ChannelDestinationForm,
    WebhookDestinationForm,
)
from chorus.listening.models import AlertDestination, AlertPreference
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _page(request: WorkspaceRequest, status: int = 200, **extra: Any) -> HttpResponse:
    workspace = request.workspace
    preference, _made = AlertPreference.objects.get_or_create(membership=request.membership)
    context = {
        "preference_form": AlertPreferenceForm(instance=preference, workspace=workspace),
        "webhook_form": WebhookDestinationForm(),
        "channel_form": ChannelDestinationForm(
            channels=destinations.channels_that_can_post(workspace)
        ),
        "destinations": AlertDestination.objects.filter(workspace=workspace).select_related(
            "channel"
        ),
        "can_listen": can(request.membership, Permission.LISTEN),
        **extra,
    }
    return render(request, "listening/alert_settings.html", context, status=status)


@workspace_view()
def alert_settings(request: WorkspaceRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    preference, _made = AlertPreference.objects.get_or_create(membership=request.membership)
    form = AlertPreferenceForm(request.POST, instance=preference, workspace=request.workspace)
    if not form.is_valid():
        return _page(request, 422, preference_form=form)
    form.save()
    messages.success(request, _("Your alert preferences are saved."))
    return redirect("listening:alert_settings")


@require_POST
@workspace_view(Permission.LISTEN)
def add_webhook(request: WorkspaceRequest) -> HttpResponse:
    form = WebhookDestinationForm(request.POST)
    if not form.is_valid():
        return _page(request, 422, webhook_form=form)
    destination, secret = destinations.add_webhook(request.workspace, form.cleaned_data["url"])
    # The secret is shown in this answer only: it is never stored in clear nor shown again.
    return _page(request, 201, new_secret=secret, new_destination=destination)


@require_POST
@workspace_view(Permission.LISTEN)
def add_channel(request: WorkspaceRequest) -> HttpResponse:
    usable = destinations.channels_that_can_post(request.workspace)
    form = ChannelDestinationForm(request.POST, channels=usable)
    if not form.is_valid():
        return _page(request, 422, channel_form=form)
    destinations.add_channel(request.workspace, form.cleaned_data["channel"])
    messages.success(request, _("Alerts will be posted in this channel."))
    return redirect("listening:alert_settings")


def _destination(request: WorkspaceRequest, destination_id: int) -> AlertDestination:
    return get_object_or_404(AlertDestination, pk=destination_id, workspace=request.workspace)


@require_POST
@workspace_view(Permission.LISTEN)
def test_destination(request: WorkspaceRequest, destination_id: int) -> HttpResponse:
    error = destinations.send_test(_destination(request, destination_id))
    if error:
        messages.error(request, _("The test did not go through: %(error)s") % {"error": error})
    else:
        messages.success(request, _("Test sent."))
    return redirect("listening:alert_settings")


@require_POST
@workspace_view(Permission.LISTEN)
def delete_destination(request: WorkspaceRequest, destination_id: int) -> HttpResponse:
    _destination(request, destination_id).delete()
    messages.success(request, _("Destination removed."))
    return redirect("listening:alert_settings")
