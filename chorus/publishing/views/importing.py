"""The CSV import page: upload, the per-row report (also as CSV), the template file."""

from __future__ import annotations

import time

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from chorus.publishing import bulk_import
from chorus.publishing.forms_planning import ImportForm
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission

SESSION_ERRORS = "chorus_import_errors"
SHOWN_ERRORS = 200  # the page shows the first ones; the CSV report has them all


@workspace_view(Permission.COMPOSE)
def import_page(request: WorkspaceRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        started = time.monotonic()
        result = bulk_import.import_csv(
            request.workspace,
            request.user,
            form.cleaned_data["file"].read(),
        )
        if result.ok:
            request.session.pop(SESSION_ERRORS, None)
            messages.success(request, _imported(result, time.monotonic() - started))
            return redirect("publishing:calendar")
        request.session[SESSION_ERRORS] = [[e.row, e.column, e.message] for e in result.errors]
        context = {
            "form": ImportForm(),
            "errors": result.errors[:SHOWN_ERRORS],
            "error_count": len(result.errors),
            "bad_rows": len({e.row for e in result.errors}),
        }
        return render(request, "publishing/import.html", context, status=422)
    return render(request, "publishing/import.html", {"form": form})


def _imported(result: bulk_import.ImportResult, seconds: float) -> str:
    return ngettext(
        "%(posts)d post imported (%(targets)d variants) in %(seconds).1f s.",
        "%(posts)d posts imported (%(targets)d variants) in %(seconds).1f s.",
        result.posts,
    ) % {"posts": result.posts, "targets": result.targets, "seconds": seconds}


def _csv_download(body: str, filename: str) -> HttpResponse:
    # The BOM makes spreadsheets read the file as UTF-8 (accents in French messages).
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@workspace_view(Permission.COMPOSE)
def import_errors(request: WorkspaceRequest) -> HttpResponse:
    stored = request.session.get(SESSION_ERRORS)
    if not stored:
        messages.info(request, _("There is no import report to download."))
        return redirect("publishing:import")
    errors = [bulk_import.RowError(row, column, message) for row, column, message in stored]
    return _csv_download(bulk_import.errors_csv(errors), "chorus-import-problems.csv")


@require_GET
@workspace_view(Permission.COMPOSE)
def import_template(request: WorkspaceRequest) -> HttpResponse:
    return _csv_download(bulk_import.template_csv(), "chorus-import-template.csv")
