"""Hashtag groups and snippets: the saved words the composer inserts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.publishing.forms import HashtagGroupForm, SnippetForm
from chorus.publishing.models import HashtagGroup, Snippet
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission

KINDS: dict[str, tuple[type[HashtagGroup] | type[Snippet], Any]] = {
    "hashtags": (HashtagGroup, HashtagGroupForm),
    "snippet": (Snippet, SnippetForm),
}


def _workspace(request: WorkspaceRequest) -> Workspace:
    return request.workspace


def _kind(kind: str) -> tuple[Any, Any]:
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


@workspace_view(Permission.COMPOSE)
def library_page(request: WorkspaceRequest) -> HttpResponse:
    workspace = _workspace(request)
    forms = {
        "hashtags": HashtagGroupForm(prefix="hashtags"),
        "snippet": SnippetForm(prefix="snippet"),
    }
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        model, form_class = _kind(kind)
        form = form_class(request.POST, prefix=kind, instance=model(workspace=workspace))
        if _saved(request, form):
            return redirect("publishing:library")
        forms[kind] = form
    context = {
        "hashtag_groups": HashtagGroup.objects.filter(workspace=workspace),
        "snippets": Snippet.objects.filter(workspace=workspace),
        "hashtag_form": forms["hashtags"],
        "snippet_form": forms["snippet"],
    }
    return render(request, "publishing/library.html", context)


def _saved(request: HttpRequest, form: Any) -> bool:
    """Save a group or snippet; a name already used in this workspace is a field error."""
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error("name", _("This name is already used."))
        return False
    messages.success(request, _("Saved."))
    return True


@workspace_view(Permission.COMPOSE)
def library_item(request: WorkspaceRequest, kind: str, item_id: int) -> HttpResponse:
    model, form_class = _kind(kind)
    item = get_object_or_404(model.objects.filter(workspace=_workspace(request)), pk=item_id)
    form = form_class(request.POST or None, instance=item)
    if request.method == "POST" and _saved(request, form):
        return redirect("publishing:library")
    return render(
        request, "publishing/library_item.html", {"form": form, "item": item, "kind": kind}
    )


@require_POST
@workspace_view(Permission.COMPOSE)
def library_delete(request: WorkspaceRequest, kind: str, item_id: int) -> HttpResponse:
    model, _form = _kind(kind)
    item = get_object_or_404(model.objects.filter(workspace=_workspace(request)), pk=item_id)
    item.delete()
    messages.success(request, _("%(name)s deleted.") % {"name": item.name})
    return redirect("publishing:library")
