"""Reports pages: build one by hand, preview it, download its files, the archive.

Thin views. Building needs MANAGE_REPORTS; seeing the archive and downloading needs VIEW. A
report or file of another workspace is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chorus.analytics.forms_reports import ReportForm
from chorus.analytics.models import Report, ReportFile
from chorus.analytics.reports.building import FORMATS, build_report, preview_html
from chorus.analytics.reports.periods import ReportPeriod
from chorus.core.timeutil import local_now
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can

ARCHIVE_SIZE = 100


def report_form(request: WorkspaceRequest) -> ReportForm:
    today = local_now(request.workspace.timezone).date()
    data = request.POST if request.method == "POST" else (request.GET or None)
    return ReportForm(data, today=today)


@workspace_view(Permission.VIEW)
@require_http_methods(["GET", "POST"])
def reports(request: WorkspaceRequest) -> HttpResponseBase:
    """The archive, and (for those who may) the form to build a report."""
    may_build = can(request.membership, Permission.MANAGE_REPORTS)
    form = report_form(request) if may_build else None
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        if form.is_valid():
            report = build_report(
                request.workspace,
                form.period(),
                form.cleaned_data["sections"],
                form.cleaned_data["formats"],
                by=request.user,
            )
            messages.success(request, _("The report is built: download it below."))
            return redirect("analytics:report", report.pk)
    archive = (
        Report.objects.filter(workspace=request.workspace)
        .select_related("schedule", "created_by")
        .prefetch_related("files")[:ARCHIVE_SIZE]
    )
    return render(
        request,
        "analytics/reports.html",
        {"tab": "reports", "form": None, "build_form": form, "archive": archive},
    )


@workspace_view(Permission.MANAGE_REPORTS)
def preview(request: WorkspaceRequest) -> HttpResponse:
    """The report as it would be built from the form's choices, before building it."""
    form = report_form(request)
    if not form.is_valid():
        archive = Report.objects.filter(workspace=request.workspace)[:ARCHIVE_SIZE]
        context = {"tab": "reports", "build_form": form, "archive": archive}
        return render(request, "analytics/reports.html", context, status=400)
    body = preview_html(request.workspace, form.period(), form.cleaned_data["sections"])
    context = {"tab": "reports", "body": body, "build_form": form, "query": request.GET.urlencode()}
    return render(request, "analytics/report_preview.html", context)


@workspace_view(Permission.VIEW)
def report(request: WorkspaceRequest, report_id: int) -> HttpResponse:
    """One archived report: its files, and its figures as they stand now."""
    found = get_object_or_404(Report, pk=report_id, workspace=request.workspace)
    period = ReportPeriod.of(found.period_start, found.period_end)
    body = preview_html(request.workspace, period, found.sections)
    files = sorted(found.files.all(), key=lambda f: list(FORMATS).index(f.format))
    context = {"tab": "reports", "report": found, "files": files, "body": body}
    return render(request, "analytics/report_detail.html", context)


@workspace_view(Permission.VIEW)
def download(request: WorkspaceRequest, report_id: int, fmt: str) -> FileResponse:
    """One file of a report of this workspace, never another's (404, even with its id)."""
    row = get_object_or_404(
        ReportFile, report_id=report_id, report__workspace=request.workspace, format=fmt
    )
    name = row.file.name.rsplit("/", 1)[-1]
    return FileResponse(
        row.file.open("rb"), as_attachment=True, filename=name, content_type=FORMATS[fmt].mime
    )
