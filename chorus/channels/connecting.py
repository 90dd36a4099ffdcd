"""Connecting a channel from the browser: Mastodon's OAuth flow and the form-based networks.

Both end in :func:`chorus.channels.services.connect`, which checks the account with the network
(whoami) before anything is stored. Errors come back as :class:`ConnectProblem`: which field is
wrong (if one is) and what to do, in the person's language.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

import httpx
from django.utils.translation import gettext as _

from chorus.channels import services
from chorus.channels.errors import AuthExpired, ChannelError, RateLimited, Transient
from chorus.channels.models import Channel
from chorus.channels.networks.mastodon import oauth
from chorus.channels.registry import get_network
from chorus.channels.server_address import BadAddress, server_address
from chorus.core import http as chorus_http
from chorus.core.crypto import SecretUnreadable, decrypt_json, encrypt_json
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


# -- Mastodon: register on the instance, send the person there, trade the code --------------------


@dataclass(frozen=True)
class MastodonFlow:
    """One sign-in in progress, kept (encrypted) in the person's session until the callback."""

    state: str
    instance: str
    client_id: str
    client_secret: str
    code_verifier: str
    redirect_uri: str
    workspace_id: int
    channel_id: int | None
    started_at: float

    def sealed(self) -> str:
        return encrypt_json(asdict(self))

    @classmethod
    def unsealed(cls, sealed: str) -> MastodonFlow | None:
        try:
            return cls(**decrypt_json(sealed))
        except (SecretUnreadable, TypeError):
            return None

    @property
    def expired(self) -> bool:
        return time.time() - self.started_at > FLOW_MAX_AGE_SECONDS

    def authorization_url(self) -> str:
        return oauth.authorization_url(
            self.instance,
            self.client_id,
            self.redirect_uri,
            oauth.DEFAULT_SCOPES,
            self.state,
            oauth.code_challenge_for(self.code_verifier),
        )


def start_mastodon(
    workspace: Workspace,
    instance: str,
    redirect_uri: str,
    *,
    reconnecting: Channel | None = None,
    http: httpx.Client | None = None,
) -> MastodonFlow:
    """Register Chorus on the instance and prepare the approval link (PKCE + state)."""
    try:
        root = server_address(instance)
    except BadAddress as bad:
        raise ConnectProblem(str(bad), "instance") from None
    try:
        with _http(http) as client:
            client_id, client_secret = oauth.register_app(
                client, root, redirect_uri, oauth.DEFAULT_SCOPES
            )
    except ChannelError as error:
        raise ConnectProblem(_instance_words(error, root), "instance") from error
    return MastodonFlow(
        state=secrets.token_urlsafe(32),
        instance=root,
        client_id=client_id,
        client_secret=client_secret,
        code_verifier=oauth.new_code_verifier(),
        redirect_uri=redirect_uri,
        workspace_id=workspace.pk,
        channel_id=reconnecting.pk if reconnecting else None,
        started_at=time.time(),
    )


def _instance_words(error: ChannelError, root: str) -> str:
    host = httpx.URL(root).host
    if isinstance(error, Transient):
        return _(
            "Chorus could not reach %(host)s. Check the address, or try again in a minute."
        ) % {"host": host}
    if isinstance(error, RateLimited):
        return _("%(host)s asked Chorus to wait: try again in a few minutes.") % {"host": host}
    return _(
        "%(host)s does not answer like a Mastodon server. Check the address "
        "(the one you sign in at)."
    ) % {"host": host}


def finish_mastodon(
    flow: MastodonFlow,
    workspace: Workspace,
    code: str,
    *,
    reconnecting: Channel | None = None,
    http: httpx.Client | None = None,
) -> Channel:
    """Trade the code for a token (the PKCE verifier proves we started this), then connect."""
    try:
        with _http(http) as client:
            credentials = oauth.exchange_code(
                client,
                flow.instance,
                flow.client_id,
                flow.client_secret,
                flow.redirect_uri,
                code,
                flow.code_verifier,
            )
            return services.connect(
                workspace,
                "mastodon",
                credentials,
                {"base_url": flow.instance},
                reconnecting=reconnecting,
                http=client,
            )
    except services.WrongAccount:
        raise ConnectProblem(_wrong_account_words(reconnecting)) from None
    except (Transient, RateLimited) as error:
        raise ConnectProblem(_instance_words(error, flow.instance)) from error
    except ChannelError as error:
        raise ConnectProblem(
            _("The server did not accept the sign-in: %(reason)s Start again.")
            % {"reason": _sentence(error.message)}
        ) from error


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
            credentials = _prepared(network_key, entered, client)
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


def _prepared(network_key: str, entered: Entered, http: httpx.Client) -> dict[str, Any]:
    """Network-specific steps before whoami (kept here until the connectors offer them)."""
    if network_key == "matrix":
        from chorus.channels import connect_matrix

        return connect_matrix.prepared(entered, http)
    return dict(entered.credentials)


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
    """A network-specific step found a problem with one field (raised inside ``_prepared``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field
