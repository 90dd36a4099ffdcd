"""Polling listening sources: when, with what, and what to do when one fails.

A sweep (``poll_due_sources``, run by the queue every half minute) claims each due source with a
conditional UPDATE — only if it is still due, moving its next poll past a lease — so two workers
never read one source at once, and polls each in its own task. A poll builds the source's kind
from the registry with its settings (and its connected channel's credentials when it reads with
an account), fetches from the saved cursor and stores the batch with the new cursor in one
transaction (``ingest.store_heard``): a crash in between re-reads the batch, and dedup makes that
harmless.

Errors are classified before acting (invariant 5): a rate limit waits for the network's own reset;
refused credentials ask a person to reconnect the channel; anything else backs off exponentially
(the source's own pace, doubled after each failure in a row, at most six hours). The error is kept
in words, redacted. One source failing never stops the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
from django.utils import timezone
from django.utils.translation import gettext as _

from chorus.channels.errors import AuthExpired, ChannelError, Permanent, RateLimited, Transient
from chorus.channels.models import ChannelStatus
from chorus.channels.services import error_words
from chorus.core import http as core_http
from chorus.core.redact import redact
from chorus.listening.ingest import MIN_POLL_SECONDS, store_heard
from chorus.listening.models import ListeningSource, SourceHealth
from chorus.listening.sources.base import SourceKind
from chorus.listening.sources.registry import UnknownSource, get_source
from chorus.listening.stored import StoredBatch

log = logging.getLogger(__name__)

LEASE_SECONDS = 600  # a claimed poll that never reported back may be claimed again after this
BACKOFF_CAP_SECONDS = 6 * 3600
SWEEP_LIMIT = 500  # sources claimed per sweep; the rest are due at the next one


@dataclass(frozen=True)
class SourcePoll:
    stored: StoredBatch | None = None
    error: str = ""
    next_poll_at: datetime | None = None


# -- the sweep ------------------------------------------------------------------------------------


def due_source_ids(now: datetime | None = None) -> list[int]:
    due = ListeningSource.objects.filter(is_active=True, next_poll_at__lte=now or timezone.now())
    return list(due.order_by("next_poll_at").values_list("pk", flat=True)[:SWEEP_LIMIT])


def claim(source_id: int, now: datetime | None = None) -> bool:
    """True for exactly one caller: the source is leased until its poll reports back."""
    now = now or timezone.now()
    taken = ListeningSource.objects.filter(
        pk=source_id, is_active=True, next_poll_at__lte=now
    ).update(next_poll_at=now + timedelta(seconds=LEASE_SECONDS))
    return taken == 1


def poll_due_sources(
    enqueue: Callable[[int], object] | None = None, now: datetime | None = None
) -> int:
    """Claim every due source and poll it (or hand it to ``enqueue``, one task each); how many
    were claimed. A source whose poll blows up is logged and the sweep goes on."""
    handed = 0
    for source_id in due_source_ids(now):
        if not claim(source_id, now):
            continue  # another worker took it
        handed += 1
        try:
            (enqueue or poll_source_by_id)(source_id)
        except Exception:
            log.exception("listening source %s could not be polled", source_id)
    return handed


def poll_source_by_id(source_id: int) -> SourcePoll | None:
    source = ListeningSource.objects.select_related("channel").filter(pk=source_id).first()
    return poll_source(source) if source is not None else None


# -- one source's poll ----------------------------------------------------------------------------


def poll_source(source: ListeningSource, *, http: httpx.Client | None = None) -> SourcePoll:
    """Read what is new since the cursor and store it with the new cursor; on failure, note the
    error in words and decide when to try again."""
    client = http or core_http.client()
    try:
        kind = build_kind(source, client)
        batch = kind.fetch(source.cursor)
        stored = store_heard(source, batch)
    except ChannelError as error:
        return _failed(source, error)
    except Exception as error:  # a source's bug must not stop the sweep
        log.exception("listening source %s failed", source.pk)
        return _failed(
            source, Transient(_("Chorus could not read this source."), detail=str(error))
        )
    finally:
        if http is None:
            client.close()
    return SourcePoll(stored=stored, next_poll_at=source.next_poll_at)


def build_kind(source: ListeningSource, http: httpx.Client) -> SourceKind:
    """The source's kind with its settings, and its channel's credentials when it reads with
    a connected account."""
    try:
        kind = get_source(source.kind)
    except UnknownSource:
        raise Permanent(_("This kind of source is not installed here.")) from None
    if kind.channel_network is None:
        return kind(source.settings, http=http)
    channel = source.channel
    if channel is None or channel.network != kind.channel_network:
        raise AuthExpired(_("Choose a connected account for this source to read with."))
    if channel.status != ChannelStatus.ACTIVE:
        raise AuthExpired(_("The channel this source reads with needs reconnecting."))
    return kind(
        source.settings,
        http=http,
        channel_credentials=channel.credentials,
        channel_settings=channel.settings,
    )


def _failed(source: ListeningSource, error: ChannelError) -> SourcePoll:
    now = timezone.now()
    failures = source.failures + 1
    values = {
        "health": SourceHealth.FAILING,
        "failures": failures,
        "last_error": _words(source, error),
        "last_polled_at": now,
        "next_poll_at": now + retry_delay(source, error, failures),
    }
    ListeningSource.objects.filter(pk=source.pk).update(**values)
    for name, value in values.items():
        setattr(source, name, value)
    log.info("listening source %s failed: %s", source.pk, type(error).__name__)
    return SourcePoll(error=str(values["last_error"]), next_poll_at=source.next_poll_at)


def retry_delay(source: ListeningSource, error: ChannelError, failures: int) -> timedelta:
    """The network's own wait for a rate limit; otherwise the source's pace doubled after each
    failure in a row (the first retry comes at the usual pace), capped at six hours."""
    if isinstance(error, RateLimited):
        return timedelta(seconds=max(1.0, min(error.retry_after, BACKOFF_CAP_SECONDS)))
    pace = max(MIN_POLL_SECONDS, source.poll_every_seconds)
    doubled = pace * 2 ** min(failures - 1, 32)  # the exponent capped: no overflow after months
    return timedelta(seconds=min(doubled, BACKOFF_CAP_SECONDS))


def _words(source: ListeningSource, error: ChannelError) -> str:
    """What a person reads on the source's page: what went wrong and what to do, redacted."""
    if isinstance(error, AuthExpired):
        said = _("%(error)s Reconnect the channel to keep this source working.") % {
            "error": error.message
        }
    elif isinstance(error, RateLimited):
        said = _("The network asked Chorus to slow down; it will read again when it allows.")
    else:
        said = error.message
    if source.channel is not None:
        return error_words(source.channel, said)
    return redact(said)
