"""Networks that push: a webhook delivery is checked, answered at once, and stored in a task.

The URL carries the channel id and a random token (so a stranger cannot even reach the
signature check of a channel); the network's own signature is checked with the channel's
``webhook_secret``. Both live in the channel's encrypted credentials (invariant 4). A network
declares Capability.WEBHOOK and has the ``ReceivesWebhooks`` capability (class methods
``verify_webhook(headers, body, secret)`` and ``parse_webhook(body)``). A network whose one
webhook serves several channels (a Telegram bot in several chats) also says which items are a
channel's (``SharesOneWebhook.belongs_to_channel``). Registering the address with the network is
the network's own business (Telegram: ``networks/telegram/webhook_setup.py``).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Mapping

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from chorus.channels.base import Capability, InboxItem, Network, WebhookNews
from chorus.channels.capabilities import (
    ReceivesAppWebhooks,
    ReceivesWebhooks,
    ReportsAppWebhookNews,
    SharesOneWebhook,
    capable,
)
from chorus.channels.errors import ChannelError
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.registry import UnknownNetwork, get_network
from chorus.channels.services import record_success
from chorus.inbox import background
from chorus.inbox.ingest import IngestResult, ingest
from chorus.inbox.network_news import apply_webhook_news

log = logging.getLogger(__name__)

MALFORMED = (ValueError, TypeError, KeyError, ChannelError)


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
    receiver = capable(network, ReceivesWebhooks)
    if receiver is None or not secret:
        return False
    try:
        return bool(receiver.verify_webhook(headers, body, secret))
    except MALFORMED:
        return False


def parse_delivery(network: type[Network], body: bytes) -> list[InboxItem]:
    receiver = capable(network, ReceivesWebhooks)
    if receiver is None:
        raise ValueError("this network cannot read webhook deliveries")
    return list(receiver.parse_webhook(body))


# -- one address for a network's app ------------------------------------------------------------


@csrf_exempt  # the network signs its deliveries; it has no session nor CSRF token
@require_http_methods(["GET", "POST"])
def receive_app(request: HttpRequest, network_key: str) -> HttpResponse:
    """``/webhooks/<network>/``: the GET challenge, then signed deliveries routed to the
    channels of the accounts they name (in every workspace that connected that account)."""
    app = _app_receiver(network_key)
    if app is None:
        return JsonResponse({"error": "unknown webhook"}, status=404)
    if request.method == "GET":
        answer = app.answer_challenge(request.GET)
        if answer is None:
            return JsonResponse({"error": "bad challenge"}, status=403)
        return HttpResponse(answer, content_type="text/plain")
    try:
        if not app.verify_app_webhook(request.headers, request.body):
            return JsonResponse({"error": "bad signature"}, status=403)
        routed = app.route_app_webhook(request.body)
        news = _news_of(app, request.body)
    except MALFORMED as error:
        return JsonResponse({"error": "malformed body", "detail": str(error)[:200]}, status=400)
    named = {rid for rid, items in routed.items() if items} | {rid for rid, n in news.items() if n}
    channels = _channels_of(network_key, sorted(named))
    for channel in channels:
        background.store_webhook_delivery(channel.pk, request.body)  # answer now; store later
    return JsonResponse({"ok": True, "channels": len(channels)})


def _news_of(app: object, body: bytes) -> dict[str, WebhookNews]:
    """Removals and hides the delivery reports, for networks that report them (Meta)."""
    reporter = capable(app, ReportsAppWebhookNews)
    return reporter.app_webhook_news(body) if reporter is not None else {}


def _app_receiver(network_key: str) -> ReceivesAppWebhooks | None:
    try:
        network = get_network(network_key)
    except (UnknownNetwork, ImportError):
        return None
    if not network.can(Capability.WEBHOOK):
        return None
    return capable(network, ReceivesAppWebhooks)


def _channels_of(network_key: str, remote_ids: list[str]) -> list[Channel]:
    if not remote_ids:
        return []
    found = Channel.objects.filter(network=network_key, remote_id__in=remote_ids)
    return list(found.exclude(status=ChannelStatus.DISCONNECTED))


def store_delivery(channel_id: int, body: bytes) -> IngestResult | None:
    """In the task: read the (already verified) delivery again and store it."""
    channel = Channel.objects.select_related("workspace").filter(pk=channel_id).first()
    if channel is None:
        return None
    network = get_network(channel.network)
    app = capable(network, ReceivesAppWebhooks)
    news = None
    try:
        if app is not None:  # one app address for every account: this channel's part
            items = app.route_app_webhook(body).get(channel.remote_id, [])
            news = _news_of(app, body).get(channel.remote_id)
        else:
            items = only_this_channels(network, channel, parse_delivery(network, body))
    except MALFORMED:
        log.warning("webhook delivery for channel %s could not be read", channel_id)
        return None
    result = ingest(channel, items)
    if news:  # after the items: a comment added then removed in one delivery ends removed
        apply_webhook_news(channel, news)
    record_success(channel)  # the network reached us: the channel works
    return result


def only_this_channels(
    network: type[Network], channel: Channel, items: list[InboxItem]
) -> list[InboxItem]:
    """What polling would keep. A Telegram bot in several chats gets all their messages at its
    one webhook, and a channel keeps only its own chat's (``belongs_to_channel``)."""
    shared = capable(network, SharesOneWebhook)
    if shared is None:
        return items
    return [item for item in items if shared.belongs_to_channel(channel.remote_id, item)]
