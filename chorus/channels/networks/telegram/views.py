"""A Telegram channel's webhook from its page: receive by webhook, back to polling, check now.

The work is in ``webhook_setup`` (the webhook feeds the inbox and replaces its polling); it is
imported inside the functions because it uses the inbox, which sits right of the channels app
in DESIGN.md's order: the channels app must not need it to load.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.channels.models import Channel
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission


@require_POST
@workspace_view(Permission.MANAGE_CHANNELS)
def telegram_webhook(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    from chorus.channels.networks.telegram import webhook_setup

    channel = get_object_or_404(
        Channel.objects.of(request.workspace),
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
    from chorus.channels.networks.telegram import webhook_setup

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
