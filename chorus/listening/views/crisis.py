"""Crisis pages: the list, opening one, the crisis room and its timeline, closing, exports.

The statement's pages are in :mod:`.crisis_statement`, the playbook's in :mod:`.playbook`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.inbox.models import SavedReply
from chorus.listening import crisis as crises
from chorus.listening import crisis_summary
from chorus.listening import statement as statements
from chorus.listening.forms_crisis import (
    CloseForm,
    DecisionForm,
    EventForm,
    OpenCrisisForm,
    OutsideApproverForm,
    StatementForm,
)
from chorus.listening.models import (
    Alert,
    Crisis,
    CrisisTask,
    Decision,
    HoldingStatement,
    Mention,
    StatementApproval,
)
from chorus.listening.playbook import playbook_of
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Membership
from chorus.workspaces.permissions import Permission, can


def crisis_of(request: WorkspaceRequest, pk: int) -> Crisis:
    return get_object_or_404(Crisis, pk=pk, workspace=request.workspace)


def back_to(crisis: Crisis) -> HttpResponseBase:
    return redirect("listening:crisis", crisis.pk)


@workspace_view(Permission.VIEW)
def crisis_list(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "listening/crisis_list.html", {
        "crises": Crisis.objects.filter(workspace=request.workspace).select_related("opened_by"),
        "can_run": can(request.membership, Permission.HANDLE_CRISIS),
    })  # fmt: skip


@workspace_view(Permission.HANDLE_CRISIS)
def crisis_open(request: WorkspaceRequest) -> HttpResponseBase:
    alert = _alert(request, request.POST.get("alert") or request.GET.get("alert"))
    form = OpenCrisisForm(request.POST or None, initial={"alert": alert and alert.pk})
    if request.method == "POST" and form.is_valid():
        try:
            crisis = crises.open_crisis(
                request.workspace, request.user, form.cleaned_data["title"], alert
            )
        except crises.CrisisRuleBroken as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Crisis opened: publishing is paused."))
            return back_to(crisis)
    return render(request, "listening/crisis_open.html", {"form": form, "alert": alert})


def _alert(request: WorkspaceRequest, raw: str | None) -> Alert | None:
    if not raw or not raw.isdigit():
        return None
    return get_object_or_404(Alert, pk=int(raw), workspace=request.workspace)


@workspace_view(Permission.VIEW)
def crisis_room(request: WorkspaceRequest, pk: int) -> HttpResponse:
    crisis = crisis_of(request, pk)
    statement = HoldingStatement.objects.filter(crisis=crisis).first()
    return render(request, "listening/crisis_room.html", {
        "crisis": crisis,
        "can_run": can(request.membership, Permission.HANDLE_CRISIS) and crisis.is_open,
        "events": crisis.events.select_related("actor"),
        "tasks": crisis.tasks.select_related("done_by"),
        "contacts": playbook_of(request.workspace).contacts.all(),
        "saved": crisis.saved.select_related("mention", "mention__author"),
        "pinned": crisis.pinned_replies.all(),
        "replies": SavedReply.objects.filter(workspace=request.workspace),
        "event_form": EventForm(),
        **_statement_context(request, crisis, statement),
        "summary": crisis_summary.summarise(crisis),
    })  # fmt: skip


def _statement_context(
    request: WorkspaceRequest, crisis: Crisis, statement: HoldingStatement | None
) -> dict[str, object]:
    approvals = list(statement.approvals.select_related("member")) if statement else []
    mine = next((a for a in approvals if a.member_id == request.user.pk), None)
    initial = (
        {"text": statement.text, "channels": list(statement.channels.all())} if statement else {}
    )
    return {
        "statement": statement,
        "approvals": approvals,
        "approved": bool(statement) and statements.is_approved(statement),  # type: ignore[arg-type]
        "my_approval": mine if mine and mine.decision == Decision.PENDING else None,
        "may_approve": can(request.membership, Permission.APPROVE),
        "statement_form": StatementForm(request.workspace, initial=initial),
        "outside_form": OutsideApproverForm(),
        "decision_form": DecisionForm(),
        "members": _possible_approvers(request, approvals),
    }


def _possible_approvers(
    request: WorkspaceRequest, approvals: list[StatementApproval]
) -> list[Membership]:
    """Members who may approve and are not approvers yet."""
    named = {a.member_id for a in approvals if a.member_id}
    members = Membership.objects.filter(workspace=request.workspace).select_related("user")
    return [m for m in members if m.user_id not in named and can(m, Permission.APPROVE)]


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def crisis_event(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    crisis = crisis_of(request, pk)
    form = EventForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write what happened."))
        return back_to(crisis)
    try:
        crises.add_event(crisis, request.user, form.cleaned_data["kind"], form.cleaned_data["text"])
    except crises.CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(crisis)


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def crisis_task(request: WorkspaceRequest, pk: int, task_pk: int) -> HttpResponseBase:
    crisis = crisis_of(request, pk)
    task = get_object_or_404(CrisisTask, pk=task_pk, crisis=crisis, workspace=request.workspace)
    try:
        crises.tick_task(task, request.user, done=request.POST.get("done") == "1")
    except crises.CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(crisis)


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def crisis_pin(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    crisis = crisis_of(request, pk)
    raw = request.POST.get("reply", "")
    reply = get_object_or_404(
        SavedReply, pk=int(raw) if raw.isdigit() else 0, workspace=request.workspace
    )
    try:
        crises.pin_reply(crisis, reply, pinned=request.POST.get("pinned") == "1")
    except crises.CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(crisis)


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def save_mention(request: WorkspaceRequest, mention_pk: int) -> HttpResponseBase:
    """ "Save to crisis" on a mention: into the crisis under way."""
    mention = get_object_or_404(Mention, pk=mention_pk, workspace=request.workspace)
    crisis = crises.open_crisis_of(request.workspace)
    if crisis is None:
        messages.error(request, _("No crisis is open."))
        return redirect("listening:crisis_list")
    if crises.save_mention(crisis, mention, request.user):
        messages.success(request, _("Mention saved to the crisis."))
    else:
        messages.info(request, _("This mention was already saved to the crisis."))
    return back_to(crisis)


@workspace_view(Permission.HANDLE_CRISIS)
def crisis_close(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    crisis = crisis_of(request, pk)
    if not crisis.is_open:
        return back_to(crisis)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        crises.close_crisis(
            crisis, request.user, form.cleaned_data["summary"], resume=form.cleaned_data["resume"]
        )
        messages.success(request, _("Crisis closed."))
        return back_to(crisis)
    return render(request, "listening/crisis_close.html", {
        "crisis": crisis, "form": form, "summary": crisis_summary.summarise(crisis),
    })  # fmt: skip


@workspace_view(Permission.VIEW)
def crisis_report(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """The printable summary (the browser prints it; the analytics reports reuse its figures)."""
    crisis = crisis_of(request, pk)
    return render(request, "listening/crisis_report.html", {
        "crisis": crisis, "summary": crisis_summary.summarise(crisis),
    })  # fmt: skip


@workspace_view(Permission.VIEW)
def crisis_csv(request: WorkspaceRequest, pk: int) -> HttpResponse:
    crisis = crisis_of(request, pk)
    body = crisis_summary.summary_csv(crisis, crisis_summary.summarise(crisis))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="crisis-{crisis.pk}.csv"'
    return response
