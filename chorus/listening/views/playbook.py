"""The playbook editor: the checklist each crisis copies, the contacts, what not to say."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.listening import playbook as playbooks
from chorus.listening.forms_crisis import ContactForm, StepForm, WhatNotToSayForm
from chorus.listening.models import PlaybookContact, PlaybookStep
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


@workspace_view(Permission.VIEW)
def playbook(request: WorkspaceRequest) -> HttpResponseBase:
    book = playbooks.playbook_of(request.workspace)
    can_edit = can(request.membership, Permission.HANDLE_CRISIS)
    step_form, contact_form = StepForm(), ContactForm()
    words_form = WhatNotToSayForm(initial={"what_not_to_say": book.what_not_to_say})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        part = request.POST.get("part")
        step_form, contact_form, words_form, saved = _save(
            request, part, step_form, contact_form, words_form
        )
        if saved:
            messages.success(request, _("Playbook saved."))
            return redirect("listening:playbook")
    return render(request, "listening/crisis_playbook.html", {
        "playbook": book,
        "steps": book.steps.all(),
        "contacts": book.contacts.all(),
        "can_edit": can_edit,
        "step_form": step_form,
        "contact_form": contact_form,
        "words_form": words_form,
    })  # fmt: skip


def _save(request: WorkspaceRequest, part: str | None, step_form, contact_form, words_form):  # type: ignore[no-untyped-def]
    """Save the one form that was sent; give it back with its errors otherwise."""
    workspace = request.workspace
    if part == "step":
        step_form = StepForm(request.POST)
        if step_form.is_valid():
            playbooks.add_step(workspace, step_form.cleaned_data["text"])
            return step_form, contact_form, words_form, True
    elif part == "contact":
        contact_form = ContactForm(request.POST)
        if contact_form.is_valid():
            playbooks.add_contact(workspace, **contact_form.cleaned_data)
            return step_form, contact_form, words_form, True
    elif part == "words":
        words_form = WhatNotToSayForm(request.POST)
        if words_form.is_valid():
            playbooks.set_what_not_to_say(workspace, words_form.cleaned_data["what_not_to_say"])
            return step_form, contact_form, words_form, True
    return step_form, contact_form, words_form, False


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def step_change(request: WorkspaceRequest, step_pk: int) -> HttpResponseBase:
    step = get_object_or_404(PlaybookStep, pk=step_pk, workspace=request.workspace)
    action = request.POST.get("action")
    if action == "delete":
        step.delete()
    elif action in ("up", "down"):
        playbooks.move_step(step, -1 if action == "up" else 1)
    return redirect("listening:playbook")


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def contact_delete(request: WorkspaceRequest, contact_pk: int) -> HttpResponseBase:
    get_object_or_404(PlaybookContact, pk=contact_pk, workspace=request.workspace).delete()
    return redirect("listening:playbook")
