"""Listening queries: the list, the editor with its live preview, and deletion."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.listening import services
from chorus.listening.forms import PreviewForm, QueryForm
from chorus.listening.models import ListeningQuery
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _query(request: WorkspaceRequest, query_id: int) -> ListeningQuery:
    return get_object_or_404(ListeningQuery, pk=query_id, workspace=request.workspace)


@workspace_view()
def query_list(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "queries": services.queries_with_counts(request.workspace),
        "can_edit": can(request.membership, Permission.LISTEN),
    }
    return render(request, "listening/queries.html", context)


@workspace_view(Permission.LISTEN)
def query_new(request: WorkspaceRequest) -> HttpResponse:
    return _editor(request, None)


@workspace_view(Permission.LISTEN)
def query_edit(request: WorkspaceRequest, query_id: int) -> HttpResponse:
    return _editor(request, _query(request, query_id))


def _editor(request: WorkspaceRequest, query: ListeningQuery | None) -> HttpResponse:
    """Save, or (the Preview button, for pages without JavaScript) show the preview only."""
    workspace = request.workspace
    form = QueryForm(request.POST or None, workspace=workspace, query=query)
    shown = _preview_context(request, request.POST if request.method == "POST" else None, query)
    if request.method == "POST" and "preview" not in request.POST and form.is_valid():
        if query is None:
            services.create_query(workspace, request.user, form.query_fields())
            created = _(
                "Query created: matched over the last 30 days of mentions, and on every new one."
            )
            messages.success(request, created)
        else:
            services.update_query(query, form.query_fields())
            messages.success(request, _("Query saved."))
        return redirect("listening:queries")
    status = 422 if form.is_bound and "preview" not in request.POST and form.errors else 200
    context = {"form": form, "query": query, **shown}
    return render(request, "listening/queries_edit.html", context, status=status)


def _preview_context(
    request: WorkspaceRequest, data: object, query: ListeningQuery | None
) -> dict[str, object]:
    """The preview of what was typed, or of the stored query when the page opens."""
    if data is None and query is None:
        return {}
    if data is None:
        assert query is not None
        data = {**QueryForm.initial_from(query), "exclude_own_accounts": query.exclude_own_accounts}
    form = PreviewForm(data, workspace=request.workspace)
    if not form.is_valid():
        return {}
    fields = form.preview_fields()
    if not fields["expression"].strip():
        return {}
    return services.preview_or_error(request.workspace, fields)


@require_POST
@workspace_view(Permission.LISTEN)
def query_preview(request: WorkspaceRequest) -> HttpResponse:
    """The live preview (HTMX): what the draft would match, or why it cannot be read."""
    context = _preview_context(request, request.POST, None)
    return render(request, "listening/_queries_preview.html", context)


@workspace_view(Permission.LISTEN)
def query_delete(request: WorkspaceRequest, query_id: int) -> HttpResponse:
    query = _query(request, query_id)
    if request.method == "POST":
        services.delete_query(query)
        messages.success(request, _("Query deleted."))
        return redirect("listening:queries")
    return render(request, "listening/queries_delete.html", {"query": query})
