"""Which mentions a person asked to see: one filter for the page, its live updates, the CSV
export, the API and the figures beside the stream, so they always agree.

Read from a query string (``?query=<id>&source=<id>&sentiment=…&language=…&since=…&until=…
&q=…``). ``since`` / ``until`` take a date (``2026-05-01``: whole days in the workspace's time
zone) or an ISO time (``2026-05-01T10:00:00+02:00``, what an alert's "see them" link sends).
What cannot be read is said in ``errors`` and left out of the filter, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chorus.listening.models import ListeningQuery, ListeningSource, Mention
from chorus.workspaces.models import Workspace

SENTIMENTS = ("positive", "neutral", "negative")
DEFAULT_DAYS = 14  # the period shown when none is asked for: two weeks of mentions
MAX_SEARCH = 200
MAX_DAYS = 366  # figures over a longer period are a report's job, not a page's
EARLIEST_YEAR, LATEST_YEAR = 1990, 2200
UNKNOWN = {
    "query": gettext_lazy("Unknown query: it is left out of the filter."),
    "source": gettext_lazy("Unknown source: it is left out of the filter."),
}


@dataclass(frozen=True)
class MentionFilter:
    """The chosen filters; ``since`` / ``until`` always set (aware, UTC), ``until`` excluded."""

    since: datetime
    until: datetime
    query_id: int | None = None
    source_id: int | None = None
    sentiment: str = ""
    language: str = ""
    search: str = ""
    errors: tuple[str, ...] = field(default=(), compare=False)
    # What was written in the form, to write it back (dates as the person typed them).
    given: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    def mentions(self, workspace: Workspace) -> QuerySet[Mention]:
        """The workspace's mentions this filter keeps, newest first."""
        return self.narrow(Mention.objects.filter(workspace=workspace))

    def narrow(self, found: QuerySet[Mention], *, by_query: bool = True) -> QuerySet[Mention]:
        found = found.filter(published_at__gte=self.since, published_at__lt=self.until)
        if by_query and self.query_id is not None:
            found = found.filter(matches__query_id=self.query_id)
        if self.source_id is not None:
            found = found.filter(source_id=self.source_id)
        if self.sentiment:
            found = found.filter(sentiment=self.sentiment)
        if self.language:
            found = found.filter(language=self.language)
        if self.search:
            found = found.filter(
                Q(text__icontains=self.search)
                | Q(title__icontains=self.search)
                | Q(author__handle__icontains=self.search)
            )
        return found.order_by("-published_at", "-pk")

    def query_string(self) -> str:
        """The filter as it was written, for links (paging, export, live updates)."""
        return urlencode([(key, value) for key, value in self.given if value])

    def value(self, key: str) -> str:
        return dict(self.given).get(key, "")

    @property
    def last_moment(self) -> datetime:
        """The last instant inside the period (``until`` itself is not), for "to <day>"."""
        return self.until - timedelta(microseconds=1)

    @property
    def days(self) -> float:
        return (self.until - self.since).total_seconds() / 86400


def read_filter(
    params: Mapping[str, Any], workspace: Workspace, now: datetime | None = None
) -> MentionFilter:
    """The filter in ``params``, checked against the workspace (another workspace's query or
    source is "unknown", exactly like an id that never existed)."""
    now = now or timezone.now()
    zone = ZoneInfo(workspace.timezone)
    errors: list[str] = []
    since, until = _period(params, zone, now, errors)
    chosen = MentionFilter(
        since=since,
        until=until,
        query_id=_own_id(params, "query", ListeningQuery, workspace, errors),
        source_id=_own_id(params, "source", ListeningSource, workspace, errors),
        sentiment=_one_of(params, "sentiment", SENTIMENTS, errors),
        language=_language(params, errors),
        search=_text(params, "q")[:MAX_SEARCH],
    )
    keys = ("query", "source", "sentiment", "language", "since", "until", "q")
    given = tuple((key, _text(params, key)[:MAX_SEARCH]) for key in keys)
    return replace(chosen, errors=tuple(errors), given=given)


def _text(params: Mapping[str, Any], key: str) -> str:
    value = params.get(key, "")
    return " ".join(str(value or "").replace("\x00", "").split())


def _own_id(
    params: Mapping[str, Any], key: str, model: Any, workspace: Workspace, errors: list[str]
) -> int | None:
    text = _text(params, key)
    if not text:
        return None
    if text.isdigit() and len(text) < 19:
        if model.objects.filter(workspace=workspace, pk=int(text)).exists():
            return int(text)
    errors.append(str(UNKNOWN[key]))
    return None


def _one_of(
    params: Mapping[str, Any], key: str, allowed: tuple[str, ...], errors: list[str]
) -> str:
    text = _text(params, key)
    if text and text not in allowed:
        errors.append(_("Unknown sentiment: it is left out of the filter."))
        return ""
    return text


def _language(params: Mapping[str, Any], errors: list[str]) -> str:
    text = _text(params, "language").lower()
    if text and not (text.isalpha() and text.isascii() and 2 <= len(text) <= 3):
        errors.append(_("A language is a code of 2 or 3 letters, such as “en” or “fr”."))
        return ""
    return text


def _period(
    params: Mapping[str, Any], zone: ZoneInfo, now: datetime, errors: list[str]
) -> tuple[datetime, datetime]:
    until = _moment(_text(params, "until"), zone, errors, end=True) or now
    since = _moment(_text(params, "since"), zone, errors, end=False)
    if since is None:
        since = until - timedelta(days=DEFAULT_DAYS)
    if since >= until:
        errors.append(_("The start of the period must come before its end."))
        since = until - timedelta(days=DEFAULT_DAYS)
    if until - since > timedelta(days=MAX_DAYS):
        errors.append(_("A period is at most one year long; its start was moved."))
        since = until - timedelta(days=MAX_DAYS)
    return since, until


def _moment(text: str, zone: ZoneInfo, errors: list[str], *, end: bool) -> datetime | None:
    """A date is a whole day in the workspace's zone (``until`` a date: up to the day's end)."""
    if not text:
        return None
    try:
        # A bare date first: parse_datetime would read "2026-05-01" as its midnight.
        day = parse_date(text) if len(text) == 10 else None
        moment = None if day else parse_datetime(text.replace(" ", "+"))  # "+02:00" in a URL
    except ValueError:
        moment, day = None, None
    if (moment or day) and not EARLIEST_YEAR <= (moment or day).year <= LATEST_YEAR:  # type: ignore[union-attr]
        moment, day = None, None  # far outside any period of mentions: not a date we can use
    if moment is not None:
        moment = moment if timezone.is_aware(moment) else moment.replace(tzinfo=zone)
        try:
            return moment.astimezone(ZoneInfo("UTC"))
        except OverflowError:
            pass
    if day is not None:
        try:
            return _day_start(day + timedelta(days=1) if end else day, zone)
        except OverflowError:
            pass
    errors.append(_("“%(value)s” is not a date.") % {"value": text[:40]})
    return None


def _day_start(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(ZoneInfo("UTC"))
