"""Listening sources: the list with each one's health, add (choose a kind, then its form),
change, pause and resume, delete, and "read now"."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.listening import source_services as services
from chorus.listening.models import ListeningSource
from chorus.listening.source_forms import SourceForm
from chorus.listening.sources.base import SourceKind
from chorus.listening.sources.registry import UnknownSource, available_sources, get_source
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _source(request: WorkspaceRequest, source_id: int) -> ListeningSource:
    return get_object_or_404(ListeningSource, pk=source_id, workspace=request.workspace)


def _kind(key: str) -> type[SourceKind]:
    """A kind this installation offers; any other key is a page that does not exist."""
    try:
        kind = get_source(key)
    except UnknownSource:
        raise Http404 from None
    if not kind.available():
        raise Http404
    return kind


@workspace_view()
def source_list(request: WorkspaceRequest) -> HttpResponse:
    sources = list(services.sources_of(request.workspace))
    labels = {key: _label(key) for key in {source.kind for source in sources}}
    rows = [{"source": source, "kind": labels[source.kind]} for source in sources]
    context = {"rows": rows, "can_edit": can(request.membership, Permission.LISTEN)}
    return render(request, "listening/sources.html", context)


def _label(key: str) -> str:
    try:
        return str(get_source(key).label)
    except UnknownSource:
        return key


@workspace_view(Permission.LISTEN)
def source_choose(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "listening/sources_choose.html", {"kinds": available_sources()})


@workspace_view(Permission.LISTEN)
def source_new(request: WorkspaceRequest, kind_key: str) -> HttpResponse:
    kind = _kind(kind_key)
    form = SourceForm(request.POST or None, workspace=request.workspace, kind=kind)
    if request.method == "POST" and form.is_valid():
        source = services.add_source(request.workspace, kind, form.source_fields())
        services.read_now(source)
        messages.success(request, _("Source added: Chorus is reading it now."))
        return redirect("listening:sources")
    return _form_page(request, form, kind, None)


@workspace_view(Permission.LISTEN)
def source_edit(request: WorkspaceRequest, source_id: int) -> HttpResponse:
    source = _source(request, source_id)
    try:
        kind = get_source(source.kind)
    except UnknownSource:
        raise Http404 from None
    form = SourceForm(request.POST or None, workspace=request.workspace, kind=kind, source=source)
    if request.method == "POST" and form.is_valid():
        services.change_source(source, form.source_fields())
        messages.success(request, _("Source saved."))
        return redirect("listening:sources")
    return _form_page(request, form, kind, source)


def _form_page(
    request: WorkspaceRequest,
    form: SourceForm,
    kind: type[SourceKind],
    source: ListeningSource | None,
) -> HttpResponse:
    no_channel = (
        kind.channel_network is not None
        and not services.channels_for(request.workspace, kind).exists()
    )
    context = {"form": form, "kind": kind, "source": source, "no_channel": no_channel}
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "listening/sources_edit.html", context, status=status)


@require_POST
@workspace_view(Permission.LISTEN)
def source_pause(request: WorkspaceRequest, source_id: int) -> HttpResponse:
    source = _source(request, source_id)
    if source.is_active:
        services.pause_source(source)
        messages.success(request, _("Source paused: Chorus stops reading it until you resume it."))
    else:
        services.resume_source(source)
        messages.success(request, _("Source resumed."))
    return redirect("listening:sources")


@require_POST
@workspace_view(Permission.LISTEN)
def source_read_now(request: WorkspaceRequest, source_id: int) -> HttpResponse:
    source = _source(request, source_id)
    if not source.is_active:
        messages.error(request, _("Resume the source before reading it."))
        return redirect("listening:sources")
    services.read_now(source)
    messages.success(request, _("Chorus is reading the source now."))
    return redirect("listening:sources")


@workspace_view(Permission.LISTEN)
def source_delete(request: WorkspaceRequest, source_id: int) -> HttpResponse:
    source = _source(request, source_id)
    if request.method == "POST":
        services.delete_source(source)
        messages.success(request, _("Source deleted."))
        return redirect("listening:sources")
    return render(request, "listening/sources_delete.html", {"source": source})
