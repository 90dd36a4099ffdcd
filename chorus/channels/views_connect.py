"""Connect pages: the grid of networks, the credentials form, and reconnecting a channel through
the same flows; networks connected by signing in on them go to ``views_oauth``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from chorus.channels import connecting, views_oauth
from chorus.channels.base import Network
from chorus.channels.connect_fields import is_secret, tagline, what_works
from chorus.channels.connecting import ConnectProblem
from chorus.channels.forms import ConnectForm
from chorus.channels.models import Channel
from chorus.channels.public_address import reachability_warnings
from chorus.channels.registry import offered_networks
from chorus.channels.views_oauth import network_or_404
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission


@workspace_view(Permission.MANAGE_CHANNELS)
def connect_grid(request: WorkspaceRequest) -> HttpResponse:
    networks = [
        {
            "key": network.key,
            "label": network.label,
            "tagline": tagline(network),
            "works": what_works(network),
            "oauth": network.oauth is not None,
            "own_server": network.oauth is not None and network.oauth.server_form is not None,
            "missing_setup": network.missing_setup(),
            # Said before anything fails: networks that must reach Chorus and cannot.
            "unreachable": reachability_warnings(network),
        }
        for network in offered_networks()
    ]
    return render(request, "channels/connect_grid.html", {"networks": networks})


@workspace_view(Permission.MANAGE_CHANNELS)
def connect_network(request: WorkspaceRequest, network_key: str) -> HttpResponse:
    network = network_or_404(network_key)
    if network.oauth is not None:
        return views_oauth.oauth_start(request, network, None)
    return _credentials_form(request, network, None)


@workspace_view(Permission.MANAGE_CHANNELS)
def reconnect(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    # Scoped to the current workspace: another workspace's channel is simply not found.
    channel = get_object_or_404(Channel.objects.of(request.workspace), pk=channel_id)
    network = network_or_404(channel.network)
    if network.oauth is not None:
        return views_oauth.oauth_start(request, network, channel)
    return _credentials_form(request, network, channel)


# -- Networks connected with a form ---------------------------------------------------------------


def _credentials_form(
    request: WorkspaceRequest, network: type[Network], channel: Channel | None
) -> HttpResponse:
    form = ConnectForm(request.POST or None, network=network, initial=_prefilled(network, channel))
    if request.method == "POST" and form.is_valid():
        try:
            connected = connecting.connect_with_form(
                request.workspace,
                network.key,
                form.entered(),
                name=form.cleaned_data.get("name", ""),
                reconnecting=channel,
                secret_field=form.first_secret,
            )
        except ConnectProblem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        else:
            messages.success(request, _("%(name)s is connected.") % {"name": connected.name})
            _after_connect(request, network, connected)
            return redirect("channels:list")
    context: dict[str, Any] = {
        "form": form,
        "network": network,
        "channel": channel,
        "tagline": tagline(network),
    }
    status = 400 if form.errors else 200
    return render(request, "channels/connect_form.html", context, status=status)


def _after_connect(request: HttpRequest, network: type[Network], channel: Channel) -> None:
    """The network's own step once connected (Telegram sets up its webhook), told as it went."""
    said = network.steps.after_connect(channel)
    if said:
        messages.info(request, said)


def _prefilled(network: type[Network], channel: Channel | None) -> dict[str, Any]:
    """On reconnect: what is not secret (settings, handle), never a token or password."""
    if channel is None:
        return {}
    known = {name: value for name, value in channel.settings.items() if isinstance(value, str)}
    for name, value in channel.credentials.items():
        if (
            name in network.credential_fields
            and not is_secret(network, name)
            and isinstance(value, str)
        ):
            known.setdefault(name, value)
    return {**known, "name": channel.name}
