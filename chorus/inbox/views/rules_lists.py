"""What rules point at: labels (name and colour) and author lists (VIPs, blocked, press…).

Looking needs ``VIEW``; changing needs ``ANSWER``, like labelling a conversation by hand: the
team curates these day to day. Everything is scoped to the current workspace (404 otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.inbox.forms_rules import AddAuthorForm, AuthorListForm, LabelForm
from chorus.inbox.models import Author, AuthorList, Label
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _may_change(request: WorkspaceRequest) -> bool:
    return can(request.membership, Permission.ANSWER)


@workspace_view()
def labels(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = LabelForm(workspace=workspace)
    if request.method == "POST":
        if not _may_change(request):
            raise PermissionDenied
        form = LabelForm(request.POST, instance=Label(workspace=workspace), workspace=workspace)
        if form.is_valid():
            form.save()
            messages.success(request, _("Label “%(name)s” added.") % {"name": form.instance.name})
            return redirect("inbox:rules_labels")
    found = Label.objects.filter(workspace=workspace).annotate(used=Count("conversations"))
    status = 422 if form.errors else 200
    context = {"labels": found, "form": form}
    return render(request, "inbox/rules/labels.html", context, status=status)


@workspace_view(Permission.ANSWER)
def label_edit(request: WorkspaceRequest, label_id: int) -> HttpResponse:
    workspace = request.workspace
    label = get_object_or_404(Label, pk=label_id, workspace=workspace)
    form = LabelForm(request.POST or None, instance=label, workspace=workspace)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Label “%(name)s” saved.") % {"name": label.name})
        return redirect("inbox:rules_labels")
    status = 422 if form.errors else 200
    return render(
        request, "inbox/rules/label_edit.html", {"form": form, "label": label}, status=status
    )


@require_POST
@workspace_view(Permission.ANSWER)
def label_delete(request: WorkspaceRequest, label_id: int) -> HttpResponse:
    label = get_object_or_404(Label, pk=label_id, workspace=request.workspace)
    label.delete()
    messages.success(request, _("Label “%(name)s” deleted.") % {"name": label.name})
    return redirect("inbox:rules_labels")


@workspace_view()
def author_lists(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    form = AuthorListForm(workspace=workspace)
    if request.method == "POST":
        if not _may_change(request):
            raise PermissionDenied
        new = AuthorList(workspace=workspace)
        form = AuthorListForm(request.POST, instance=new, workspace=workspace)
        if form.is_valid():
            form.save()
            return redirect("inbox:rules_list", new.pk)
    found = AuthorList.objects.filter(workspace=workspace).annotate(size=Count("authors"))
    status = 422 if form.errors else 200
    context = {"lists": found, "form": form}
    return render(request, "inbox/rules/lists.html", context, status=status)


def _find_author(author_list: AuthorList, handle: str) -> Author | None:
    """The workspace's author with this handle, with or without the leading @."""
    plain = handle.strip().lstrip("@")
    found = Author.objects.filter(workspace_id=author_list.workspace_id)
    return (
        found.filter(handle__iexact=plain).first()
        or found.filter(handle__iexact=f"@{plain}").first()
    )


@workspace_view()
def author_list(request: WorkspaceRequest, list_id: int) -> HttpResponse:
    workspace = request.workspace
    chosen = get_object_or_404(AuthorList, pk=list_id, workspace=workspace)
    form = AddAuthorForm(request.POST or None)
    if request.method == "POST":
        if not _may_change(request):
            raise PermissionDenied
        if form.is_valid():
            author = _find_author(chosen, form.cleaned_data["handle"])
            if author is None:
                form.add_error("handle", _("Nobody with this handle has written to you yet."))
            else:
                chosen.authors.add(author)
                messages.success(request, _("%(who)s added.") % {"who": author})
                return redirect("inbox:rules_list", chosen.pk)
    members = chosen.authors.filter(workspace=workspace).order_by("handle")
    status = 422 if form.errors else 200
    context = {"list": chosen, "authors": members, "form": form}
    return render(request, "inbox/rules/list_detail.html", context, status=status)


@require_POST
@workspace_view(Permission.ANSWER)
def author_list_remove(request: WorkspaceRequest, list_id: int, author_id: int) -> HttpResponse:
    chosen = get_object_or_404(AuthorList, pk=list_id, workspace=request.workspace)
    chosen.authors.remove(get_object_or_404(Author, pk=author_id, workspace=chosen.workspace))
    return redirect("inbox:rules_list", chosen.pk)


@require_POST
@workspace_view(Permission.ANSWER)
def author_list_delete(request: WorkspaceRequest, list_id: int) -> HttpResponse:
    chosen = get_object_or_404(AuthorList, pk=list_id, workspace=request.workspace)
    chosen.delete()
    messages.success(request, _("List “%(name)s” deleted.") % {"name": chosen.name})
    return redirect("inbox:rules_lists")
