"""Channel pages: the list with each channel's health, one channel's health page, disconnect."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.channels import services
from chorus.channels.health import health_of
from chorus.channels.models import Channel
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.permissions import Permission


def _channel(request: HttpRequest, channel_id: int) -> Channel:
    # Scoped to the current workspace: another workspace's channel is simply not found.
    return get_object_or_404(Channel.objects.of(request.workspace), pk=channel_id)  # type: ignore[attr-defined]


@workspace_view()
def channel_list(request: HttpRequest) -> HttpResponse:
    channels = Channel.objects.of(request.workspace)  # type: ignore[attr-defined]
    rows = [(channel, health_of(channel)) for channel in channels]
    return render(request, "channels/list.html", {"rows": rows})


@workspace_view()
def channel_health(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    return render(
        request, "channels/health.html", {"channel": channel, "health": health_of(channel)}
    )


@require_POST
@workspace_view(Permission.MANAGE_CHANNELS)
def disconnect(request: HttpRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    services.disconnect(channel)
    messages.success(request, _("%(name)s is disconnected.") % {"name": channel.name})
    return redirect("channels:list")
