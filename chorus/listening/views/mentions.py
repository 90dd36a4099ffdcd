"""The mentions page: the stream with its filters, the figures beside it, its live updates and
its CSV export. Thin: the filter is read by ``mention_filter``, the rows by ``stream``, the
figures by ``figures``."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from chorus.inbox.models import Label
from chorus.listening import charts, export, figures, stream
from chorus.listening.mention_actions import can_be_answered, reply_networks
from chorus.listening.mention_filter import MentionFilter, read_filter
from chorus.listening.models import ListeningQuery, ListeningSource, Mention
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Membership
from chorus.workspaces.permissions import Permission, can


def _rows(request: WorkspaceRequest, chosen: MentionFilter) -> dict[str, Any]:
    workspace = request.workspace
    rows, next_cursor = stream.page(chosen.mentions(workspace), str(request.GET.get("after", "")))
    can_answer = can(request.membership, Permission.ANSWER)
    answerable = can_be_answered(rows, reply_networks(workspace)) if can_answer else set()
    members = Membership.objects.filter(workspace=workspace).select_related("user")
    return {
        "rows": rows,
        "next_cursor": next_cursor,
        "chosen": chosen,
        "can_answer": can_answer,
        "answerable": answerable,
        "members": list(members) if can_answer else [],
    }


def _live(request: WorkspaceRequest) -> dict[str, Any]:
    """Read the stamp before the rows: a mention stored in between shows at the next turn."""
    return {
        "live_version": stream.change_stamp(request.workspace),
        "live_seconds": settings.CHORUS_LIVE_UPDATE_SECONDS,
    }


def _figures(request: WorkspaceRequest, chosen: MentionFilter) -> dict[str, Any]:
    workspace = request.workspace
    step = figures.choose_step(chosen)
    over_time = figures.sentiment_over_time(workspace, chosen, step)
    return {
        "step": step,
        "date_format": "H:i" if step == "hour" else "j M",
        "over_time": over_time,
        "volume_chart": charts.stacked_chart(over_time, by_sentiment=False),
        "sentiment_chart": charts.stacked_chart(over_time, by_sentiment=True),
        "net": figures.net_sentiment(workspace, chosen),
        "voices": figures.share_of_voice(workspace, chosen),
        "authors": figures.top_authors(workspace, chosen),
        "terms": figures.top_terms(workspace, chosen),
    }


def _choices(request: WorkspaceRequest) -> dict[str, Any]:
    workspace = request.workspace
    languages = (
        Mention.objects.filter(workspace=workspace)
        .exclude(language="")
        .order_by("language")
        .values_list("language", flat=True)
        .distinct()
    )
    return {
        "queries": ListeningQuery.objects.filter(workspace=workspace),
        "sources": ListeningSource.objects.filter(workspace=workspace),
        "languages": list(languages[:50]),
        "labels": Label.objects.filter(workspace=workspace),
    }


@workspace_view()
def mentions(request: WorkspaceRequest) -> HttpResponse:
    chosen = read_filter(request.GET, request.workspace)
    if request.headers.get("HX-Request") and request.GET.get("after"):
        return render(request, "listening/_mention_rows.html", _rows(request, chosen))
    for error in chosen.errors:
        messages.warning(request, error)
    context = _live(request) | _rows(request, chosen) | _figures(request, chosen)
    context |= _choices(request) | {"has_any": _has_any(request)}
    return render(request, "listening/mentions.html", context)


def _has_any(request: WorkspaceRequest) -> bool:
    return Mention.objects.filter(workspace=request.workspace).exists()


@workspace_view()
def mentions_live(request: WorkspaceRequest) -> HttpResponse:
    """Polled by an open stream: 204 (one index read) while no mention arrived, else the first
    page of rows of the same filter and a poller carrying the new stamp."""
    live = _live(request)
    if request.GET.get("v") == live["live_version"]:
        return HttpResponse(status=204)
    chosen = read_filter(request.GET, request.workspace)
    return render(request, "listening/_mentions_live_update.html", live | _rows(request, chosen))


class _Echo:
    def write(self, value: str) -> str:
        return value


@workspace_view()
def mentions_export(request: WorkspaceRequest) -> StreamingHttpResponse:
    """The filtered mentions as CSV (UTF-8 with a BOM so Excel reads accents right)."""
    workspace = request.workspace
    chosen = read_filter(request.GET, workspace)
    zone = ZoneInfo(workspace.timezone)
    rows = export.mention_rows(chosen.mentions(workspace), zone)
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().astimezone(zone).date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mentions-{stamp}.csv"'
    return response
