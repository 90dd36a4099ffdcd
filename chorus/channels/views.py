"""Channel pages: the list with each channel's health, one channel's page (health and settings),
disconnect. Connecting and reconnecting live in views_connect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.channels import services
from chorus.channels.base import Capability
from chorus.channels.channel_settings import poll_every_seconds, update_channel_settings
from chorus.channels.errors import ChannelError
from chorus.channels.forms import ChannelSettingsForm
from chorus.channels.health import health_of, refused_rights
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.channels.steps import ChannelSteps
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _channel(request: WorkspaceRequest, channel_id: int) -> Channel:
    # Scoped to the current workspace: another workspace's channel is simply not found.
    return get_object_or_404(Channel.objects.of(request.workspace), pk=channel_id)


def _can_manage(request: HttpRequest) -> bool:
    return can(getattr(request, "membership", None), Permission.MANAGE_CHANNELS)


def _has_inbox(channel: Channel) -> bool:
    try:
        return get_network(channel.network).can(Capability.INBOX)
    except (UnknownNetwork, ImportError):
        return False


def network_steps(channel: Channel) -> ChannelSteps:
    try:
        return get_network(channel.network).steps
    except (UnknownNetwork, ImportError):
        return ChannelSteps()  # a connector that no longer loads has nothing of its own to do


def _network_label(channel: Channel) -> str:
    try:
        return get_network(channel.network).label
    except (UnknownNetwork, ImportError):
        return channel.network


@workspace_view()
def channel_list(request: WorkspaceRequest) -> HttpResponse:
    channels = Channel.objects.of(request.workspace)
    rows = [(channel, health_of(channel), _network_label(channel)) for channel in channels]
    context = {"rows": rows, "can_manage": _can_manage(request), "active": ChannelStatus.ACTIVE}
    return render(request, "channels/list.html", context)


@workspace_view()
def channel_health(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    has_inbox = _has_inbox(channel)
    initial: dict[str, Any] = {"name": channel.name}
    if has_inbox:
        initial["poll_every_seconds"] = poll_every_seconds(channel)
    form = ChannelSettingsForm(initial=initial, has_inbox=has_inbox)
    return _health_page(request, channel, form)


def _health_page(
    request: HttpRequest, channel: Channel, form: ChannelSettingsForm, status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {
        "channel": channel,
        "health": health_of(channel),
        "refused_rights": refused_rights(channel),
        "network_label": _network_label(channel),
        "form": form,
        "can_manage": _can_manage(request),
        "active": ChannelStatus.ACTIVE,
        "network_section": network_steps(channel).page_section(channel),
    }
    return render(request, "channels/health.html", context, status=status)


@require_POST
@workspace_view(Permission.MANAGE_CHANNELS)
def channel_settings(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    form = ChannelSettingsForm(request.POST, has_inbox=_has_inbox(channel))
    if not form.is_valid():
        return _health_page(request, channel, form, status=400)
    update_channel_settings(
        channel,
        name=form.cleaned_data["name"],
        poll_seconds=form.cleaned_data.get("poll_every_seconds"),
    )
    messages.success(request, _("The settings of %(name)s are saved.") % {"name": channel.name})
    return redirect("channels:health", channel.pk)


@require_POST
@workspace_view(Permission.MANAGE_CHANNELS)
def check_channel(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    """Ask the network again what the account is and may do (after its rights changed, say)."""
    channel = _channel(request, channel_id)
    if channel.status != ChannelStatus.ACTIVE:
        messages.error(request, _("Reconnect this channel first."))
        return redirect("channels:health", channel.pk)
    try:
        services.check_connection(channel)
    except ChannelError as error:
        messages.error(request, _("The network refused: %(reason)s") % {"reason": error.message})
    else:
        messages.success(request, _("Checked with the network just now."))
    return redirect("channels:health", channel.pk)


@require_POST
@workspace_view(Permission.MANAGE_CHANNELS)
def disconnect(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    network_steps(channel).before_disconnect(channel)
    services.disconnect(channel)
    messages.success(request, _("%(name)s is disconnected.") % {"name": channel.name})
    return redirect("channels:list")
