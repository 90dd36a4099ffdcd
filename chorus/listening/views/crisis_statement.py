"""The holding statement's pages: writing it, its approvers, deciding, publishing; and the page
an outside approver opens from their e-mail, without an account."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts.models import User
from chorus.listening import statement as statements
from chorus.listening.crisis import CrisisRuleBroken
from chorus.listening.forms_crisis import DecisionForm, OutsideApproverForm, StatementForm
from chorus.listening.models import HoldingStatement, StatementApproval
from chorus.listening.views.crisis import back_to, crisis_of
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission


def _statement(request: WorkspaceRequest, pk: int) -> HoldingStatement:
    crisis = crisis_of(request, pk)
    return get_object_or_404(HoldingStatement, crisis=crisis, workspace=request.workspace)


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def statement_write(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    crisis = crisis_of(request, pk)
    form = StatementForm(request.workspace, request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the statement and choose at least one channel."))
        return back_to(crisis)
    try:
        statements.write_statement(
            crisis, request.user, form.cleaned_data["text"], form.cleaned_data["channels"]
        )
    except CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(crisis)


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def approver_add(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    statement = _statement(request, pk)
    try:
        if request.POST.get("member"):
            member = get_object_or_404(
                User, pk=_int(request.POST["member"]), memberships__workspace=request.workspace
            )
            statements.add_member_approver(statement, member)
        else:
            form = OutsideApproverForm(request.POST)
            if not form.is_valid():
                raise CrisisRuleBroken(_("Give the approver's name and a valid e-mail address."))
            statements.add_outside_approver(statement, **form.cleaned_data)
    except CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(statement.crisis)


def _int(raw: str) -> int:
    return int(raw) if raw.isdigit() else 0


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def approver_remove(request: WorkspaceRequest, pk: int, approval_pk: int) -> HttpResponseBase:
    statement = _statement(request, pk)
    approval = get_object_or_404(StatementApproval, pk=approval_pk, statement=statement)
    try:
        statements.remove_approver(approval)
    except CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(statement.crisis)


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def statement_submit(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    statement = _statement(request, pk)
    try:
        statements.submit(statement, request.user)
        messages.success(request, _("Sent to the approvers."))
    except CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(statement.crisis)


@require_POST
@workspace_view(Permission.APPROVE)
def statement_decide(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    """A member approver's own decision; nobody decides for someone else."""
    statement = _statement(request, pk)
    approval = get_object_or_404(StatementApproval, statement=statement, member=request.user)
    form = DecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise CrisisRuleBroken(_("Approve, or ask for changes."))
        statements.decide(
            approval, form.cleaned_data["decision"], form.cleaned_data["comment"], by=request.user
        )
    except CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(statement.crisis)


@require_POST
@workspace_view(Permission.HANDLE_CRISIS)
def statement_publish(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    statement = _statement(request, pk)
    try:
        statements.publish_statement(statement, request.user)
        messages.success(request, _("The statement is going out now."))
    except CrisisRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(statement.crisis)


def statement_review(request: HttpRequest, token: str) -> HttpResponse:
    """The outside approver's page: the statement and its channels, nothing else of the
    workspace. A forged, expired or used link gets a page saying so, never a hint."""
    try:
        approval = statements.approval_for_link(token)
    except statements.LinkRefused as refused:
        return render(
            request,
            "listening/statement_link.html",
            {"reason": refused.reason},
            status=410 if refused.reason != "forged" else 404,
        )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statements.decide(approval, form.cleaned_data["decision"], form.cleaned_data["comment"])
        except CrisisRuleBroken as refused:
            form.add_error("comment", str(refused))
        else:
            return render(
                request,
                "listening/statement_link.html",
                {"reason": "thanks", "decision": approval.decision},
            )
    statement = approval.statement
    return render(request, "listening/statement_review.html", {
        "approval": approval,
        "statement": statement,
        "channels": statement.channels.all(),
        "workspace_name": statement.crisis.workspace.name,
        "form": form,
    })  # fmt: skip
