"""Report schedules: create, edit, pause or resume, delete, send now. MANAGE_REPORTS only."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chorus.analytics.forms_reports import ScheduleForm
from chorus.analytics.models import ReportSchedule
from chorus.analytics.report_schedules import first_run
from chorus.core import background
from chorus.core.outgoing_mail import email_can_leave
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission


def schedule_of(request: WorkspaceRequest, schedule_id: int) -> ReportSchedule:
    return get_object_or_404(ReportSchedule, pk=schedule_id, workspace=request.workspace)


@workspace_view(Permission.MANAGE_REPORTS)
@require_http_methods(["GET", "POST"])
def schedules(request: WorkspaceRequest) -> HttpResponseBase:
    form = ScheduleForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        schedule = form.save(commit=False)
        schedule.workspace = request.workspace
        schedule.created_by = request.user
        schedule.next_run_at = first_run(schedule.frequency, request.workspace)
        with transaction.atomic():
            schedule.save()
            form.save_m2m()
        messages.success(request, _("The schedule is saved."))
        return redirect("analytics:report_schedules")
    found = (
        ReportSchedule.objects.filter(workspace=request.workspace)
        .prefetch_related("recipients")
        .order_by("name", "pk")
    )
    context = {
        "tab": "reports",
        "schedules": found,
        "schedule_form": form,
        "mail_leaves": email_can_leave(),
    }
    return render(
        request, "analytics/report_schedules.html", context, status=400 if form.errors else 200
    )


@workspace_view(Permission.MANAGE_REPORTS)
@require_http_methods(["GET", "POST"])
def edit(request: WorkspaceRequest, schedule_id: int) -> HttpResponseBase:
    schedule = schedule_of(request, schedule_id)
    frequency = schedule.frequency
    form = ScheduleForm(request.POST or None, instance=schedule, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        edited = form.save(commit=False)
        if edited.frequency != frequency:
            edited.next_run_at = first_run(edited.frequency, request.workspace)
        with transaction.atomic():
            edited.save()
            form.save_m2m()
        messages.success(request, _("The schedule is saved."))
        return redirect("analytics:report_schedules")
    context = {"tab": "reports", "schedule": schedule, "schedule_form": form}
    status = 400 if form.errors else 200
    return render(request, "analytics/report_schedule_edit.html", context, status=status)


@workspace_view(Permission.MANAGE_REPORTS)
@require_POST
def pause(request: WorkspaceRequest, schedule_id: int) -> HttpResponse:
    """Pause, or resume from the next regular run (missed runs are not sent all at once)."""
    schedule = schedule_of(request, schedule_id)
    schedule.is_active = not schedule.is_active
    if schedule.is_active:
        schedule.next_run_at = first_run(schedule.frequency, request.workspace)
    schedule.save(update_fields=["is_active", "next_run_at"])
    messages.success(request, _("Resumed.") if schedule.is_active else _("Paused."))
    return redirect("analytics:report_schedules")


@workspace_view(Permission.MANAGE_REPORTS)
@require_POST
def delete(request: WorkspaceRequest, schedule_id: int) -> HttpResponse:
    """Delete the schedule; the reports it built stay in the archive."""
    schedule_of(request, schedule_id).delete()
    messages.success(
        request, _("The schedule is deleted. The reports it built stay in the archive.")
    )
    return redirect("analytics:report_schedules")


@workspace_view(Permission.MANAGE_REPORTS)
@require_POST
def send_now(request: WorkspaceRequest, schedule_id: int) -> HttpResponse:
    schedule = schedule_of(request, schedule_id)
    background.after_commit("analytics", "send_report_now", schedule.pk)
    messages.success(
        request,
        _("The report is being built and sent. It appears in the archive when done.")
        if email_can_leave()
        else _(
            "The report is being built. Chorus has no mail server set up: the e-mail is "
            "written to the server's log instead of being sent."
        ),
    )
    return redirect("analytics:report_schedules")
