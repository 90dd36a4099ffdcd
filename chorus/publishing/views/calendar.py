"""The calendar: month and week views, moving a post (drag and drop or a form), ICS feeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chorus.channels.models import Channel
from chorus.publishing import ics, planning, services
from chorus.publishing.forms_planning import RescheduleForm
from chorus.publishing.models import PostKind, PostTarget, State
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.kept import kept_page
from chorus.workspaces.permissions import Permission, can


def _anchor(request: HttpRequest, zone: ZoneInfo) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return timezone.now().astimezone(zone).date()


def _navigation(view: str, anchor: date) -> dict[str, date]:
    if view == "month":
        first = anchor.replace(day=1)
        return {
            "prev": (first - timedelta(days=1)).replace(day=1),
            "next": (first + timedelta(days=32)).replace(day=1),
        }
    return {"prev": anchor - timedelta(days=7), "next": anchor + timedelta(days=7)}


def _title(view: str, start: date, end: date, anchor: date) -> str:
    if view == "month":
        return date_format(anchor, "YEAR_MONTH_FORMAT")
    last = end - timedelta(days=1)
    return f"{date_format(start, 'j M')} – {date_format(last, 'j M Y')}"


def _label_days(days: list[planning.Day]) -> None:
    """The strings each day cell shows, made once here rather than by template filters.

    A month is 35-42 cells (a week 168 slots), each with its date three or four times: through
    ``|date`` that was the largest part of the page's time.
    """
    month_names: dict[tuple[int, int], str] = {}
    for cell in days:
        month = (cell.day.year, cell.day.month)
        if month not in month_names:
            month_names[month] = date_format(cell.day, "F")
        cell.iso = cell.day.isoformat()  # type: ignore[attr-defined]
        cell.number = str(cell.day.day)  # type: ignore[attr-defined]
        # The cell's classes in one string: three template {% if %} per cell were 120 nodes.
        cell.classes = _day_classes(cell)  # type: ignore[attr-defined]
        # Same text as date_format(day, "j F"), without formatting each day from scratch.
        day_and_month = f"{cell.day.day} {month_names[month]}"
        cell.compose_label = _("Write a post for %(day)s") % {"day": day_and_month}  # type: ignore[attr-defined]


def _day_classes(cell: planning.Day) -> str:
    """ " outside today past", as many of them as the day is, each after a space."""
    flags = (("outside", not cell.in_range), ("today", cell.is_today), ("past", cell.is_past))
    return "".join(f" {name}" for name, on in flags if on)


def _links_by_pk(name: str) -> Callable[[int], str]:
    """The URL of ``name`` for any pk, reversed once per page rather than once per chip."""
    sentinel = 987654321
    before, after = reverse(name, args=[sentinel]).split(str(sentinel))
    return lambda pk: f"{before}{pk}{after}"


def _label_chips(days: list[planning.Day], movable: list[State]) -> None:
    """What each chip shows, made in one pass here: a month holds dozens of chips, and two
    ``{% url %}``, an include and three filters per chip were most of the calendar's time."""
    reschedule = _links_by_pk("publishing:reschedule")
    move = _links_by_pk("publishing:calendar_move")
    for cell in days:
        for chip in cell.chips:
            chip.reschedule_url = reschedule(chip.pk)  # type: ignore[attr-defined]
            chip.move_url = move(chip.pk)  # type: ignore[attr-defined]
            chip.is_movable = chip.state in movable  # type: ignore[attr-defined]
            # The workspace's zone is the current one (CurrentWorkspaceMiddleware).
            chip.time_label = timezone.localtime(chip.scheduled_at).strftime("%H:%M")  # type: ignore[attr-defined]
            chip.short_text = truncatewords(chip.text, 6) or "…"  # type: ignore[attr-defined]


def _hours(days: list[planning.Day], zone: ZoneInfo) -> list[tuple[int, str, list[Any]]]:
    # The "09" of each row, once per row rather than once per slot by |stringformat.
    return [(hour, f"{hour:02d}", cells) for hour, cells in planning.hour_rows(days, zone)]


@workspace_view()
@kept_page
def calendar_page(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    zone = ZoneInfo(workspace.timezone)
    view = "week" if request.GET.get("view") == "week" else "month"
    anchor = _anchor(request, zone)
    filters = planning.Filters.from_query(
        request.GET.getlist("channel"), request.GET.getlist("state")
    )
    days, start, end = planning.build_days(workspace, view, anchor, filters)
    _label_days(days)
    movable = [State.DRAFT, State.AWAITING_APPROVAL, State.SCHEDULED, State.FAILED]
    _label_chips(days, movable)
    kept = urlencode(
        [("channel", c) for c in filters.channels]
        + ([("state", s) for s in filters.states] if request.GET.getlist("state") else [])
    )
    context: dict[str, Any] = {
        "view": view,
        "anchor": anchor,
        "title": _title(view, start, end, anchor),
        "days": days,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "hours": _hours(days, zone) if view == "week" else [],
        "nav": _navigation(view, anchor),
        "today": timezone.now().astimezone(zone).date(),
        "kept": kept,
        "filters": filters,
        "channels": Channel.objects.of(workspace),
        "states": State.choices,
        "can_move": can(request.membership, Permission.COMPOSE),
        "feed_url": ics.feed_url(request.user, workspace),
    }
    return render(request, "publishing/calendar.html", context)


def _target(request: WorkspaceRequest, target_id: int) -> PostTarget:
    # Scoped to the current workspace, posts only: another workspace's variant is not found.
    return get_object_or_404(
        PostTarget.objects.select_related("post", "channel"),
        pk=target_id,
        workspace=request.workspace,
        post__kind=PostKind.POST,
    )


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _dropped_time(request: HttpRequest, target: PostTarget, zone: ZoneInfo) -> datetime | None:
    """The time of a drop: ``date`` (month: same time of day) and ``hour`` (week view)."""
    try:
        day = date.fromisoformat(request.POST.get("date", ""))
        hour = int(request.POST["hour"]) if request.POST.get("hour", "") != "" else None
    except (ValueError, KeyError):
        return None
    if hour is not None and not 0 <= hour <= 23:
        return None
    return planning.moved_time(target, day, hour, zone)


@require_POST
@workspace_view(Permission.COMPOSE)
def move(request: WorkspaceRequest, target_id: int) -> HttpResponse:
    """The calendar's drop: answers JSON to the script, or redirects back with a message."""
    target = _target(request, target_id)
    zone = ZoneInfo(request.workspace.timezone)
    when = _dropped_time(request, target, zone)
    if when is None:
        return _answer(request, False, _("Choose a day to move the post to."), 422)
    try:
        planning.move_target(target, when, by=request.user)
    except services.PublishingRuleBroken as refused:
        return _answer(request, False, str(refused), 409)
    local = when.astimezone(zone)
    said = _("Moved to %(when)s.") % {"when": date_format(local, "DATETIME_FORMAT")}
    return _answer(request, True, said, 200)


def _answer(request: HttpRequest, ok: bool, message: str, status: int) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"ok": ok, "message": message}, status=status)
    (messages.success if ok else messages.error)(request, message)
    back = request.POST.get("next", "")
    return redirect(back if back.startswith("/publishing/") else "publishing:calendar")


@workspace_view()
def reschedule(request: WorkspaceRequest, target_id: int) -> HttpResponse:
    """The page behind every chip: when and where a variant goes, and a form to move it."""
    target = _target(request, target_id)
    workspace = request.workspace
    allowed = can(request.membership, Permission.COMPOSE)
    form = RescheduleForm(
        request.POST if request.method == "POST" else None,
        zone=workspace.timezone,
        initial={"at": target.scheduled_at},
    )
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        if form.is_valid():
            try:
                planning.move_target(target, form.cleaned_data["at"], by=request.user)
            except services.PublishingRuleBroken as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, _("The post is rescheduled."))
                return redirect(_calendar_url(form.cleaned_data["at"], workspace.timezone))
    context = {"target": target, "form": form, "can_move": allowed, "movable": services.EDITABLE}
    return render(request, "publishing/calendar_reschedule.html", context)


def _calendar_url(when: datetime, zone: str) -> str:
    day = when.astimezone(ZoneInfo(zone)).date().isoformat()
    return f"/publishing/calendar/?date={day}"


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@workspace_view()
def calendar_ics(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    return _ics_response(ics.calendar_bytes(workspace), f"chorus-{workspace.slug}.ics")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The subscription URL: no session, the signed token says who and which workspace."""
    membership = ics.membership_for_token(token)
    if membership is None or not membership.user.is_active:  # a deactivated person's link stops
        raise Http404
    workspace = membership.workspace
    return _ics_response(ics.calendar_bytes(workspace), f"chorus-{workspace.slug}.ics")
