"""Connecting a Threads profile: Threads' own OAuth (not Facebook Login), then a 60-day token.

The person approves Chorus on threads.net (``CHORUS_THREADS_AUTHORIZE_URL``), the code is traded
at ``graph.threads.net/oauth/access_token`` for a one-hour token, which Chorus trades at once for
a long-lived one (``th_exchange_token``) and renews before it lapses (see ``network.py``).
"""

from __future__ import annotations

from typing import Any

import httpx
from django.conf import settings

from chorus.channels.errors import Permanent
from chorus.channels.networks.threads.api import graph_root, long_lived, threads_graph
from chorus.channels.oauth import OAuthApp, OfferedAccount

# What each scope is for: docs/networks/threads.md.
SCOPES: tuple[str, ...] = (
    "threads_basic",  # the profile, and every other call
    "threads_content_publish",  # publish posts, threads and replies
    "threads_manage_replies",  # hide and unhide replies
    "threads_read_replies",  # read replies to our posts for the inbox
    "threads_manage_insights",  # views, likes, replies, reposts, quotes; followers
    "threads_manage_mentions",  # posts that mention the profile, for the inbox
    "threads_delete",  # delete a post published from Chorus
)
PROFILE_FIELDS = "id,username,name,threads_profile_picture_url"


def is_configured() -> bool:
    return bool(settings.CHORUS_THREADS_APP_ID and settings.CHORUS_THREADS_APP_SECRET)


class ThreadsOAuth:
    """Threads' configuration of the one OAuth flow: the operator's app, one profile per sign-in."""

    server_form = None
    start_template = "threads/connect.html"

    def app(self, http: httpx.Client, server: str, redirect_uri: str) -> OAuthApp:
        if not is_configured():
            raise Permanent(
                "Threads is not set up on this Chorus: its app id and secret are missing."
            )
        return OAuthApp(
            authorize_url=str(settings.CHORUS_THREADS_AUTHORIZE_URL),
            token_url=f"{graph_root()}/oauth/access_token",
            client_id=str(settings.CHORUS_THREADS_APP_ID),
            client_secret=str(settings.CHORUS_THREADS_APP_SECRET),
            scopes=SCOPES,
        )

    def accounts(
        self, http: httpx.Client, server: str, app: OAuthApp, token: dict[str, Any]
    ) -> list[OfferedAccount]:
        """The one profile that signed in, with a long-lived token (the short one lasts an hour)."""
        lasting = long_lived(str(token["access_token"]))
        graph = threads_graph(lasting.access_token)
        try:
            profile = graph.get("me", fields=PROFILE_FIELDS)
        finally:
            graph.close()
        user_id = str(profile.get("id") or token.get("user_id") or "")
        if not user_id:
            raise Permanent("Threads did not say which profile signed in; try connecting again.")
        username = str(profile.get("username") or user_id)
        credentials = {**lasting.as_credentials(), "user_id": user_id}
        return [OfferedAccount(label=f"@{username}", credentials=credentials, remote_id=user_id)]
