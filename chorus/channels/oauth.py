"""One OAuth 2 sign-in (authorization code + PKCE S256) that a network configures.

A network sets ``Network.oauth`` to an :class:`OAuthSetup`: which app to use (Mastodon registers
Chorus on each server; most networks have one app set by the operator), and which accounts the
sign-in gives access to. One sign-in may connect several channels (a Facebook user's Pages, a
Google account's YouTube channels): the person picks them on a chooser page; Mastodon offers the
one account it signed in with, and the chooser is skipped.

Authlib builds the approval link and the PKCE challenge; requests go through the one HTTP client
of Chorus (``chorus.core.http``), so they are classified and blocked in tests like any other.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django import forms

from chorus.channels.errors import Permanent
from chorus.core.crypto import SecretUnreadable, decrypt_json, encrypt_json
from chorus.core.http import send

FLOW_MAX_AGE_SECONDS = 30 * 60  # the person approves within minutes; an old link is refused


@dataclass(frozen=True)
class OAuthApp:
    """Where to send the person, where to trade the code, and as which app."""

    authorize_url: str
    token_url: str
    client_id: str
    client_secret: str
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class OfferedAccount:
    """One account a sign-in may connect, with what its channel will store."""

    label: str  # how the chooser names it (a Page's name, a server's address)
    credentials: dict[str, Any]
    settings: dict[str, Any] = field(default_factory=dict)
    remote_id: str = ""  # when the network already said it (the chooser's key)
    # The network the channel belongs to when it is not the sign-in's own: one Facebook sign-in
    # offers Pages (facebook) and the Instagram accounts linked to them (instagram).
    network: str = ""


class OAuthSetup(Protocol):
    """What a network configures: its app, and the accounts a sign-in gives access to."""

    @property
    def server_form(self) -> type[forms.Form] | None:
        """The form asking for the person's server first (an ``instance`` field: Mastodon,
        any instance), or None when the network has one address."""
        ...

    @property
    def start_template(self) -> str:
        """The network's page before the sign-in (in its package's templates)."""
        ...

    def app(self, http: httpx.Client, server: str, redirect_uri: str) -> OAuthApp: ...

    def accounts(
        self, http: httpx.Client, server: str, app: OAuthApp, token: dict[str, Any]
    ) -> list[OfferedAccount]: ...


@dataclass(frozen=True)
class OAuthFlow:
    """One sign-in in progress, kept (encrypted) in the person's session until the callback."""

    network: str
    state: str
    server: str
    app: dict[str, Any]  # the OAuthApp, as JSON
    code_verifier: str
    redirect_uri: str
    workspace_id: int
    channel_id: int | None
    started_at: float

    @classmethod
    def begin(
        cls,
        network: str,
        server: str,
        app: OAuthApp,
        redirect_uri: str,
        workspace_id: int,
        channel_id: int | None,
    ) -> OAuthFlow:
        return cls(
            network=network,
            state=secrets.token_urlsafe(32),
            server=server,
            app={**asdict(app), "scopes": list(app.scopes)},
            code_verifier=generate_token(64),
            redirect_uri=redirect_uri,
            workspace_id=workspace_id,
            channel_id=channel_id,
            started_at=time.time(),
        )

    @property
    def oauth_app(self) -> OAuthApp:
        return OAuthApp(**{**self.app, "scopes": tuple(self.app["scopes"])})

    @property
    def client_id(self) -> str:
        return self.oauth_app.client_id

    def sealed(self) -> str:
        return encrypt_json(asdict(self))

    @classmethod
    def unsealed(cls, sealed: str) -> OAuthFlow | None:
        try:
            return cls(**decrypt_json(sealed))
        except (SecretUnreadable, TypeError):
            return None

    @property
    def expired(self) -> bool:
        return time.time() - self.started_at > FLOW_MAX_AGE_SECONDS

    def authorization_url(self) -> str:
        return authorization_url(self.oauth_app, self.redirect_uri, self.state, self.code_verifier)


def authorization_url(app: OAuthApp, redirect_uri: str, state: str, code_verifier: str) -> str:
    """The approval link: the code comes back to ``redirect_uri`` with ``state``; S256 PKCE."""
    return str(
        prepare_grant_uri(
            app.authorize_url,
            app.client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=" ".join(app.scopes),
            state=state,
            code_challenge=create_s256_code_challenge(code_verifier),
            code_challenge_method="S256",
        )
    )


def exchange_code(
    http: httpx.Client, app: OAuthApp, redirect_uri: str, code: str, code_verifier: str
) -> dict[str, Any]:
    """Trade the code for the network's token answer (the PKCE verifier proves we started)."""
    response = send(
        http,
        "POST",
        app.token_url,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "code_verifier": code_verifier,
        },
    )
    try:
        token = response.json()
    except ValueError:
        token = None
    if not isinstance(token, dict) or not token.get("access_token"):
        raise Permanent(
            "The network did not give Chorus an access token; try connecting again.",
            detail=response.text[:300],
        )
    return token
