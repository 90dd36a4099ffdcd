"""The inbox list with its filter column, bulk actions on selected rows, and the CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.channels.models import Channel
from chorus.inbox import export, listing, row_looks, services
from chorus.inbox.export import network_label, safe_cell  # noqa: F401  (imported from here too)
from chorus.inbox.models import Conversation, Label, Status
from chorus.inbox.sidebar import sidebar_counts
from chorus.inbox.views import acting
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.kept import kept_page
from chorus.workspaces.models import Membership
from chorus.workspaces.permissions import Permission, can


def members_of(workspace: Any) -> list[Membership]:
    return list(Membership.objects.filter(workspace=workspace).select_related("user"))


def _member_choices(workspace: Any) -> list[tuple[int, str]]:
    """(user id, name as ``str(user)`` says it) of each member, for the list's "Assign to"."""
    members = Membership.objects.filter(workspace=workspace)
    found = members.values_list("user_id", "user__full_name", "user__email")
    return [(pk, full_name or email) for pk, full_name, email in found]


def _first_page(request: WorkspaceRequest, chosen: listing.InboxFilter) -> dict[str, Any]:
    workspace = request.workspace
    found = listing.conversations(workspace, chosen, acting(request))
    rows, next_cursor = listing.page(found, str(request.GET.get("after", "")))
    can_answer = can(request.membership, Permission.ANSWER)
    row_looks.dress(rows, can_pick=can_answer)
    return {
        "rows": rows,
        "next_cursor": next_cursor,
        "chosen": chosen,
        "now": timezone.now(),
        "can_answer": can_answer,
    }


def _live(workspace: Any) -> dict[str, Any]:
    """What the live poller needs: read the version before the rows, so a change in between
    shows up at the next turn instead of being missed."""
    return {
        "live_version": listing.change_stamp(workspace.pk),
        "live_seconds": settings.CHORUS_LIVE_UPDATE_SECONDS,
    }


def _counts(workspace: Any, user: Any, stamp: str) -> dict[str, Any]:
    return _with_networks(listing.counts(workspace, user, stamp))


def _with_networks(counts: dict[str, Any]) -> dict[str, Any]:
    return {
        "counts": counts,
        "networks": [(key, network_label(key), n) for key, n in counts["networks"].items()],
    }


@workspace_view()
@kept_page
def inbox_list(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    chosen = listing.InboxFilter.from_query(request.GET)
    if request.headers.get("HX-Request") and request.GET.get("after"):
        return render(request, "inbox/_rows.html", _first_page(request, chosen))
    # The stamp is read before the rows (see _live), with the counts in the same cache read.
    stamp, found = listing.stamp_and_counts(workspace, acting(request))
    live = {"live_version": stamp, "live_seconds": settings.CHORUS_LIVE_UPDATE_SECONDS}
    counts = _with_networks(found)
    context = _first_page(request, chosen) | live | counts
    context |= {
        "members": _member_choices(workspace),
        "label_names": Label.objects.filter(workspace=workspace).values_list("name", flat=True),
        "status_choices": Status.choices,
        "status_counts": _status_counts(counts),
        # A conversation belongs to a channel of this workspace (deleted with it): rows shown
        # mean a channel exists, without asking.
        "has_channels": bool(context["rows"]) or Channel.objects.of(workspace).exists(),
    }
    return render(request, "inbox/list.html", context)


@workspace_view()
def inbox_live(request: WorkspaceRequest) -> HttpResponse:
    """Polled by an open inbox: 204 (one cache read) while nothing changed, else the first page
    of rows and the counts of the same filter."""
    workspace = request.workspace
    live = _live(workspace)
    if request.GET.get("v") == live["live_version"]:
        return HttpResponse(status=204)
    chosen = listing.InboxFilter.from_query(request.GET)
    counts = _counts(workspace, acting(request), live["live_version"])
    context = _first_page(request, chosen) | live | counts
    context |= {"status_choices": Status.choices, "status_counts": _status_counts(counts)}
    return render(request, "inbox/_live_update.html", context)


def _status_counts(counts: dict[str, Any]) -> list[tuple[str, Any, int]]:
    """(value, label, count): the filter column's statuses without a loop inside a loop."""
    statuses = counts["counts"]["statuses"]
    return [(value, label, statuses.get(value, 0)) for value, label in Status.choices]


@workspace_view()
def counters(request: WorkspaceRequest) -> HttpResponse:
    """Polled by the sidebar of every page: 204 while the bell and the Inbox count are right."""
    waiting, unread = sidebar_counts(request.workspace.pk, request.user.pk)
    if request.GET.get("n") == str(unread) and request.GET.get("i") == str(waiting):
        return HttpResponse(status=204)
    context = {"waiting": waiting, "unread_notifications": unread}
    return render(request, "inbox/_counters.html", context)


@require_POST
@workspace_view(Permission.ANSWER)
def bulk(request: WorkspaceRequest) -> HttpResponse:
    """One POST for the selected rows; ids from another workspace are simply not found."""
    workspace = request.workspace
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:500]
    chosen = list(Conversation.objects.filter(workspace=workspace, pk__in=ids))
    action = request.POST.get("action", "")
    try:
        done = _apply(request, action, chosen)
    except services.InboxRuleBroken as broken:
        messages.error(request, str(broken))
    else:
        messages.success(request, done)
    return redirect(f"/inbox/?{request.POST.get('filter', '')}")


@require_POST
@workspace_view(Permission.ANSWER)
def check_now(request: WorkspaceRequest) -> HttpResponse:
    """Poll every inbox channel of the workspace now instead of waiting for its next turn."""
    from chorus.inbox import polling

    channels = Channel.objects.of(request.workspace)
    started = sum(1 for channel in channels if polling.poll_channel_now(channel))
    if started:
        messages.success(
            request, _("Checking %(count)d channel(s) for new messages.") % {"count": started}
        )
    else:
        messages.info(
            request,
            _("No channel can be checked right now (none connected, or waiting for the network)."),
        )
    return redirect("inbox:list")


@transaction.atomic
def _apply(request: WorkspaceRequest, action: str, chosen: list[Conversation]) -> str:
    by, workspace = acting(request), request.workspace
    if not chosen:
        raise services.InboxRuleBroken(_("Select at least one conversation."))
    if action == "resolve":
        for conversation in chosen:
            services.set_status(conversation, Status.RESOLVED, by)
    elif action == "assign":
        member = get_object_or_404(
            Membership, workspace=workspace, user_id=request.POST.get("assignee") or 0
        )
        for conversation in chosen:
            services.assign(conversation, member.user, by)
    elif action == "label":
        label = services.label_named(workspace, str(request.POST.get("label", "")))
        for conversation in chosen:
            services.add_label(conversation, label, by)
    else:
        raise services.InboxRuleBroken(_("Choose what to do with the selection."))
    return _("%(n)d conversations updated.") % {"n": len(chosen)}


# -- CSV export (rows built in chorus.inbox.export) ------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


@workspace_view()
def export_csv(request: WorkspaceRequest) -> StreamingHttpResponse:
    """The current filter as CSV, UTF-8 with a BOM so Excel reads accents right; one row per
    conversation, or per message with ``rows=messages``."""
    workspace = request.workspace
    chosen = listing.InboxFilter.from_query(request.GET)
    found = listing.conversations(workspace, chosen, acting(request))
    zone = ZoneInfo(workspace.timezone)
    per_message = request.GET.get("rows") == "messages"
    rows = (
        export.message_rows(found, zone) if per_message else export.conversation_rows(found, zone)
    )
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().astimezone(zone).date().isoformat()
    name = f"inbox-messages-{stamp}" if per_message else f"inbox-{stamp}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
