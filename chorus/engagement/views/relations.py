"""Relations pages: the directory, the pipeline board, a person's page and what changes it
(stage, notes, follow-ups, linked accounts, profile)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.core.timeutil import local_now
from chorus.engagement import relations as services
from chorus.engagement.models.relations import FollowUp, OutreachTemplate, Relation, Stage
from chorus.engagement.relations_figures import WINDOW_DAYS, voices_of_people
from chorus.engagement.relations_forms import (
    FollowUpForm,
    LinkAccountForm,
    NoteForm,
    ProfileForm,
    StageForm,
)
from chorus.engagement.relations_history import history_of
from chorus.people.models import Author
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can

PER_PAGE = 50


def _relation(request: WorkspaceRequest, relation_id: int) -> Relation:
    return get_object_or_404(
        Relation.objects.select_related("person", "workspace"),
        pk=relation_id,
        workspace=request.workspace,
    )


def _shown(request: WorkspaceRequest) -> services.DirectoryFilter:
    get = request.GET
    return services.DirectoryFilter(
        search=get.get("q", "").strip()[:200],
        stage=get.get("stage", ""),
        network=get.get("network", "")[:32],
        topic=get.get("topic", "").strip()[:100],
        order=get.get("order", "name"),
    )


@workspace_view()
def directory(request: WorkspaceRequest) -> HttpResponse:
    shown = _shown(request)
    found = services.directory(request.workspace, shown)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    voices = voices_of_people(request.workspace, [r.person_id for r in page.object_list])
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "rows": [
            (relation, voices[relation.person_id], services.reach_of(relation))
            for relation in page.object_list
        ],
        "shown": shown,
        "stages": Stage.choices,
        "networks": services.networks_in_directory(request.workspace),
        "query": query.urlencode(),
        "window_days": WINDOW_DAYS,
        "can_manage": can(request.membership, Permission.MANAGE_RELATIONS),
    }
    return render(request, "engagement/relations_directory.html", context)


@workspace_view()
def board(request: WorkspaceRequest) -> HttpResponse:
    context = {
        "columns": services.board(request.workspace),
        "stages": Stage.choices,
        "can_manage": can(request.membership, Permission.MANAGE_RELATIONS),
    }
    return render(request, "engagement/relations_board.html", context)


@workspace_view()
def person(request: WorkspaceRequest, relation_id: int) -> HttpResponse:
    return render(request, "engagement/relation_person.html", _person_context(request, relation_id))


def _person_context(request: WorkspaceRequest, relation_id: int, **forms: Any) -> dict[str, Any]:
    relation = _relation(request, relation_id)
    workspace = request.workspace
    return {
        "relation": relation,
        "accounts": Author.objects.filter(person=relation.person).order_by("network", "handle"),
        "voice": voices_of_people(workspace, [relation.person_id])[relation.person_id],
        "window_days": WINDOW_DAYS,
        "history": history_of(relation),
        "follow_ups": relation.follow_ups.filter(done_at__isnull=True).select_related("assignee"),
        "templates": OutreachTemplate.objects.filter(workspace=workspace),
        "stages": Stage.choices,
        "note_form": forms.get("note_form") or NoteForm(),
        "follow_up_form": forms.get("follow_up_form") or FollowUpForm(workspace=workspace),
        "link_form": forms.get("link_form") or LinkAccountForm(),
        "can_manage": can(request.membership, Permission.MANAGE_RELATIONS),
        "today": local_now(workspace.timezone).date(),
    }


def _back(request: WorkspaceRequest, relation: Relation) -> HttpResponseBase:
    """Back where the move was made: the board, or the person's page."""
    if request.POST.get("next") == "board":
        return redirect("engagement:relations_board")
    return redirect("engagement:relation", relation.pk)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def move(request: WorkspaceRequest, relation_id: int) -> HttpResponseBase:
    relation = _relation(request, relation_id)
    form = StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the five stages."))
        return _back(request, relation)
    from_board = request.headers.get("HX-Request") and request.POST.get("next") == "board"
    if services.move(relation, form.cleaned_data["stage"], request.user) and not from_board:
        label = Stage(relation.stage).label
        messages.success(request, _("%(name)s is now at “%(stage)s”.") % {
            "name": relation.person.name, "stage": label})  # fmt: skip
    if from_board:  # HTMX: the columns again, the card in its new place
        context = {"columns": services.board(request.workspace), "stages": Stage.choices,
                   "can_manage": True}  # fmt: skip
        return render(request, "engagement/_relations_columns.html", context)
    return _back(request, relation)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def add_note(request: WorkspaceRequest, relation_id: int) -> HttpResponse | HttpResponseBase:
    relation = _relation(request, relation_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        context = _person_context(request, relation_id, note_form=form)
        return render(request, "engagement/relation_person.html", context, status=422)
    services.add_note(relation, form.cleaned_data["text"], request.user)
    messages.success(request, _("Note added."))
    return redirect("engagement:relation", relation.pk)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def add_follow_up(request: WorkspaceRequest, relation_id: int) -> HttpResponse | HttpResponseBase:
    relation = _relation(request, relation_id)
    form = FollowUpForm(request.POST, workspace=request.workspace)
    if not form.is_valid():
        context = _person_context(request, relation_id, follow_up_form=form)
        return render(request, "engagement/relation_person.html", context, status=422)
    data = form.cleaned_data
    services.add_follow_up(relation, data["text"], data["due_on"], data["assignee"], request.user)
    messages.success(request, _("Follow-up added."))
    return redirect("engagement:relation", relation.pk)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def finish_follow_up(request: WorkspaceRequest, follow_up_id: int) -> HttpResponseBase:
    follow_up = get_object_or_404(FollowUp, pk=follow_up_id, workspace=request.workspace)
    services.finish_follow_up(follow_up)
    messages.success(request, _("Follow-up done."))
    if request.POST.get("next") == "today":
        return redirect("today")
    return redirect("engagement:relation", follow_up.relation_id)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def link_account(request: WorkspaceRequest, relation_id: int) -> HttpResponse | HttpResponseBase:
    relation = _relation(request, relation_id)
    form = LinkAccountForm(request.POST)
    if form.is_valid():
        try:
            services.link_account(relation, form.cleaned_data["handle"], request.user)
        except services.RelationError as error:
            form.add_error("handle", str(error))
    if not form.is_valid():
        context = _person_context(request, relation_id, link_form=form)
        return render(request, "engagement/relation_person.html", context, status=422)
    messages.success(request, _("Account linked."))
    return redirect("engagement:relation", relation.pk)


@require_POST
@workspace_view(Permission.MANAGE_RELATIONS)
def unlink_account(request: WorkspaceRequest, relation_id: int, author_id: int) -> HttpResponseBase:
    relation = _relation(request, relation_id)
    author = get_object_or_404(Author, pk=author_id, workspace=request.workspace)
    try:
        services.unlink_account(relation, author, request.user)
        messages.success(request, _("Account unlinked."))
    except services.RelationError as error:
        messages.error(request, str(error))
    return redirect("engagement:relation", relation.pk)


@workspace_view(Permission.MANAGE_RELATIONS)
def edit_profile(request: WorkspaceRequest, relation_id: int) -> HttpResponse | HttpResponseBase:
    relation = _relation(request, relation_id)
    initial = {"name": relation.person.name}
    form = ProfileForm(request.POST or None, instance=relation, initial=initial)
    if request.method == "POST" and form.is_valid():
        form.save()
        relation.person.name = form.cleaned_data["name"]
        relation.person.save(update_fields=["name"])
        messages.success(request, _("Profile saved."))
        return redirect("engagement:relation", relation.pk)
    status = 422 if form.errors else 200
    context = {"relation": relation, "form": form}
    return render(request, "engagement/relation_edit.html", context, status=status)
