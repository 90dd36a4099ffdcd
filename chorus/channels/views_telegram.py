"""A Telegram channel's webhook from its page: receive by webhook, back to polling, check now.

The work is the inbox's (``chorus/inbox/webhook_setup.py``: the webhook feeds the inbox and
replaces its polling); it is imported inside the functions because the channels app sits left of
the inbox in DESIGN.md's order and must not need it to load.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.channels.models import Channel
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.permissions import Permission


@require_POST
@workspace_view(Permission.MANAGE_CHANNELS)
def telegram_webhook(request: HttpRequest, channel_id: int) -> HttpResponse:
    from chorus.inbox import webhook_setup

    channel = get_object_or_404(
        Channel.objects.of(request.workspace),  # type: ignore[attr-defined]
        pk=channel_id,
        network="telegram",
    )
    action = str(request.POST.get("action", ""))
    try:
        done = _run(channel, action)
    except webhook_setup.WebhookProblem as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, done)
    return redirect("channels:health", channel.pk)


def _run(channel: Channel, action: str) -> str:
    from chorus.inbox import webhook_setup

    if action == "start":
        webhook_setup.start_webhook(channel)
        return _("Telegram now delivers new messages to Chorus as they are written.")
    if action == "stop":
        webhook_setup.stop_webhook(channel)
        return _("Back to polling: Chorus asks Telegram for new messages every few minutes.")
    if action == "check":
        webhook_setup.check_webhook(channel)
        return _("Telegram's view of the webhook is updated below.")
    raise webhook_setup.WebhookProblem(_("Unknown action."))


def webhook_panel(channel: Channel) -> dict[str, Any] | None:
    """The webhook section of a Telegram channel's page (None for other networks)."""
    if channel.network != "telegram":
        return None
    from chorus.inbox.webhook_setup import webhook_panel as panel

    return panel(channel)


def after_connect(request: HttpRequest, channel: Channel) -> None:
    """Right after a Telegram channel is (re)connected: set up its webhook where possible."""
    if channel.network != "telegram":
        return
    from chorus.inbox.webhook_setup import after_connect as set_up

    said = set_up(channel)
    if said:
        messages.info(request, said)


def before_disconnect(channel: Channel) -> None:
    """While the bot token is still known, stop Telegram delivering to this channel."""
    if channel.network != "telegram":
        return
    from chorus.inbox.webhook_setup import before_disconnect as stop

    stop(channel)
