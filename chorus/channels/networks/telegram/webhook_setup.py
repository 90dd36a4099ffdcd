"""Telegram pushing new messages to Chorus (a webhook) instead of Chorus asking (getUpdates).

Telegram delivers only to https addresses on ports 443, 80, 88 or 8443, so a webhook is set up
only when ``CHORUS_BASE_URL`` is such an address; otherwise the inbox polls and the channel page
says why. While a webhook is set Telegram refuses getUpdates (409 Conflict), so the choice is kept
in ``Channel.settings["telegram_webhook"]`` and the poller, instead of polling, asks now and then
(getWebhookInfo) whether the webhook is still there and how delivery goes. Switching either way
loses nothing: Telegram keeps the updates it holds (``drop_pending_updates=false``), and a
delivery is accepted whatever the state says (it is checked by its secret, not by the state).

One bot has one webhook: a bot shared by two Chorus channels keeps polling.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chorus.channels import services as channels
from chorus.channels.channel_settings import poll_now
from chorus.channels.errors import ChannelError
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.networks.telegram.network import TelegramConnection
from chorus.channels.webhook_address import webhook_path, webhook_secrets

log = logging.getLogger(__name__)

STATE = "telegram_webhook"  # the key in Channel.settings
TELEGRAM_PORTS = (443, 80, 88, 8443)
CHECK_EVERY = timedelta(minutes=15)  # how often the poller looks at a webhook's health


class WebhookProblem(Exception):
    """Why the webhook could not be set up or removed, in words for the person who asked."""


# -- whether it can be done -----------------------------------------------------------------


def why_no_webhook() -> str:
    """Why this Chorus cannot receive Telegram webhooks, or "" when it can."""
    base = settings.CHORUS_BASE_URL
    address = urlsplit(base)
    if address.scheme != "https":
        return _(
            "Chorus's address (%(address)s) is not https, and Telegram delivers messages only "
            "to https addresses: Chorus asks Telegram for new messages every few minutes instead."
        ) % {"address": base}
    try:
        port = address.port or 443
    except ValueError:
        port = 0
    if port not in TELEGRAM_PORTS:
        return _(
            "Chorus's address uses port %(port)s, and Telegram delivers messages only to ports "
            "443, 80, 88 and 8443: Chorus asks Telegram for new messages every few minutes "
            "instead."
        ) % {"port": port}
    return ""


def webhook_state(channel: Channel) -> dict[str, Any]:
    found = channel.settings.get(STATE)
    return dict(found) if isinstance(found, dict) else {}


def receives_by_webhook(channel: Channel) -> bool:
    """True while Telegram pushes to Chorus: the poller must not call getUpdates then."""
    return channel.network == "telegram" and bool(webhook_state(channel).get("active"))


def webhook_url(channel: Channel) -> str:
    return settings.CHORUS_BASE_URL + webhook_path(channel)


# -- turning it on and off ------------------------------------------------------------------


def start_webhook(channel: Channel, *, http: httpx.Client | None = None) -> dict[str, Any]:
    """Register this channel's address with Telegram, then read back what Telegram says."""
    _check_can_start(channel)
    _token, secret = webhook_secrets(channel)
    url = webhook_url(channel)
    connection = _connection(channel, http)
    try:
        connection.set_webhook(url, secret)
        # From here the webhook is set: polling must stop even if reading the info fails.
        state: dict[str, Any] = {"active": True, "url": url, "since": timezone.now().isoformat()}
        found = _info_or_error(connection)
        found.pop("error", None)  # shown as check_error; the webhook itself is set
        state.update(found)
    except ChannelError as error:
        raise WebhookProblem(_("Telegram refused: %(reason)s") % {"reason": error}) from error
    finally:
        if http is None:
            connection.close()
    return _save_state(channel, state)


def _connection(channel: Channel, http: httpx.Client | None) -> TelegramConnection:
    connection = channels.connection_for(channel, http=http)
    if not isinstance(connection, TelegramConnection):
        connection.close()
        raise WebhookProblem(_("Only a connected Telegram channel can receive by webhook."))
    return connection


def _check_can_start(channel: Channel) -> None:
    if channel.network != "telegram" or channel.status != ChannelStatus.ACTIVE:
        raise WebhookProblem(_("Only a connected Telegram channel can receive by webhook."))
    reason = why_no_webhook()
    if reason:
        raise WebhookProblem(reason)
    if _bot_serves_another_channel(channel):
        raise WebhookProblem(
            _(
                "Another Chorus channel uses the same bot, and Telegram sends a bot's messages "
                "to one webhook only. Give this channel a bot of its own (@BotFather, /newbot) "
                "to receive by webhook; Chorus keeps asking for new messages meanwhile."
            )
        )


def _bot_serves_another_channel(channel: Channel) -> bool:
    """The bot's id is the part of its token before the colon."""
    mine = _bot_id(channel)
    others = (
        Channel.objects.filter(network="telegram")
        .exclude(pk=channel.pk)
        .exclude(status=ChannelStatus.DISCONNECTED)
    )
    return bool(mine) and any(_bot_id(other) == mine for other in others)


def _bot_id(channel: Channel) -> str:
    return str(channel.credentials.get("bot_token") or "").partition(":")[0].strip()


def stop_webhook(channel: Channel, *, http: httpx.Client | None = None) -> dict[str, Any]:
    """Back to polling: remove the webhook, then poll at once (what Telegram held waits)."""
    connection = _connection(channel, http)
    try:
        connection.delete_webhook()
    except ChannelError as error:
        raise WebhookProblem(_("Telegram refused: %(reason)s") % {"reason": error}) from error
    finally:
        if http is None:
            connection.close()
    state = _save_state(channel, {"active": False, "stopped": timezone.now().isoformat()})
    poll_now(channel)
    return state


# -- keeping an eye on it -------------------------------------------------------------------


def check_webhook(channel: Channel, *, http: httpx.Client | None = None) -> dict[str, Any]:
    """Read getWebhookInfo into the state, and follow what it shows: a webhook removed outside
    Chorus means polling again (or messages would wait at Telegram for nobody); our own address
    in place while we poll (a setWebhook whose answer was lost) means polling must stop."""
    connection = _connection(channel, http)
    try:
        found = _info_or_error(connection)
    finally:
        if http is None:
            connection.close()
    error = found.pop("error", None)
    if error is not None:
        channels.record_error(channel, error)  # a revoked token shows on the channel's health
        return _save_state(channel, found, merge=True)
    registered = found["info"]["url"]
    active = bool(webhook_state(channel).get("active"))
    if active and not registered:
        found.update(active=False, removed_elsewhere=True)
        poll_now(channel)
    elif not active and registered and registered == _expected_url(channel):
        found.update(active=True, url=registered, removed_elsewhere=False)
    return _save_state(channel, found, merge=True)


def check_instead_of_polling(channel: Channel, *, http: httpx.Client | None = None) -> datetime:
    """For the poller while Telegram pushes: check the webhook, and say when to come back (at
    once if it turned out to be gone, so polling resumes)."""
    state = check_webhook(channel, http=http)
    return timezone.now() + (CHECK_EVERY if state.get("active") else timedelta(0))


def _info_or_error(connection: TelegramConnection) -> dict[str, Any]:
    now = timezone.now().isoformat()
    try:
        info = connection.webhook_info()
    except ChannelError as error:
        return {"check_error": error.message, "checked_at": now, "error": error}
    return {"info": info.as_json(), "check_error": "", "checked_at": now}


def _save_state(channel: Channel, state: dict[str, Any], *, merge: bool = False) -> dict[str, Any]:
    """Write the state under a row lock, so a connect merging other settings is not undone."""
    with transaction.atomic():
        fresh = Channel.objects.select_for_update().get(pk=channel.pk)
        new = {**webhook_state(fresh), **state} if merge else dict(state)
        fresh.settings = {**fresh.settings, STATE: new}
        fresh.save(update_fields=["settings"])
    channel.settings = fresh.settings
    return new


# -- at connect and disconnect --------------------------------------------------------------


def after_connect(channel: Channel, *, http: httpx.Client | None = None) -> str:
    """Set up the webhook of a (re)connected Telegram channel where possible; words for the
    person, or "" when there is nothing to say."""
    if channel.network != "telegram":
        return ""
    if why_no_webhook():
        if receives_by_webhook(channel):
            _save_state(channel, {"active": False}, merge=True)  # poll; a 409 would say why
        return ""
    try:
        start_webhook(channel, http=http)
    except WebhookProblem as problem:
        if receives_by_webhook(channel):  # the webhook set before may well still work
            return _("Chorus could not renew the Telegram webhook: %(reason)s") % {
                "reason": problem
            }
        return _("New Telegram messages will be fetched every few minutes: %(reason)s") % {
            "reason": problem
        }
    return _("Telegram now delivers new messages to Chorus as they are written (webhook).")


def before_disconnect(channel: Channel, *, http: httpx.Client | None = None) -> None:
    """While the token is still known: stop Telegram delivering to an address about to close."""
    if not receives_by_webhook(channel):
        return
    try:
        stop_webhook(channel, http=http)
    except WebhookProblem:
        log.warning("channel %s: the Telegram webhook could not be removed", channel.pk)
        _save_state(channel, {"active": False}, merge=True)


# -- for the channel page -------------------------------------------------------------------


def webhook_panel(channel: Channel) -> dict[str, Any]:
    """What the channel page shows; never calls Telegram (a page must not wait on it)."""
    state = webhook_state(channel)
    found = state.get("info")
    info: dict[str, Any] = found if isinstance(found, dict) else {}
    registered = str(info.get("url") or "")
    expected = _expected_url(channel)
    why_not, active = why_no_webhook(), bool(state.get("active"))
    elsewhere = bool(registered and expected and registered != expected)
    return {
        "why_not": why_not,
        "active": active,
        # No dead button: "Receive by webhook" only where Telegram could deliver to this Chorus.
        "can_start": not why_not and (not active or elsewhere),
        "registered_url": _masked(registered),
        "elsewhere": elsewhere,
        "removed_elsewhere": bool(state.get("removed_elsewhere")) and not state.get("active"),
        "pending": int(info.get("pending_update_count") or 0),
        "last_error_at": _when(info.get("last_error_at")),
        "last_error_message": channels.error_words(
            channel, str(info.get("last_error_message") or "")
        ),
        "checked_at": _when(state.get("checked_at")),
        "check_error": channels.error_words(channel, str(state.get("check_error") or "")),
    }


def _expected_url(channel: Channel) -> str:
    """Our address, if it was ever made (a page view must not create secrets)."""
    if not channel.credentials.get("webhook_token"):
        return ""
    return webhook_url(channel)


def _masked(url: str) -> str:
    """Our address carries the channel's URL token: show its shape, not the token."""
    marker = "/inbox/webhooks/"
    if marker not in url:
        return url
    head, _sep, tail = url.partition(marker)
    channel_id, _slash, _token = tail.partition("/")
    return f"{head}{marker}{channel_id}/…/"


def _when(value: Any) -> datetime | None:
    return parse_datetime(value) if isinstance(value, str) and value else None
