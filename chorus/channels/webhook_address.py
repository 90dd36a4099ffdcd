"""Where a network delivers one channel's webhooks, and the secrets that prove a delivery is
real. The channel owns them (they live in its encrypted credentials, invariant 4); the inbox
receives the deliveries (``chorus.inbox.webhooks``) and a network registers the address with
itself (Telegram: ``networks/telegram/webhook_setup.py``)."""

from __future__ import annotations

import secrets

from django.urls import reverse

from chorus.channels.models import Channel


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
