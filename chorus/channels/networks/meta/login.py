"""Facebook Login for Business: one sign-in that connects a person's Pages and the Instagram
professional accounts linked to them (the one OAuth flow, ``chorus/channels/oauth.py``).

After the code is traded, Chorus swaps the short-lived user token for a long-lived one
(``fb_exchange_token``, about 60 days): the Page tokens read with a long-lived user token do not
expire on a date, but Meta's data access still lapses (``data_access_expires_at``, 90 days
after the person last signed in), so both dates are kept in the channel's settings and the
channel's page warns before then. An Instagram account is reached through its Page, with the
Page's token.

Where the person is sent and where the code is traded come from settings
(``CHORUS_META_LOGIN_URL``, ``CHORUS_META_GRAPH_URL``), so tests drive the whole flow against a
loopback server, and an operator may pin a Graph version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx
from django.conf import settings

from chorus.channels.errors import Permanent
from chorus.channels.networks.meta.graph import Graph, facebook_base
from chorus.channels.oauth import OAuthApp, OfferedAccount
from chorus.channels.registry import NETWORKS

# What Chorus asks for; docs/networks/facebook.md says why each is needed.
SCOPES: tuple[str, ...] = (
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_read_user_content",
    "pages_manage_metadata",  # subscribe a Page to the app's webhooks
    "pages_messaging",
    "read_insights",
    "business_management",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
    "instagram_manage_messages",
)
INSTAGRAM_FIELDS = (
    "instagram_business_account{id,username,name,profile_picture_url,followers_count}"
)
PAGE_FIELDS = f"id,name,access_token,tasks,link,{INSTAGRAM_FIELDS}"


class MetaAppMissing(Permanent):
    """The operator has not set ``CHORUS_META_APP_ID`` / ``CHORUS_META_APP_SECRET``."""


def meta_app_ready() -> bool:
    return bool(settings.CHORUS_META_APP_ID and settings.CHORUS_META_APP_SECRET)


def login_url() -> str:
    root = str(getattr(settings, "CHORUS_META_LOGIN_URL", "") or "https://www.facebook.com")
    return f"{root.rstrip('/')}/{settings.CHORUS_META_GRAPH_VERSION}/dialog/oauth"


@dataclass(frozen=True)
class TokenFacts:
    """What ``debug_token`` says of the user's token: when it and data access lapse, and
    which permissions the person really granted (they may untick some)."""

    expires_at: datetime | None
    data_access_expires_at: datetime | None
    scopes: tuple[str, ...]

    def as_settings(self) -> dict[str, Any]:
        """For ``Channel.settings``: dates as ISO text (None: no date), nothing secret."""
        return {
            "access_expires_at": _iso(self.expires_at),
            "data_access_expires_at": _iso(self.data_access_expires_at),
            "granted_scopes": list(self.scopes),
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(value: Any) -> datetime | None:
    """Meta's Unix times; 0 means "never" (a Page token read with a long-lived user token)."""
    if isinstance(value, int | float) and value > 0:
        return datetime.fromtimestamp(value, tz=UTC)
    return None


def long_lived_user_token(short_token: str) -> str:
    """Swap the sign-in's short-lived (hours) user token for a long-lived (~60 days) one."""
    graph = Graph(short_token, app_secret="")
    try:
        answer = graph.get(
            "oauth/access_token",
            grant_type="fb_exchange_token",
            client_id=settings.CHORUS_META_APP_ID,
            client_secret=settings.CHORUS_META_APP_SECRET,
            fb_exchange_token=short_token,
        )
    finally:
        graph.close()
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        raise Permanent("Meta did not give Chorus a long-lived token; try connecting again.")
    return token


def token_facts(user_token: str) -> TokenFacts:
    """``debug_token``, asked with the app's own token (``app-id|app-secret``)."""
    app_token = f"{settings.CHORUS_META_APP_ID}|{settings.CHORUS_META_APP_SECRET}"
    graph = Graph(app_token, app_secret="")
    try:
        answer = graph.get("debug_token", input_token=user_token)
    finally:
        graph.close()
    found = answer.get("data")
    data: dict[str, Any] = found if isinstance(found, dict) else {}
    if data.get("is_valid") is False:
        raise Permanent("Meta says this sign-in is no longer valid; sign in again.")
    granted = data.get("scopes")
    scopes: list[Any] = granted if isinstance(granted, list) else []
    return TokenFacts(
        expires_at=_moment(data.get("expires_at")),
        data_access_expires_at=_moment(data.get("data_access_expires_at")),
        scopes=tuple(str(scope) for scope in scopes),
    )


def managed_pages(user_token: str) -> list[dict[str, Any]]:
    """The Pages the person manages, each with its Page token and linked Instagram account."""
    graph = Graph(user_token)
    try:
        return [page for page in graph.pages("me/accounts", fields=PAGE_FIELDS) if page.get("id")]
    finally:
        graph.close()


def offers_from_pages(
    pages: list[dict[str, Any]], user_token: str, facts: TokenFacts
) -> list[OfferedAccount]:
    """One Facebook channel per Page and, where the Instagram network is installed, one
    Instagram channel per linked professional account. A Page without its token (the person
    lacks a task on it) is left out: Chorus could do nothing with it."""
    offered: list[OfferedAccount] = []
    with_instagram = "instagram" in NETWORKS
    for page in pages:
        page_token = page.get("access_token")
        if not isinstance(page_token, str) or not page_token:
            continue
        page_id = str(page["id"])
        offered.append(
            OfferedAccount(
                label=str(page.get("name") or page_id),
                credentials={"access_token": page_token, "user_token": user_token},
                settings={
                    **facts.as_settings(),
                    "page_id": page_id,
                    "page_tasks": list(page.get("tasks") or []),
                },
                remote_id=page_id,
                network="facebook",
            )
        )
        instagram = page.get("instagram_business_account")
        if with_instagram and isinstance(instagram, dict) and instagram.get("id"):
            offered.append(_instagram_offer(instagram, page_id, page_token, user_token, facts))
    return offered


def _instagram_offer(
    instagram: dict[str, Any], page_id: str, page_token: str, user_token: str, facts: TokenFacts
) -> OfferedAccount:
    username = str(instagram.get("username") or instagram["id"])
    return OfferedAccount(
        label=f"@{username}",
        credentials={"access_token": page_token, "page_id": page_id, "user_token": user_token},
        settings={**facts.as_settings(), "page_id": page_id},
        remote_id=str(instagram["id"]),
        network="instagram",
    )


class FacebookLogin:
    """Meta's configuration of the one OAuth flow: the operator's Meta app, one address."""

    server_form = None
    start_template = "facebook/connect.html"

    @property
    def ready(self) -> bool:
        """Whether the operator set up the Meta app (the start page says what to do if not)."""
        return meta_app_ready()

    def app(self, http: httpx.Client, server: str, redirect_uri: str) -> OAuthApp:
        if not meta_app_ready():
            raise MetaAppMissing(
                "This Chorus has no Meta app yet: set CHORUS_META_APP_ID and "
                "CHORUS_META_APP_SECRET (see the Facebook page of the documentation)."
            )
        return OAuthApp(
            authorize_url=login_url(),
            token_url=f"{facebook_base()}/oauth/access_token",
            client_id=settings.CHORUS_META_APP_ID,
            client_secret=settings.CHORUS_META_APP_SECRET,
            scopes=SCOPES,
        )

    def accounts(
        self, http: httpx.Client, server: str, app: OAuthApp, token: dict[str, Any]
    ) -> list[OfferedAccount]:
        user_token = long_lived_user_token(str(token["access_token"]))
        facts = token_facts(user_token)
        return offers_from_pages(managed_pages(user_token), user_token, facts)
