"""Queue settings: each channel's weekly time slots and what is in the next ones."""

from __future__ import annotations

from datetime import time

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chorus.channels.models import Channel
from chorus.publishing import queue
from chorus.publishing.forms_planning import SlotForm
from chorus.publishing.models import QueueSlot
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can

# The quick preset: weekdays at the three moments people check their feeds.
PRESET_TIMES = (time(9, 0), time(12, 30), time(17, 30))


def _channel(request: WorkspaceRequest, channel_id: int) -> Channel:
    # Scoped to the current workspace: another workspace's channel is simply not found.
    return get_object_or_404(
        Channel.objects.of(request.workspace).select_related("workspace"),
        pk=channel_id,
    )


@workspace_view()
def queue_index(request: WorkspaceRequest) -> HttpResponse:
    channels = Channel.objects.of(request.workspace).annotate(slot_count=Count("queue_slots"))
    first = channels.first()
    if first is not None and channels.count() == 1:
        return redirect("publishing:queue", channel_id=first.pk)
    return render(request, "publishing/queue_index.html", {"channels": channels})


@workspace_view()
def queue_page(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    return _render_queue(request, channel, SlotForm(initial={"time": time(9, 0)}))


def _render_queue(request: WorkspaceRequest, channel: Channel, form: SlotForm) -> HttpResponse:
    slots = QueueSlot.objects.filter(workspace=channel.workspace, channel=channel)
    week = [(day, WEEKDAYS[day], [s for s in slots if s.weekday == day]) for day in range(7)]
    context = {
        "channel": channel,
        "channels": Channel.objects.of(request.workspace),
        "week": week,
        "form": form,
        "upcoming": queue.upcoming(channel, 10),
        "can_edit": can(request.membership, Permission.PUBLISH_WITHOUT_APPROVAL),
        "preset_times": PRESET_TIMES,
    }
    return render(request, "publishing/queue.html", context)


def _add_slots(channel: Channel, weekdays: list[int], at: time) -> int:
    existing = set(
        QueueSlot.objects.filter(channel=channel, workspace=channel.workspace).values_list(
            "weekday", "time"
        )
    )
    new = [
        QueueSlot(workspace=channel.workspace, channel=channel, weekday=day, time=at)
        for day in weekdays
        if (day, at) not in existing
    ]
    QueueSlot.objects.bulk_create(new)
    return len(new)


def _slots_added(count: int) -> str:
    return ngettext("%(count)d time slot added.", "%(count)d time slots added.", count) % {
        "count": count
    }


@require_POST
@workspace_view(Permission.PUBLISH_WITHOUT_APPROVAL)
def add_slots(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    form = SlotForm(request.POST)
    if not form.is_valid():
        return _render_queue(request, channel, form)
    at = form.cleaned_data["time"].replace(second=0, microsecond=0)
    added = _add_slots(channel, form.cleaned_data["weekdays"], at)
    messages.success(request, _slots_added(added))
    return redirect("publishing:queue", channel_id=channel.pk)


@require_POST
@workspace_view(Permission.PUBLISH_WITHOUT_APPROVAL)
def add_preset(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    added = sum(_add_slots(channel, [0, 1, 2, 3, 4], at) for at in PRESET_TIMES)
    messages.success(request, _slots_added(added))
    return redirect("publishing:queue", channel_id=channel.pk)


@require_POST
@workspace_view(Permission.PUBLISH_WITHOUT_APPROVAL)
def remove_slot(request: WorkspaceRequest, channel_id: int, slot_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    slot = get_object_or_404(
        QueueSlot,
        pk=slot_id,
        channel=channel,
        workspace=request.workspace,
    )
    slot.delete()
    # Posts already queued keep their time: removing a slot changes future queueing only.
    messages.success(request, _("Time slot removed. Posts already in it keep their time."))
    return redirect("publishing:queue", channel_id=channel.pk)


@require_POST
@workspace_view(Permission.PUBLISH_WITHOUT_APPROVAL)
def clear_slots(request: WorkspaceRequest, channel_id: int) -> HttpResponse:
    channel = _channel(request, channel_id)
    QueueSlot.objects.filter(channel=channel, workspace=channel.workspace).delete()
    messages.success(request, _("All time slots removed."))
    return redirect("publishing:queue", channel_id=channel.pk)
