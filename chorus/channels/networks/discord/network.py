"""Discord: an incoming webhook posting in one channel of a server.

The webhook address is the channel's ``webhook_url`` credential (it holds the webhook's secret
token). A webhook can post, post in a thread and delete its own messages; it cannot read
anything back (no inbox, no statistics), so a post whose answer was lost stays Unconfirmed for a
person to check.
"""

from __future__ import annotations

import json
from contextlib import ExitStack
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from chorus.channels.base import (
    AccountInfo,
    Capability,
    Connection,
    CountMode,
    CredentialField,
    Limits,
    Network,
    OutgoingPost,
    PublishedPost,
    SettingField,
)
from chorus.channels.errors import AuthExpired, Permanent, Unconfirmed
from chorus.channels.networks.discord.api import call, split_webhook_url

MB = 1024 * 1024
API_ROOT = "https://discord.com"


class DiscordConnection(Connection):
    """One webhook. Messages are named "<channel or thread id>:<message id>"."""

    _webhook: dict[str, Any] | None = None

    def base_url(self) -> str:
        return str(self.settings.get("api_root") or API_ROOT).rstrip("/")

    def _hook_url(self, suffix: str = "") -> str:
        try:
            webhook_id, token = split_webhook_url(str(self.credentials.get("webhook_url") or ""))
        except ValueError as exc:
            raise AuthExpired(str(exc)) from exc
        return f"{self.base_url()}/api/webhooks/{webhook_id}/{token}{suffix}"

    def webhook(self) -> dict[str, Any]:
        if self._webhook is None:
            found = call(self.http, "GET", self._hook_url()).json()
            if not isinstance(found, dict) or "id" not in found:
                raise Permanent("Discord's answer about the webhook was unreadable.")
            self._webhook = found
        return self._webhook

    def whoami(self) -> AccountInfo:
        hook = self.webhook()
        return AccountInfo(
            remote_id=str(hook["id"]),
            handle=str(hook.get("name") or hook["id"]),
            display_name=str(hook.get("name") or ""),
            url=f"https://discord.com/channels/{hook.get('guild_id')}/{hook.get('channel_id')}",
        )

    # -- publishing -----------------------------------------------------------------------------

    def publish(self, post: OutgoingPost) -> PublishedPost:
        _check(post)
        params: dict[str, str] = {"wait": "true"}
        payload: dict[str, Any] = {"content": post.text, "allowed_mentions": {"parse": []}}
        thread = self._thread_for(post.reply_to)
        if thread:
            params["thread_id"] = thread
        elif name := str(self.settings.get("thread_name") or "").strip():
            payload["thread_name"] = name  # a forum channel: each post opens its own thread
        with ExitStack() as streams:  # files streamed, and closed after the call
            if post.media:
                payload["attachments"] = [
                    {"id": n, "filename": m.filename, "description": m.alt_text[:1024]}
                    for n, m in enumerate(post.media)
                ]
                files = {
                    f"files[{n}]": (m.filename, streams.enter_context(m.opened()), m.mime_type)
                    for n, m in enumerate(post.media)
                }
                kw: dict[str, Any] = {"data": {"payload_json": json.dumps(payload)}, "files": files}
            else:
                kw = {"json": payload}
            # Discord webhooks take no idempotency key: a lost answer may hide a posted message.
            response = call(
                self.http, "POST", self._hook_url(), params=params, may_have_applied=True, **kw
            )
        return self._published(response.json() if response.content else None, post.text)

    def _thread_for(self, reply_to: str) -> str:
        """A thread part goes where the previous part went; else the configured thread, if any."""
        if reply_to:
            channel = reply_to.partition(":")[0]
            if channel and channel != str(self.webhook().get("channel_id")):
                return channel
        return str(self.settings.get("thread_id") or "").strip()

    def _published(self, message: Any, text: str) -> PublishedPost:
        try:
            channel, message_id = str(message["channel_id"]), str(message["id"])
            sent_at = datetime.fromisoformat(str(message["timestamp"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise Unconfirmed(
                "Discord accepted the message but its answer was unreadable: check the channel.",
                detail=str(message)[:300],
            ) from exc
        guild = self.webhook().get("guild_id")
        return PublishedPost(
            remote_id=f"{channel}:{message_id}",
            url=f"https://discord.com/channels/{guild}/{channel}/{message_id}" if guild else "",
            published_at=sent_at,
            text=text,
        )

    def delete(self, remote_id: str) -> None:
        """Delete one of the webhook's messages; one already gone counts as deleted."""
        channel, _sep, message_id = remote_id.rpartition(":")
        params = {}
        if channel and channel != str(self.webhook().get("channel_id")):
            params["thread_id"] = channel
        try:
            call(self.http, "DELETE", self._hook_url(f"/messages/{message_id}"), params=params)
        except Permanent as exc:
            if "Unknown Message" not in exc.message:
                raise

    def recent_posts(self, limit: int = 40) -> list[PublishedPost]:
        """A webhook cannot list messages; the sweeper then asks a person to check the channel."""
        raise Permanent(
            "A Discord webhook cannot read the channel back: look in the channel whether the "
            "post went out, then reschedule it if it is missing."
        )


def _check(post: OutgoingPost) -> None:
    length = Discord.count_text(post.text)
    if length > Discord.limits.max_chars:
        raise Permanent(f"Discord allows 2000 characters and this text has {length}: shorten it.")
    if len(post.media) > Discord.limits.max_media:
        raise Permanent("Discord takes at most 10 files per message.")
    if not post.text.strip() and not post.media:
        raise Permanent("A Discord message needs text or a file.")


class Discord(Network):
    key = "discord"
    label = "Discord"
    capabilities = frozenset(
        {
            Capability.PUBLISH,
            Capability.THREAD,
            Capability.MEDIA,
            Capability.ALT_TEXT,
            Capability.VIDEO,
            Capability.DELETE,
        }
    )
    limits = Limits(
        max_chars=2000,
        count_mode=CountMode.UTF16,
        max_media=10,
        video_types=("video/mp4", "video/webm", "video/quicktime"),
        max_image_bytes=10 * MB,  # the upload limit of a server without boosts
        max_video_bytes=10 * MB,
        max_alt_text=1024,
    )
    tagline = _("A webhook posting in one channel of your server.")
    # The address holds the webhook's token: whoever has it can post as the webhook.
    credential_fields = {
        "webhook_url": CredentialField(
            _("Webhook address"),
            secret=True,
            help_text=_(
                "In Discord: channel settings → Integrations → Webhooks → Copy webhook URL."
            ),
        )
    }
    settings_fields = {
        "thread_id": SettingField(
            label=_("Thread"),
            help_text=_("Only to post in one thread of the channel: the thread's id."),
            required=False,
        ),
        "thread_name": SettingField(
            label=_("Thread title (forum channels)"),
            help_text=_("A forum channel needs a title for each post's thread."),
            required=False,
        ),
    }
    connection_class = DiscordConnection
    preview_template = "discord/preview.html"

    @classmethod
    def check_webhook_url(cls, url: str) -> tuple[str, str]:
        return split_webhook_url(url)
