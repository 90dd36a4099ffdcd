"""Connecting a Mastodon account: register Chorus on the instance, send the person to approve,
trade the returned code for a token.

Every instance is its own OAuth server, so Chorus registers itself once per instance
(``register_app``) and keeps the client id and secret with the channel. PKCE (S256) protects the
code on its way back through the browser. Requests go through the one HTTP client of Chorus;
Authlib only supplies the PKCE and token helpers.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from chorus.channels.errors import Permanent
from chorus.channels.networks.mastodon.forms import MastodonInstanceForm
from chorus.channels.networks.mastodon.payload import read_json, reading
from chorus.channels.oauth import OAuthApp, OfferedAccount
from chorus.core.http import send

# The narrowest scopes that cover what Chorus does; docs/networks/mastodon.md says why each.
DEFAULT_SCOPES: tuple[str, ...] = (
    "read:accounts",  # check which account was connected
    "read:statuses",  # read back our posts (reconciliation, numbers) and direct messages
    "read:notifications",  # mentions and replies for the inbox
    "read:search",  # listening
    "write:statuses",  # publish, reply, delete
    "write:media",  # upload images and videos
)
APP_NAME = "Chorus"


def instance_root(instance_url: str) -> str:
    """``mastodon.social`` or ``https://mastodon.social/`` both mean ``https://mastodon.social``."""
    url = instance_url.strip().rstrip("/")
    if not url:
        raise Permanent("Enter the address of your Mastodon server, like https://mastodon.social.")
    return url if "://" in url else f"https://{url}"


def register_app(
    http: httpx.Client, instance_url: str, redirect_uri: str, scopes: tuple[str, ...]
) -> tuple[str, str]:
    """Register Chorus on the instance; returns ``(client_id, client_secret)``."""
    response = send(
        http,
        "POST",
        f"{instance_root(instance_url)}/api/v1/apps",
        data={
            "client_name": APP_NAME,
            "redirect_uris": redirect_uri,
            "scopes": " ".join(scopes),
        },
    )
    app = read_json(response, "the app registration")
    with reading("the app registration"):
        return str(app["client_id"]), str(app["client_secret"])


def new_code_verifier() -> str:
    """A fresh PKCE secret, kept in the person's session until the code comes back."""
    return generate_token(64)


def authorization_url(
    instance_url: str,
    client_id: str,
    redirect_uri: str,
    scopes: tuple[str, ...],
    state: str,
    code_challenge: str,
) -> str:
    """Where to send the person to approve Chorus. ``code_challenge`` is S256 of the verifier."""
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(scopes),
            "state": state,
            "code_challenge": code_challenge,
            "code_challenge_method": "S256",
        }
    )
    return f"{instance_root(instance_url)}/oauth/authorize?{query}"


def code_challenge_for(code_verifier: str) -> str:
    return str(create_s256_code_challenge(code_verifier))


def exchange_code(
    http: httpx.Client,
    instance_url: str,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    code_verifier: str,
) -> dict[str, Any]:
    """Trade the code for an access token; returns the channel's credentials.

    Mastodon tokens do not expire and there is no refresh token: the client id and secret are
    kept so Chorus can revoke the token when the channel is removed.
    """
    response = send(
        http,
        "POST",
        f"{instance_root(instance_url)}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": client_id,
            "client_secret": client_secret,
            "code_verifier": code_verifier,
        },
    )
    return _credentials_from(read_json(response, "the sign-in"), client_id, client_secret)


def _credentials_from(token: Any, client_id: str, client_secret: str) -> dict[str, Any]:
    with reading("the sign-in"):
        access_token = str(token["access_token"])
        scope = str(token.get("scope") or "")
    if not access_token:
        raise Permanent("Mastodon did not give Chorus an access token; try connecting again.")
    return {
        "access_token": access_token,
        "scopes": scope.split(),
        "client_id": client_id,
        "client_secret": client_secret,
    }


class MastodonOAuth:
    """Mastodon's configuration of the one OAuth flow (``chorus/channels/oauth.py``): Chorus
    registers itself on the person's server, and the sign-in connects that one account."""

    server_form = MastodonInstanceForm
    start_template = "mastodon/connect.html"

    def app(self, http: httpx.Client, server: str, redirect_uri: str) -> OAuthApp:
        client_id, client_secret = register_app(http, server, redirect_uri, DEFAULT_SCOPES)
        root = instance_root(server)
        return OAuthApp(
            authorize_url=f"{root}/oauth/authorize",
            token_url=f"{root}/oauth/token",
            client_id=client_id,
            client_secret=client_secret,
            scopes=DEFAULT_SCOPES,
        )

    def accounts(
        self, http: httpx.Client, server: str, app: OAuthApp, token: dict[str, Any]
    ) -> list[OfferedAccount]:
        credentials = _credentials_from(token, app.client_id, app.client_secret)
        return [
            OfferedAccount(label=server, credentials=credentials, settings={"base_url": server})
        ]
