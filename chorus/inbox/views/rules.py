"""Rules pages: the ordered list, the editor with its dry run, deletion, and the action log.

Managing rules needs ``MANAGE_WORKSPACE`` (owners, admins): a rule acts on every future message
of the workspace, and can delete on networks or answer in the brand's name with nobody looking,
which is a workspace-wide decision, not a per-conversation one. Undoing one automatic action is
everyday inbox work, so it needs ``ANSWER``; looking needs ``VIEW``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from chorus.inbox import rules
from chorus.inbox.forms_rules import ActionRow, ConditionRow, RuleEditor
from chorus.inbox.models import Priority, Rule, RuleAction, Status
from chorus.inbox.rules.actions import ACTION_LABELS, UNDOABLE, ActionType
from chorus.inbox.rules.conditions import WorkspaceRefs
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission


def _rule(request: WorkspaceRequest, rule_id: int) -> Rule:
    # Scoped to the current workspace: another workspace's rule is simply not found.
    return get_object_or_404(Rule, pk=rule_id, workspace=request.workspace)


@workspace_view()
def rule_list(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    refs = WorkspaceRefs.load(workspace)
    counts = rules.acted_counts(workspace)
    rows = []
    for rule in Rule.objects.filter(workspace=workspace).order_by("position", "id"):
        conditions, actions = rules.describe_rule(rule, refs)
        rows.append(
            {
                "rule": rule,
                "conditions": conditions,
                "actions": actions,
                "acted": counts.get(rule.pk, 0),
            }
        )
    return render(request, "inbox/rules/list.html", {"rows": rows})


@workspace_view(Permission.MANAGE_WORKSPACE)
def rule_create(request: WorkspaceRequest) -> HttpResponse:
    return _editor_page(request, None)


@workspace_view(Permission.MANAGE_WORKSPACE)
def rule_edit(request: WorkspaceRequest, rule_id: int) -> HttpResponse:
    return _editor_page(request, _rule(request, rule_id))


def _editor_page(request: WorkspaceRequest, rule: Rule | None) -> HttpResponse:
    workspace = request.workspace
    if request.method != "POST":
        return _render_editor(request, RuleEditor(workspace, rule))
    editor = RuleEditor(workspace, rule, request.POST)
    adding = request.POST.get("add", "")
    if adding in ("c", "a"):  # without JS, "Add a condition" posts the form back with one more row
        editor.add_row(adding)
        return _render_editor(request, editor)
    valid = editor.is_valid()
    if "dry_run" in request.POST:
        result = rules.dry_run(editor.rule, workspace) if editor.rows_valid() else None
        return _render_editor(request, editor, dry_run=result, status=200 if result else 422)
    if not valid:
        return _render_editor(request, editor, status=422)
    created = editor.rule.pk is None
    rules.save_rule(editor.rule, request.user)
    text = _("Rule “%(name)s” created.") if created else _("Rule “%(name)s” saved.")
    messages.success(request, text % {"name": editor.rule.name})
    return redirect("inbox:rules")


def _render_editor(
    request: HttpRequest, editor: RuleEditor, dry_run: Any = None, status: int = 200
) -> HttpResponse:
    context = {
        "editor": editor,
        "rule": editor.rule,
        "dry_run": dry_run,
        "next_condition": editor.next_number("c"),
        "next_action": editor.next_number("a"),
    }
    return render(request, "inbox/rules/edit.html", context, status=status)


@require_POST
@workspace_view(Permission.MANAGE_WORKSPACE)
def rule_dry_run(request: WorkspaceRequest) -> HttpResponse:
    """The dry run of the rule as it stands in the form, shown inline (HTMX)."""
    workspace = request.workspace
    editor = RuleEditor(workspace, None, request.POST)
    editor.is_valid()
    result = rules.dry_run(editor.rule, workspace) if editor.rows_valid() else None
    context = {"dry_run": result, "editor": editor}
    # 200 even when the rule is refused: HTMX swaps only 2xx answers, and this fragment is the
    # "fix the rule first" message (a 422 left the previous, now wrong, result on screen).
    return render(request, "inbox/rules/_dry_run.html", context)


@require_GET
@workspace_view(Permission.MANAGE_WORKSPACE)
def rule_row(request: WorkspaceRequest, kind: str) -> HttpResponse:
    """One more empty condition or action row, and the "add" button ready for the next one."""
    if kind not in ("c", "a"):
        return HttpResponse(status=404)
    given = request.GET.get("n", "")
    number = min(int(given), 999) if given.isdigit() else 0
    refs = WorkspaceRefs.load(request.workspace)
    row_class = ConditionRow if kind == "c" else ActionRow
    row = row_class(prefix=f"{kind}-{number}", refs=refs)
    context = {"row": row, "kind": kind, "next": number + 1, "oob": True}
    return render(request, "inbox/rules/_row.html", context)


@workspace_view(Permission.MANAGE_WORKSPACE)
def rule_delete(request: WorkspaceRequest, rule_id: int) -> HttpResponse:
    rule = _rule(request, rule_id)
    if request.method == "POST":
        name = rule.name
        rule.delete()  # its log stays: RuleAction.rule becomes empty, the actions remain
        messages.success(request, _("Rule “%(name)s” deleted.") % {"name": name})
        return redirect("inbox:rules")
    return render(request, "inbox/rules/delete.html", {"rule": rule})


@require_POST
@workspace_view(Permission.MANAGE_WORKSPACE)
def rule_move(request: WorkspaceRequest, rule_id: int) -> HttpResponse:
    rules.move_rule(_rule(request, rule_id), -1 if request.POST.get("direction") == "up" else 1)
    return redirect("inbox:rules")


@require_POST
@workspace_view(Permission.MANAGE_WORKSPACE)
def rule_toggle(request: WorkspaceRequest, rule_id: int) -> HttpResponse:
    rule = _rule(request, rule_id)
    rules.set_enabled(rule, not rule.enabled)
    text = _("“%(name)s” is on.") if rule.enabled else _("“%(name)s” is off.")
    messages.success(request, text % {"name": rule.name})
    return redirect("inbox:rules")


# -- the log ---------------------------------------------------------------------------------


def _conversation_link(conversation_id: int) -> str:
    try:
        return reverse("inbox:conversation", args=[conversation_id])
    except NoReverseMatch:  # the inbox pages are not there: show the log without links
        return ""


def log_summary(action: RuleAction, refs: WorkspaceRefs) -> str:
    """What the rule did, in words, with what it changed from."""
    detail = action.detail
    kind = action.action
    if kind == ActionType.LABEL:
        return str(detail.get("label_name", ""))
    if kind == ActionType.PRIORITY:
        return f"{Priority(detail['before']).label} → {Priority(detail['after']).label}"
    if kind == ActionType.ASSIGN:
        before = refs.members.get(detail.get("before") or 0, _("nobody"))
        return f"{before} → {refs.members.get(detail.get('after') or 0, '?')}"
    if kind == ActionType.RESOLVE:
        return f"{Status(detail['before']).label} → {Status.RESOLVED.label}"
    if kind == ActionType.NOTIFY:
        return ", ".join(str(refs.members.get(u, "?")) for u in detail.get("users", []))
    return str(detail.get("error", ""))


STATE_WORDS = {
    "queued": gettext_lazy("queued"),
    "retrying": gettext_lazy("retrying"),
    "done": gettext_lazy("done"),
    "failed": gettext_lazy("failed"),
    "refused": gettext_lazy("not possible here"),
    "pending": gettext_lazy("sending"),
    "sent": gettext_lazy("sent"),
}


@workspace_view()
def rules_log(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    logged = (
        RuleAction.objects.filter(workspace=workspace)
        .select_related("rule", "conversation", "message", "undone_by")
        .order_by("-created_at", "-pk")
    )
    page = Paginator(logged, 50).get_page(request.GET.get("page"))
    refs = WorkspaceRefs.load(workspace)
    rows = [
        {
            "action": action,
            "what": ACTION_LABELS.get(ActionType(action.action), action.action)
            if action.action in set(ActionType)
            else action.action,
            "summary": log_summary(action, refs),
            "state": STATE_WORDS.get(action.detail.get("state", ""), ""),
            "link": _conversation_link(action.conversation_id),
            "undo": rules.offers_undo(action),
            "never": action.action not in UNDOABLE,
        }
        for action in page
    ]
    return render(request, "inbox/rules/log.html", {"rows": rows, "page": page})


@require_POST
@workspace_view(Permission.ANSWER)
def rules_undo(request: WorkspaceRequest, action_id: int) -> HttpResponse:
    action = get_object_or_404(RuleAction, pk=action_id, workspace=request.workspace)
    if rules.undo(action, request.user):
        messages.success(request, _("Undone."))
    else:
        messages.error(request, rules.undo_refusal(action) or _("This could not be undone."))
    back = str(request.POST.get("next", ""))
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}):
        return redirect(back)
    return redirect("inbox:rules_log")
