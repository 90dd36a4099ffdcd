"""Alert pages: the list, one alert that explains itself, and acknowledging it."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.listening import alerts as service
from chorus.listening.alert_chart import chart, window_counts
from chorus.listening.alert_text import alert_summary
from chorus.listening.models import Alert
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest


def _alert(request: WorkspaceRequest, alert_id: int) -> Alert:
    return get_object_or_404(service.alerts_of(request.workspace), pk=alert_id)


@workspace_view()
def alert_list(request: WorkspaceRequest) -> HttpResponse:
    alerts = service.alerts_of(request.workspace)
    page = Paginator(alerts, 50).get_page(request.GET.get("page"))
    context = {"page": page, "waiting": alerts.filter(acknowledged_at=None).count()}
    return render(request, "listening/alerts.html", context)


@workspace_view()
def alert_detail(request: WorkspaceRequest, alert_id: int) -> HttpResponse:
    alert = _alert(request, alert_id)
    windows = window_counts(alert)
    context = {
        "alert": alert,
        "summary": alert_summary(alert),
        "why": alert.explanation,
        "chart": chart(alert, windows),
        "mentions": service.top_mentions(alert),
        "authors": service.top_authors(alert),
        "mentions_link": service.mentions_link(alert),
    }
    return render(request, "listening/alert.html", context)


@require_POST
@workspace_view()
def alert_acknowledge(request: WorkspaceRequest, alert_id: int) -> HttpResponse:
    alert = _alert(request, alert_id)
    if service.acknowledge(alert, request.user):
        messages.success(request, _("Alert acknowledged."))
    return redirect("listening:alert", alert.pk)
