"""Telegram: a bot posting in a channel or group (Bot API)."""

from chorus.channels.networks.telegram.updates import parse_update, verify_webhook

__all__ = ["parse_update", "verify_webhook"]
