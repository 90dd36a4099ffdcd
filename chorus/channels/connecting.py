"""Connecting a channel from the browser: the OAuth sign-in networks configure, and the form.

Both end in :func:`chorus.channels.services.connect`, which checks the account with the network
(whoami) before anything is stored. Errors come back as :class:`ConnectProblem`: which field is
wrong (if one is) and what to do, in the person's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from django.utils.translation import gettext as _

from chorus.channels import services
from chorus.channels.errors import AuthExpired, ChannelError, RateLimited, Transient
from chorus.channels.models import Channel
from chorus.channels.oauth import OAuthFlow, OAuthSetup, OfferedAccount, exchange_code
from chorus.channels.registry import get_network
from chorus.channels.server_address import BadAddress, server_address
from chorus.core import http as chorus_http
from chorus.workspaces.models import Workspace

FLOW_MAX_AGE_SECONDS = 30 * 60  # the person approves within minutes; an old link is refused


class ConnectProblem(Exception):
    """Why connecting failed; ``field`` names the form field at fault, if one is."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@contextmanager
def _http(given: httpx.Client | None) -> Iterator[httpx.Client]:
    if given is not None:
        yield given
        return
    with chorus_http.client() as made:
        yield made


# -- OAuth networks: the app, the approval link, the code traded, the accounts connected --------


def start_oauth(
    workspace: Workspace,
    network_key: str,
    server: str,
    redirect_uri: str,
    *,
    reconnecting: Channel | None = None,
    http: httpx.Client | None = None,
) -> OAuthFlow:
    """Find the network's app (Mastodon registers Chorus on the server) and prepare the
    approval link (PKCE + state)."""
    setup = _oauth_of(network_key)
    root = ""
    if setup.server_form is not None:
        try:
            root = server_address(server)
        except BadAddress as bad:
            raise ConnectProblem(str(bad), "instance") from None
    try:
        with _http(http) as client:
            app = setup.app(client, root, redirect_uri)
    except ChannelError as error:
        raise ConnectProblem(_instance_words(error, root, network_key), "instance") from error
    channel_id = reconnecting.pk if reconnecting else None
    return OAuthFlow.begin(network_key, root, app, redirect_uri, workspace.pk, channel_id)


def _oauth_of(network_key: str) -> OAuthSetup:
    setup = get_network(network_key).oauth
    if setup is None:
        raise ConnectProblem(_("This network is connected with a form, not by signing in."))
    return setup


def _instance_words(error: ChannelError, root: str, network_key: str) -> str:
    label = get_network(network_key).label
    host = httpx.URL(root).host or label
    if isinstance(error, Transient):
        return _(
            "Chorus could not reach %(host)s. Check the address, or try again in a minute."
        ) % {"host": host}
    if isinstance(error, RateLimited):
        return _("%(host)s asked Chorus to wait: try again in a few minutes.") % {"host": host}
    return _(
        "%(host)s does not answer like a %(network)s server. Check the address "
        "(the one you sign in at)."
    ) % {"host": host, "network": label}


def finish_oauth(
    flow: OAuthFlow,
    code: str,
    *,
    http: httpx.Client | None = None,
) -> list[OfferedAccount]:
    """Trade the code for a token, then ask the network which accounts it gives access to."""
    setup = _oauth_of(flow.network)
    try:
        with _http(http) as client:
            token = exchange_code(
                client, flow.oauth_app, flow.redirect_uri, code, flow.code_verifier
            )
            offered = setup.accounts(client, flow.server, flow.oauth_app, token)
    except (Transient, RateLimited) as error:
        raise ConnectProblem(_instance_words(error, flow.server, flow.network)) from error
    except ChannelError as error:
        raise _refused_sign_in(error) from error
    if not offered:
        raise ConnectProblem(_("This sign-in gives access to no account Chorus can connect."))
    return offered


def connect_offered(
    workspace: Workspace,
    network_key: str,
    chosen: list[OfferedAccount],
    *,
    reconnecting: Channel | None = None,
    http: httpx.Client | None = None,
) -> list[Channel]:
    """Connect each chosen account (whoami first, as always); one refusal stops the rest."""
    connected: list[Channel] = []
    try:
        for account in chosen:
            connected.append(
                services.connect(
                    workspace,
                    account.network or network_key,
                    account.credentials,
                    account.settings,
                    reconnecting=reconnecting,
                    http=http,
                )
            )
    except services.WrongAccount:
        raise ConnectProblem(_wrong_account_words(reconnecting)) from None
    except (Transient, RateLimited) as error:
        server = str(chosen[0].settings.get("base_url", "")) if chosen else ""
        raise ConnectProblem(_instance_words(error, server, network_key)) from error
    except ChannelError as error:
        raise _refused_sign_in(error) from error
    return connected


def _refused_sign_in(error: ChannelError) -> ConnectProblem:
    return ConnectProblem(
        _("The server did not accept the sign-in: %(reason)s Start again.")
        % {"reason": _sentence(error.message)}
    )


def _wrong_account_words(channel: Channel | None) -> str:
    who = (channel.handle or channel.name) if channel else ""
    return _(
        "You signed in with another account. To reconnect %(channel)s, sign in as %(channel)s."
    ) % {"channel": who}


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


# -- Networks connected with a form -----------------------------------------------------------


@dataclass(frozen=True)
class Entered:
    """What the person typed, sorted by where it goes."""

    credentials: dict[str, Any]
    settings: dict[str, Any]
    sign_in: dict[str, Any]


def connect_with_form(
    workspace: Workspace,
    network_key: str,
    entered: Entered,
    *,
    name: str = "",
    reconnecting: Channel | None = None,
    secret_field: str | None = None,
    http: httpx.Client | None = None,
) -> Channel:
    """Check everything with the network, then store the channel; nothing is stored on error."""
    label = get_network(network_key).label
    try:
        with _http(http) as client:
            credentials = get_network(network_key).steps.prepare_credentials(entered, client)
            return services.connect(
                workspace,
                network_key,
                credentials,
                entered.settings,
                name=name,
                reconnecting=reconnecting,
            )
    except services.WrongAccount:
        raise ConnectProblem(_wrong_account_words(reconnecting)) from None
    except ChannelError as error:
        raise _classified(error, label, secret_field) from error


def _classified(error: ChannelError, label: str, secret_field: str | None) -> ConnectProblem:
    if isinstance(error, ConnectProblemError):
        return ConnectProblem(error.message, error.field)
    if isinstance(error, AuthExpired):
        return ConnectProblem(
            _("%(network)s refused these credentials: check them, or create new ones.")
            % {"network": label},
            secret_field,
        )
    if isinstance(error, RateLimited):
        return ConnectProblem(
            _("%(network)s asked Chorus to wait: try again in a few minutes.") % {"network": label}
        )
    if isinstance(error, Transient):
        return ConnectProblem(
            _("Chorus could not reach %(network)s. Check the server address, or try again soon.")
            % {"network": label},
            "base_url",
        )
    return ConnectProblem(
        _("%(network)s said no: %(reason)s") % {"network": label, "reason": error.message}
    )


class ConnectProblemError(ChannelError):
    """A network's own connect step found a problem with one field
    (``ChannelSteps.prepare_credentials``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field
