"""The media library: grid, upload, describe, delete when unused, and the members-only file view."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chorus.accounts.http import SignedInRequest
from chorus.publishing import media as library
from chorus.publishing import services
from chorus.publishing.forms import MediaDescriptionForm
from chorus.publishing.models import Media
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission

MIB = 1024 * 1024


def _workspace(request: WorkspaceRequest) -> Workspace:
    return request.workspace


def _media(request: WorkspaceRequest, media_id: int) -> Media:
    return get_object_or_404(library.library_of(_workspace(request)), pk=media_id)


@workspace_view()
def media_library(request: WorkspaceRequest) -> HttpResponse:
    if request.method == "POST":
        return _upload(request)
    items = library.library_of(_workspace(request))
    context = {"items": items, "max_mb": library.max_bytes() // MIB}
    return render(request, "publishing/media_library.html", context)


def _upload(request: SignedInRequest) -> HttpResponse:
    files = request.FILES.getlist("files")
    if not files:
        messages.error(request, _("Choose one or more files."))
    added = 0
    for upload in files:
        try:
            library.add_to_library(_workspace(request), request.user, upload)  # type: ignore[arg-type]
        except (library.MediaRejected, services.PublishingRuleBroken) as refused:
            messages.error(request, f"{upload.name}: {refused}")
        else:
            added += 1
    if added:
        messages.success(
            request,
            ngettext("%(count)d file added.", "%(count)d files added.", added) % {"count": added},
        )
    return redirect("publishing:media")


@workspace_view()
def media_detail(request: WorkspaceRequest, media_id: int) -> HttpResponse:
    """One file: its name and description (editable), and the posts that use it."""
    item = _media(request, media_id)
    form = MediaDescriptionForm(
        request.POST or None, initial={"name": item.name, "alt_text": item.alt_text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            library.describe(item, request.user, **form.cleaned_data)
        except services.PublishingRuleBroken as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("Saved."))
            return redirect("publishing:media")
    context = {"item": item, "form": form, "posts": library.posts_using(item)[:50]}
    return render(request, "publishing/media_detail.html", context)


@workspace_view()
def media_file(request: WorkspaceRequest, media_id: int) -> HttpResponse:
    """The bytes, to members of the file's workspace only (never a public media URL)."""
    item = _media(request, media_id)
    response = FileResponse(item.file.open("rb"), content_type=item.mime_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response  # type: ignore[return-value]  # streamed, not buffered


@require_POST
@workspace_view(Permission.COMPOSE)
def media_delete(request: WorkspaceRequest, media_id: int) -> HttpResponse:
    item = _media(request, media_id)
    try:
        library.delete_media(item, request.user)
    except services.PublishingRuleBroken as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("%(name)s deleted.") % {"name": item.name})
    return redirect("publishing:media")
