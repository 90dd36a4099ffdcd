"""Networks that push: a webhook delivery is checked, answered at once, and stored in a task.

The URL carries the channel id and a random token (so a stranger cannot even reach the
signature check of a channel); the network's own signature is checked with the channel's
``webhook_secret``. Both live in the channel's encrypted credentials (invariant 4). A network
declares Capability.WEBHOOK and provides ``verify_webhook`` and ``parse_webhook`` — as class
methods ``verify_webhook(headers, body, secret)`` / ``parse_webhook(body)``, or, like the
Telegram connector, as functions of its module ``verify_webhook(headers, secret)`` /
``parse_update(update)`` taking the decoded JSON. A network whose one webhook serves several
channels (a Telegram bot in several chats) also says which items are a channel's
(``belongs_to_channel``). Registering the address with Telegram: ``webhook_setup``.
"""

from __future__ import annotations

import hmac
import importlib
import inspect
import json
import logging
import secrets
from collections.abc import Callable, Mapping
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from chorus.channels.base import Capability, InboxItem, Network
from chorus.channels.errors import ChannelError
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.channels.services import record_success
from chorus.inbox import background
from chorus.inbox.ingest import IngestResult, ingest

log = logging.getLogger(__name__)

MALFORMED = (ValueError, TypeError, KeyError, ChannelError)


def webhook_secrets(channel: Channel) -> tuple[str, str]:
    """The channel's (URL token, signing secret), made once and kept with its credentials."""
    credentials = channel.credentials
    if not credentials.get("webhook_token") or not credentials.get("webhook_secret"):
        credentials.setdefault("webhook_token", secrets.token_urlsafe(24))
        credentials.setdefault("webhook_secret", secrets.token_urlsafe(32))
        channel.credentials = credentials
        channel.save(update_fields=["encrypted_credentials"])
    return credentials["webhook_token"], credentials["webhook_secret"]


def webhook_path(channel: Channel) -> str:
    """Where the network must deliver (give it to the network with the secret)."""
    token, _secret = webhook_secrets(channel)
    return reverse("inbox_webhooks:receive", args=[channel.pk, token])


@csrf_exempt  # the network signs its deliveries; it has no session nor CSRF token
@require_POST
def receive(request: HttpRequest, channel_id: int, token: str) -> JsonResponse:
    found = _channel_for(channel_id, token)
    if found is None:
        return JsonResponse({"error": "unknown webhook"}, status=404)
    channel, network, secret = found
    if not _verified(network, request.headers, request.body, secret):
        return JsonResponse({"error": "bad signature"}, status=403)
    try:
        items = parse_delivery(network, request.body)
    except MALFORMED as error:
        return JsonResponse({"error": "malformed body", "detail": str(error)[:200]}, status=400)
    if items:
        # Answer now: networks retry (and some give up on) slow webhooks.
        background.store_webhook_delivery(channel.pk, request.body)
    return JsonResponse({"ok": True, "items": len(items)})


def _channel_for(channel_id: int, token: str) -> tuple[Channel, type[Network], str] | None:
    """The channel if the token is its own (compared in constant time) and it takes webhooks."""
    channel = (
        Channel.objects.filter(pk=channel_id).exclude(status=ChannelStatus.DISCONNECTED).first()
    )
    if channel is None:
        return None
    credentials = channel.credentials
    expected = str(credentials.get("webhook_token") or "")
    if not expected or not hmac.compare_digest(expected.encode(), token.encode()):
        return None
    try:
        network = get_network(channel.network)
    except (UnknownNetwork, ImportError):
        return None
    if not network.can(Capability.WEBHOOK):
        return None
    return channel, network, str(credentials.get("webhook_secret") or "")


def _verified(network: type[Network], headers: Mapping[str, str], body: bytes, secret: str) -> bool:
    verify = _hook(network, "verify_webhook")
    if verify is None or not secret:
        return False
    try:
        takes_body = len(inspect.signature(verify).parameters) >= 3
        return bool(verify(headers, body, secret) if takes_body else verify(headers, secret))
    except MALFORMED:
        return False


def parse_delivery(network: type[Network], body: bytes) -> list[InboxItem]:
    parse = _hook(network, "parse_webhook")
    if parse is not None:
        return list(parse(body))
    parse_update = _hook(network, "parse_update")
    if parse_update is None:
        raise ValueError("this network cannot read webhook deliveries")
    return list(parse_update(json.loads(body)))


def _hook(network: type[Network], name: str) -> Callable[..., Any] | None:
    found = getattr(network, name, None)
    if callable(found):
        return found
    module = importlib.import_module(network.__module__)
    found = getattr(module, name, None)
    if callable(found):
        return found
    package = importlib.import_module(network.__module__.rpartition(".")[0] or network.__module__)
    found = getattr(package, name, None)
    return found if callable(found) else None


def store_delivery(channel_id: int, body: bytes) -> IngestResult | None:
    """In the task: read the (already verified) delivery again and store it."""
    channel = Channel.objects.select_related("workspace").filter(pk=channel_id).first()
    if channel is None:
        return None
    network = get_network(channel.network)
    try:
        items = parse_delivery(network, body)
    except MALFORMED:
        log.warning("webhook delivery for channel %s could not be read", channel_id)
        return None
    result = ingest(channel, only_this_channels(network, channel, items))
    record_success(channel)  # the network reached us: the channel works
    return result


def only_this_channels(
    network: type[Network], channel: Channel, items: list[InboxItem]
) -> list[InboxItem]:
    """What polling would keep. A Telegram bot in several chats gets all their messages at its
    one webhook, and a channel keeps only its own chat's (``belongs_to_channel``)."""
    belongs = getattr(network, "belongs_to_channel", None)
    if not callable(belongs):
        return items
    return [item for item in items if belongs(channel.remote_id, item)]
