"""Signing in on a network (the one OAuth flow, ``chorus/channels/oauth.py``): the network's
start page, the callback, and the chooser when one sign-in offers several accounts."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chorus.channels import connecting
from chorus.channels.base import Network
from chorus.channels.connecting import ConnectProblem
from chorus.channels.models import Channel
from chorus.channels.oauth import OAuthFlow, OAuthSetup, OfferedAccount
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.core.crypto import SecretUnreadable, decrypt_json, encrypt_json
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission

FLOWS_KEY = "chorus_oauth_flows"
OFFERS_KEY = "chorus_oauth_offers"
MAX_FLOWS = 5  # a few tabs at once; older sign-ins in progress are forgotten


def _setup(network: type[Network]) -> OAuthSetup:
    if network.oauth is None:
        raise Http404(network.key)
    return network.oauth


def oauth_start(
    request: WorkspaceRequest, network: type[Network], channel: Channel | None
) -> HttpResponse:
    """The network's start page (its server first, if it asks), then off to approve Chorus."""
    setup = _setup(network)
    form = _server_form(setup, request, channel)
    if request.method != "POST" or (form is not None and not form.is_valid()):
        return _start_page(request, network, form, channel)
    server = form.cleaned_data["instance"] if form is not None else ""
    callback = reverse("channels:oauth_callback", args=[network.key])
    try:
        flow = connecting.start_oauth(
            request.workspace,
            network.key,
            server,
            request.build_absolute_uri(callback),
            reconnecting=channel,
        )
    except ConnectProblem as problem:
        if form is None:
            return _start_page(request, network, form, channel, problem=problem.message)
        form.add_error("instance", problem.message)
        return _start_page(request, network, form, channel)
    _remember(request, flow)
    return redirect(flow.authorization_url())


def _server_form(
    setup: OAuthSetup, request: HttpRequest, channel: Channel | None
) -> forms.Form | None:
    if setup.server_form is None:
        return None
    initial = {"instance": channel.settings.get("base_url", "")} if channel else {}
    return setup.server_form(request.POST or None, initial=initial)


def _start_page(
    request: HttpRequest,
    network: type[Network],
    form: forms.Form | None,
    channel: Channel | None,
    *,
    problem: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {"form": form, "channel": channel, "problem": problem, "network": network}
    return render(request, _setup(network).start_template, context, status=status)


def _remember(request: HttpRequest, flow: OAuthFlow) -> None:
    flows: dict[str, str] = dict(request.session.get(FLOWS_KEY) or {})
    flows[flow.state] = flow.sealed()
    request.session[FLOWS_KEY] = dict(list(flows.items())[-MAX_FLOWS:])


def _take(request: HttpRequest, state: str, network_key: str) -> OAuthFlow | None:
    """The flow this ``state`` belongs to, used once: a replayed callback finds nothing."""
    flows: dict[str, str] = dict(request.session.get(FLOWS_KEY) or {})
    sealed = flows.pop(state, None) if state else None
    request.session[FLOWS_KEY] = flows
    flow = OAuthFlow.unsealed(sealed) if sealed else None
    if flow is None or flow.expired or flow.state != state or flow.network != network_key:
        return None
    return flow


def network_or_404(key: str) -> type[Network]:
    """The network a URL names, or 404 (an unknown key, or a package that does not import)."""
    try:
        network = get_network(key)
    except (UnknownNetwork, ImportError):
        raise Http404(key) from None
    if not network.is_offered():  # its operator's app is not set up on this Chorus
        raise Http404(key)
    return network


@workspace_view(Permission.MANAGE_CHANNELS)
def oauth_callback(request: WorkspaceRequest, network_key: str) -> HttpResponse:
    network = network_or_404(network_key)
    flow = _take(request, request.GET.get("state", ""), network.key)
    workspace = request.workspace
    if flow is None or flow.workspace_id != workspace.pk:
        # Not a sign-in this person started here (CSRF), replayed, or too old.
        problem = _("This sign-in was not started here, or is too old. Start again.")
        form = _server_form(_setup(network), request, None)
        return _start_page(request, network, form, None, problem=problem, status=400)
    channel = _flow_channel(request, flow)
    server_form = _setup(network).server_form
    form = server_form(initial={"instance": flow.server}) if server_form else None
    if request.GET.get("error") or not request.GET.get("code"):
        problem = _("Access was not given on %(server)s, so nothing was connected.") % {
            "server": flow.server or network.label
        }
        return _start_page(request, network, form, channel, problem=problem)
    try:
        offered = connecting.finish_oauth(flow, request.GET["code"])
        if len(offered) > 1 and channel is None:
            _keep_offers(request, flow, offered)
            return redirect("channels:oauth_choose", network.key)
        connected = connecting.connect_offered(
            workspace, network.key, _the_one(offered, channel), reconnecting=channel
        )
    except ConnectProblem as problem:
        return _start_page(request, network, form, channel, problem=problem.message)
    return _connected(request, network, connected)


def _the_one(offered: list[OfferedAccount], channel: Channel | None) -> list[OfferedAccount]:
    """The account to connect at once: the only one, or the reconnected channel's own."""
    if channel is not None:
        own = [account for account in offered if account.remote_id == channel.remote_id]
        return own[:1] or offered[:1]  # unknown ids: connect checks it is the same account
    return offered[:1]


def _flow_channel(request: WorkspaceRequest, flow: OAuthFlow) -> Channel | None:
    if flow.channel_id is None:
        return None
    found: Channel | None = Channel.objects.of(request.workspace).filter(pk=flow.channel_id).first()
    return found


def _connected(
    request: HttpRequest, network: type[Network], connected: list[Channel]
) -> HttpResponse:
    for channel in connected:
        messages.success(request, _("%(name)s is connected.") % {"name": channel.name})
        # One sign-in may connect channels of several networks: each runs its own steps.
        said = network_or_404(channel.network).steps.after_connect(channel)
        if said:
            messages.info(request, said)
    return redirect("channels:list")


# -- one sign-in, several accounts ------------------------------------------------------------


def _keep_offers(request: HttpRequest, flow: OAuthFlow, offered: list[OfferedAccount]) -> None:
    """Until the person chooses: sealed, because the offers carry the accounts' tokens."""
    offers = {
        "network": flow.network,
        "workspace_id": flow.workspace_id,
        "accounts": [asdict(account) for account in offered],
    }
    request.session[OFFERS_KEY] = encrypt_json(offers)


def _offers(request: WorkspaceRequest, network_key: str) -> list[OfferedAccount]:
    sealed = request.session.get(OFFERS_KEY)
    try:
        offers: dict[str, Any] = decrypt_json(sealed) if sealed else {}
    except SecretUnreadable:
        return []
    workspace = request.workspace
    if offers.get("network") != network_key or offers.get("workspace_id") != workspace.pk:
        return []
    return [OfferedAccount(**account) for account in offers.get("accounts", [])]


@workspace_view(Permission.MANAGE_CHANNELS)
def oauth_choose(request: WorkspaceRequest, network_key: str) -> HttpResponse:
    """Which of the accounts the sign-in gave access to become channels."""
    network = network_or_404(network_key)
    offered = _offers(request, network.key)
    if not offered:
        messages.error(request, _("This sign-in is over. Start again."))
        return redirect("channels:connect")
    if request.method == "POST":
        picked = {int(n) for n in request.POST.getlist("account") if n.isdigit()}
        chosen = [account for n, account in enumerate(offered) if n in picked]
        if chosen:
            try:
                connected = connecting.connect_offered(
                    request.workspace,
                    network.key,
                    chosen,
                )
            except ConnectProblem as problem:
                messages.error(request, problem.message)
            else:
                request.session.pop(OFFERS_KEY, None)
                return _connected(request, network, connected)
        else:
            messages.error(request, _("Choose at least one account."))
    context = {
        "network": network,
        "accounts": [
            (n, account, network_or_404(account.network or network.key))
            for n, account in enumerate(offered)
        ],
        "intro": ngettext(
            "This sign-in gives access to %(n)d account. Choose those to connect.",
            "This sign-in gives access to %(n)d accounts. Choose those to connect.",
            len(offered),
        )
        % {"n": len(offered)},
    }
    return render(request, "channels/connect_choose.html", context)
