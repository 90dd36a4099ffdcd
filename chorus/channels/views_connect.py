"""Connect pages: the grid of networks, Mastodon's sign-in on any server, the credentials form,
and reconnecting a channel through the same flows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chorus.channels import connecting
from chorus.channels.base import Network
from chorus.channels.connect_fields import is_secret, tagline, what_works
from chorus.channels.connecting import ConnectProblem, MastodonFlow
from chorus.channels.forms import ConnectForm, MastodonInstanceForm
from chorus.channels.models import Channel
from chorus.channels.registry import UnknownNetwork, available_networks, get_network
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.permissions import Permission

FLOWS_KEY = "chorus_mastodon_flows"
MAX_FLOWS = 5  # a few tabs at once; older sign-ins in progress are forgotten


@workspace_view(Permission.MANAGE_CHANNELS)
def connect_grid(request: HttpRequest) -> HttpResponse:
    networks = [
        {
            "key": network.key,
            "label": network.label,
            "tagline": tagline(network),
            "works": what_works(network),
            "oauth": network.key == "mastodon",
        }
        for network in available_networks()
    ]
    return render(request, "channels/connect_grid.html", {"networks": networks})


def _network(key: str) -> type[Network]:
    try:
        return get_network(key)
    except (UnknownNetwork, ImportError):
        raise Http404(key) from None


@workspace_view(Permission.MANAGE_CHANNELS)
def connect_network(request: HttpRequest, network_key: str) -> HttpResponse:
    network = _network(network_key)
    if network.key == "mastodon":
        return _mastodon_start(request, None)
    return _credentials_form(request, network, None)


@workspace_view(Permission.MANAGE_CHANNELS)
def reconnect(request: HttpRequest, channel_id: int) -> HttpResponse:
    # Scoped to the current workspace: another workspace's channel is simply not found.
    channel = get_object_or_404(Channel.objects.of(request.workspace), pk=channel_id)  # type: ignore[attr-defined]
    network = _network(channel.network)
    if network.key == "mastodon":
        return _mastodon_start(request, channel)
    return _credentials_form(request, network, channel)


# -- Mastodon ---------------------------------------------------------------------------------


def _mastodon_start(request: HttpRequest, channel: Channel | None) -> HttpResponse:
    initial = {"instance": channel.settings.get("base_url", "")} if channel else {}
    form = MastodonInstanceForm(request.POST or None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return _mastodon_page(request, form, channel)
    redirect_uri = request.build_absolute_uri(reverse("channels:mastodon_callback"))
    try:
        flow = connecting.start_mastodon(
            request.workspace,  # type: ignore[attr-defined]
            form.cleaned_data["instance"],
            redirect_uri,
            reconnecting=channel,
        )
    except ConnectProblem as problem:
        form.add_error("instance", problem.message)
        return _mastodon_page(request, form, channel)
    _remember(request, flow)
    return redirect(flow.authorization_url())


def _mastodon_page(
    request: HttpRequest,
    form: MastodonInstanceForm,
    channel: Channel | None,
    *,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "channel": channel, "problem": problem}
    return render(request, "channels/connect_mastodon.html", context, status=status)


def _remember(request: HttpRequest, flow: MastodonFlow) -> None:
    flows: dict[str, str] = dict(request.session.get(FLOWS_KEY) or {})
    flows[flow.state] = flow.sealed()
    request.session[FLOWS_KEY] = dict(list(flows.items())[-MAX_FLOWS:])


def _take(request: HttpRequest, state: str) -> MastodonFlow | None:
    """The flow this ``state`` belongs to, used once: a replayed callback finds nothing."""
    flows: dict[str, str] = dict(request.session.get(FLOWS_KEY) or {})
    sealed = flows.pop(state, None) if state else None
    request.session[FLOWS_KEY] = flows
    flow = MastodonFlow.unsealed(sealed) if sealed else None
    if flow is None or flow.expired or flow.state != state:
        return None
    return flow


@workspace_view(Permission.MANAGE_CHANNELS)
def mastodon_callback(request: HttpRequest) -> HttpResponse:
    flow = _take(request, request.GET.get("state", ""))
    workspace = request.workspace  # type: ignore[attr-defined]
    if flow is None or flow.workspace_id != workspace.pk:
        # Not a sign-in this person started here (CSRF), replayed, or too old.
        problem = _("This sign-in was not started here, or is too old. Start again.")
        return _mastodon_page(request, MastodonInstanceForm(), None, problem=problem, status=400)
    channel = _flow_channel(request, flow)
    form = MastodonInstanceForm(initial={"instance": flow.instance})
    if request.GET.get("error") or not request.GET.get("code"):
        problem = _("Access was not given on %(server)s, so nothing was connected.") % {
            "server": flow.instance
        }
        return _mastodon_page(request, form, channel, problem=problem)
    try:
        connected = connecting.finish_mastodon(
            flow, workspace, request.GET["code"], reconnecting=channel
        )
    except ConnectProblem as problem:
        return _mastodon_page(request, form, channel, problem=problem.message)
    messages.success(request, _("%(name)s is connected.") % {"name": connected.name})
    return redirect("channels:list")


def _flow_channel(request: HttpRequest, flow: MastodonFlow) -> Channel | None:
    if flow.channel_id is None:
        return None
    found: Channel | None = (
        Channel.objects.of(request.workspace).filter(pk=flow.channel_id).first()  # type: ignore[attr-defined]
    )
    return found


# -- Networks connected with a form ---------------------------------------------------------------


def _credentials_form(
    request: HttpRequest, network: type[Network], channel: Channel | None
) -> HttpResponse:
    form = ConnectForm(request.POST or None, network=network, initial=_prefilled(network, channel))
    if request.method == "POST" and form.is_valid():
        try:
            connected = connecting.connect_with_form(
                request.workspace,  # type: ignore[attr-defined]
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
