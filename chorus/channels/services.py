"""Channel verbs: connect, check_connection, connection_for / connected, record_success/error,
refresh_credentials, keep_rotated_credentials, mark_needs_reconnect.

Invariant 5 lives here: an error is classified before anything changes on the channel. A timeout
or a rate limit never disconnects a channel; only refused credentials that a refresh could not
fix do, and the people who can reconnect it are told once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import httpx
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chorus.channels.base import AccountInfo, Connection
from chorus.channels.capabilities import HasInstanceLimits, ReportsRights, capable
from chorus.channels.errors import AuthExpired, ChannelError, Permanent, RateLimited
from chorus.channels.models import Channel, ChannelStatus
from chorus.channels.registry import get_network
from chorus.core.crypto import SecretUnreadable
from chorus.core.redact import redact, secret_values
from chorus.workspaces.models import Membership, Role, Workspace
from chorus.workspaces.services import notify

log = logging.getLogger(__name__)


class WrongAccount(Permanent):
    """Reconnecting a channel with another account would silently publish somewhere else."""


def connect(
    workspace: Workspace,
    network_key: str,
    credentials: dict[str, Any],
    settings: dict[str, Any] | None = None,
    *,
    name: str = "",
    reconnecting: Channel | None = None,
    http: httpx.Client | None = None,
) -> Channel:
    """Check the credentials with the network (whoami) and store the channel.

    Connecting an account that is already there reconnects it: new credentials, active again,
    and a later failure may notify again. With ``reconnecting``, the account must be that
    channel's own, else :class:`WrongAccount` and nothing changes.
    """
    network = get_network(network_key)
    connection = network.connect(credentials, settings or {}, http=http)
    try:
        account = connection.whoami()
        # What the connection holds now, not what was typed in: Bluesky signs in during whoami
        # and rotates its tokens, and the refresh token it got must not be thrown away.
        checked = dict(connection.credentials)
        settings = {**(settings or {}), **account_settings(connection)}
    finally:
        if http is None:
            connection.close()
    if reconnecting is not None and (
        reconnecting.workspace_id != workspace.pk
        or reconnecting.network != network_key
        or reconnecting.remote_id != account.remote_id
    ):
        raise WrongAccount(
            f"This is {account.handle}, not {reconnecting.handle or reconnecting.name}: "
            "sign in with the channel's own account."
        )
    return _store_channel(workspace, network_key, account, checked, settings or {}, name)


def _store_channel(
    workspace: Workspace,
    network_key: str,
    account: AccountInfo,
    credentials: dict[str, Any],
    settings: dict[str, Any],
    name: str,
) -> Channel:
    with transaction.atomic():
        channel, created = Channel.objects.select_for_update().get_or_create(
            workspace=workspace, network=network_key, remote_id=account.remote_id
        )
        # A reconnection keeps the name the team gave the channel unless a new one is typed.
        if name or created or not channel.name:
            channel.name = name or account.display_name or account.handle
        channel.handle = account.handle
        channel.remote_url = account.url
        channel.settings = {**({} if created else channel.settings), **settings}
        channel.credentials = _merged({} if created else channel.credentials, credentials)
        channel.status = ChannelStatus.ACTIVE
        channel.reconnect_notified_at = None
        channel.last_error = ""
        channel.save()
    return channel


def server_limits(connection: Connection) -> dict[str, Any]:
    """``{"limits": …}`` when the account's own server says what it takes (a Mastodon instance
    sets its own length and media limits), for ``Channel.settings``; {} when it cannot tell, and
    publishing then checks against the network's defaults. Never a reason to refuse a connection.
    """
    server = capable(connection, HasInstanceLimits)
    if server is None:
        return {}
    try:
        limits = server.instance_limits()
    except Exception:  # a nicety: whatever goes wrong, the defaults stand and the account connects
        log.warning("server limits unreadable; keeping the network's defaults", exc_info=True)
        return {}
    values = asdict(limits)
    values.pop("count_mode", None)  # how text is counted is the network's, not the server's
    return {"limits": values}


def account_settings(connection: Connection) -> dict[str, Any]:
    """What the network says of the account, for ``Channel.settings``: its server's limits and
    the moderation it may not do; read at connect and on every check."""
    return {**server_limits(connection), **account_rights(connection)}


def account_rights(connection: Connection) -> dict[str, Any]:
    """``{"refused_verbs": [...]}`` for ``Channel.settings``: the moderation verbs (``redact``,
    ``kick``, ``ban``, ``unban``) the network offers but this account may not use in this place,
    from connections that can tell (``refused_verbs()``: a Telegram bot's admin rights, a Matrix
    account's power level). {} when the network does not say, and every verb stays offered (the
    network's refusal then explains itself). Never a reason to refuse a connection."""
    rights = capable(connection, ReportsRights)
    if rights is None:
        return {}
    try:
        refused = rights.refused_verbs()
    except Exception:  # a nicety, like server_limits: whatever goes wrong, the account connects
        log.warning("account rights unreadable; offering every moderation verb", exc_info=True)
        return {}
    return {"refused_verbs": sorted(refused)}


def check_connection(channel: Channel) -> None:
    """Ask the network again who the channel's account is, what its server allows and what the
    account may do there (after someone changed its rights, say); store what it says.

    A refusal is recorded on the channel and raised; refused credentials are refreshed once
    (the one policy: ``chorus/channels/policy.py``, which builds on this module).
    """
    from chorus.channels.policy import call_network

    account, found = call_network(
        channel, lambda connection: (connection.whoami(), account_settings(connection))
    )
    if account.remote_id != channel.remote_id:
        raise WrongAccount(
            f"The network now answers as {account.handle}, not {channel.handle or channel.name}: "
            "reconnect the channel with its own account."
        )
    _store_settings(channel, found)
    record_success(channel)


def _store_settings(channel: Channel, found: dict[str, Any]) -> None:
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        locked.settings = {**locked.settings, **found}
        locked.save(update_fields=["settings"])
    channel.settings = locked.settings


def connection_for(channel: Channel, *, http: httpx.Client | None = None) -> Connection:
    """A Connection bound to this channel's account; the caller closes it if it made no client."""
    network = get_network(channel.network)
    return network.connect(channel.credentials, channel.settings, http=http)


def keep_rotated_credentials(channel: Channel, connection: Connection) -> None:
    """Store the tokens the network rotated while the connection was used.

    Bluesky refreshes inside any call and its refresh token works once: left unstored, every
    later poll would sign in again with the app password, and Bluesky allows only a few hundred
    sign-ins a day before refusing the account for hours.
    """
    rotated = connection.rotated_credentials()
    if rotated:
        refresh_credentials(channel, rotated)


@contextmanager
def connected(channel: Channel, *, http: httpx.Client | None = None) -> Iterator[Connection]:
    """The channel's connection for a few calls. Afterwards, even if a call failed, the tokens
    it rotated are stored, and the connection is closed unless ``http`` is the caller's."""
    connection = connection_for(channel, http=http)
    try:
        yield connection
    finally:
        try:
            keep_rotated_credentials(channel, connection)
        finally:
            if http is None:
                connection.close()


def record_success(channel: Channel) -> None:
    now = timezone.now()
    # A queryset update, so parallel workers never overwrite each other's view of the channel.
    Channel.objects.filter(pk=channel.pk).update(last_success_at=now)
    channel.last_success_at = now


def record_rate_limit(
    channel: Channel, remaining: int | None, reset_at: datetime | None = None
) -> None:
    """What the network said about the budget left, for the health page and the dispatcher.

    A spent budget with a reset time makes the channel wait until then (the dispatcher checks
    ``rate_limit_reset_at``) rather than be refused with a 429.
    """
    fields: dict[str, Any] = {"rate_limit_remaining": remaining}
    if remaining is not None and remaining <= 0 and reset_at is not None:
        fields["rate_limit_reset_at"] = reset_at
    Channel.objects.filter(pk=channel.pk).update(**fields)
    for name, value in fields.items():
        setattr(channel, name, value)


def record_error(channel: Channel, error: ChannelError) -> None:
    """Note what went wrong; only a rate limit changes how the channel is used, never its status."""
    now = timezone.now()
    fields: dict[str, Any] = {"last_error": error_words(channel, error), "last_error_at": now}
    if isinstance(error, RateLimited):
        fields["rate_limit_reset_at"] = now + timedelta(seconds=error.retry_after)
        fields["rate_limit_remaining"] = 0
    Channel.objects.filter(pk=channel.pk).update(**fields)
    for name, value in fields.items():
        setattr(channel, name, value)
    log.info("channel %s: %s", channel.pk, type(error).__name__)


def error_words(channel: Channel, error: ChannelError | str) -> str:
    """The error's message as it may be stored and shown: without the channel's own tokens (a
    server may echo them in any shape) nor anything token-shaped."""
    text = error.message if isinstance(error, ChannelError) else str(error)
    try:
        secrets = secret_values(channel.credentials)
    except SecretUnreadable:  # keys rotated away: the shapes still catch the usual tokens
        secrets = []
    return redact(text, secrets)


def _merged(stored: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """New values win, except that an empty value never replaces a stored one.

    Networks often answer a refresh without a new refresh token, meaning "keep the old one".
    """
    merged = dict(stored)
    for key, value in new.items():
        if value in (None, "") and merged.get(key):
            continue
        merged[key] = value
    return merged


def refresh_credentials(channel: Channel, new: dict[str, Any] | None = None) -> bool:
    """Ask the network for fresh credentials (or store ``new``); True if something changed."""
    limits: dict[str, Any] = {}
    if new is None:
        connection = connection_for(channel)
        try:
            new = connection.refreshed_credentials()
            limits = server_limits(connection) if new else {}
        finally:
            connection.close()
    if not new:
        return False
    with transaction.atomic():
        locked = Channel.objects.select_for_update().get(pk=channel.pk)
        locked.credentials = _merged(locked.credentials, new)
        locked.settings = {**locked.settings, **limits}
        locked.save(update_fields=["encrypted_credentials", "settings"])
    channel.encrypted_credentials = locked.encrypted_credentials
    channel.settings = locked.settings
    return True


def recover_from_auth_error(channel: Channel, error: AuthExpired) -> bool:
    """Refresh once; True if the caller may try again, else the channel needs a person."""
    try:
        if refresh_credentials(channel):
            return True
    except ChannelError as refresh_error:
        log.info("channel %s: refresh failed: %s", channel.pk, type(refresh_error).__name__)
    mark_needs_reconnect(channel, error.message)
    return False


def mark_needs_reconnect(channel: Channel, reason: str) -> bool:
    """Ask a person to reconnect. Notifies owners and admins once per disconnection; True if sent.

    The conditional UPDATE makes "once" hold even when two workers hit the error together.
    """
    now = timezone.now()
    reason = error_words(channel, reason)
    first = Channel.objects.filter(pk=channel.pk, reconnect_notified_at__isnull=True).update(
        status=ChannelStatus.NEEDS_RECONNECT,
        reconnect_notified_at=now,
        last_error=reason,
        last_error_at=now,
    )
    if not first:
        Channel.objects.filter(pk=channel.pk).update(status=ChannelStatus.NEEDS_RECONNECT)
    channel.refresh_from_db()
    if first:
        notify_needs_reconnect(channel, reason)
    return bool(first)


def people_to_tell(workspace: Workspace) -> list[str]:
    members = Membership.objects.filter(
        workspace=workspace, role__in=[Role.OWNER, Role.ADMIN]
    ).select_related("user")
    return [m.user.email for m in members if m.user.email]


def notify_needs_reconnect(channel: Channel, reason: str) -> None:
    """By e-mail (one message in the workspace's language) and in the app, where the bell shows
    it to each owner and admin in their own language with a link to the channel's page."""
    _tell_in_app(channel)
    recipients = people_to_tell(channel.workspace)
    if not recipients:
        return
    context = {"channel": channel, "reason": reason, "workspace": channel.workspace}
    with translation.override(channel.workspace.language):
        subject = _("Reconnect %(channel)s in Chorus") % {"channel": channel.name}
        body = render_to_string("channels/email/needs_reconnect.txt", context)
    send_mail(subject, body, None, recipients)


def _tell_in_app(channel: Channel) -> None:
    owners = Membership.objects.filter(
        workspace=channel.workspace, role__in=[Role.OWNER, Role.ADMIN]
    ).select_related("user")
    notify(
        channel.workspace,
        [m.user for m in owners],
        # No e-mail here: the one above already went out.
        lambda: (
            _("Chorus can no longer publish to %(channel)s: reconnect it.")
            % {"channel": channel.name}
        ),
        link=reverse("channels:health", args=[channel.pk]),
    )


def channels_needing_reconnect(workspace: Workspace) -> list[Channel]:
    """For the Today page and the channel list: what a person must reconnect."""
    return list(Channel.objects.of(workspace).filter(status=ChannelStatus.NEEDS_RECONNECT))


def disconnect(channel: Channel) -> None:
    """Forget the credentials; the channel and its history stay."""
    channel.credentials = {}
    channel.status = ChannelStatus.DISCONNECTED
    channel.save(update_fields=["encrypted_credentials", "status"])
