"""Approvals, the crisis pause, and the list of posts held while publishing was paused."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from chorus.accounts.models import User
from chorus.publishing import planning, services
from chorus.publishing.approvals import approve as approve_post
from chorus.publishing.approvals import request_changes as send_back
from chorus.publishing.forms_planning import RequestChangesForm
from chorus.publishing.models import Post, PostKind, PostTarget, State, WorkspacePublishing
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission

# Approvals


@workspace_view(Permission.APPROVE)
def approvals(request: WorkspaceRequest) -> HttpResponse:
    posts = planning.awaiting_approval(request.workspace).prefetch_related(
        "targets__channel", "comments"
    )
    return render(
        request, "publishing/approvals.html", {"posts": posts, "form": RequestChangesForm()}
    )


def _post(request: WorkspaceRequest, post_id: int) -> Post:
    return get_object_or_404(
        Post,
        pk=post_id,
        workspace=request.workspace,
        kind=PostKind.POST,
    )


@require_POST
@workspace_view(Permission.APPROVE)
def approve(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    try:
        scheduled = approve_post(post, request.user)
    except services.PublishingRuleBroken as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            ngettext(
                "Approved: %(count)d variant is scheduled.",
                "Approved: %(count)d variants are scheduled.",
                len(scheduled),
            )
            % {"count": len(scheduled)},
        )
    return redirect("publishing:approvals")


@require_POST
@workspace_view(Permission.APPROVE)
def request_changes(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    form = RequestChangesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what should change, so the author knows what to do."))
        return redirect("publishing:approvals")
    try:
        send_back(post, request.user, form.cleaned_data["comment"])
    except services.PublishingRuleBroken as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Sent back as a draft, with your remark."))
    return redirect("publishing:approvals")


# Pause and resume. APPROVE rather than MANAGE_WORKSPACE: in a crisis the editor on duty must be
# able to pull the brake at once, and pausing loses nothing (what falls due is held, not sent).


@workspace_view(Permission.APPROVE)
def pause(request: WorkspaceRequest) -> HttpResponse:
    workspace = request.workspace
    if request.method == "POST":
        services.pause_workspace(workspace, by=request.user)
        messages.success(request, _("All publishing is paused. Nothing goes out until you resume."))
        return redirect("publishing:pause")
    switches = WorkspacePublishing.objects.filter(workspace=workspace).first()
    soon = PostTarget.objects.filter(
        workspace=workspace,
        state=State.SCHEDULED,
        held=False,
        due_at__lte=timezone.now() + timedelta(hours=24),
    ).count()
    return render(request, "publishing/pause.html", {"switches": switches, "due_soon": soon})


@require_POST
@workspace_view(Permission.APPROVE)
def resume(request: WorkspaceRequest) -> HttpResponse:
    held = services.resume_workspace(request.workspace)
    if not held:  # nothing to decide about: no "0 posts … decide about them", no empty list
        messages.success(request, _("Publishing resumed."))
        return redirect("publishing:calendar")
    messages.success(
        request,
        ngettext(
            "Publishing resumed. %(count)d post fell due meanwhile: decide about it.",
            "Publishing resumed. %(count)d posts fell due meanwhile: decide about them.",
            len(held),
        )
        % {"count": len(held)},
    )
    return redirect("publishing:held")


# Held while paused


def _held(request: WorkspaceRequest) -> QuerySet[PostTarget]:
    return (
        PostTarget.objects.filter(
            workspace=request.workspace,
            state=State.SCHEDULED,
            held=True,
        )
        .select_related("post", "channel")
        .order_by("scheduled_at")
    )


@workspace_view()
def held(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "publishing/held.html", {"held": _held(request)})


ACTIONS = ("publish", "drop")


def _act(action: str, targets: list[PostTarget], by: User) -> int:
    done = 0
    for target in targets:
        try:
            if action == "publish":
                services.publish_now(target, by=by)
            else:
                services.drop(target)
        except services.PublishingRuleBroken:
            continue  # already moved on (published, or changed by someone else meanwhile)
        done += 1
    return done


def _said(action: str, count: int) -> str:
    if action == "publish":
        return ngettext(
            "%(count)d post is going out now.", "%(count)d posts are going out now.", count
        ) % {"count": count}
    return ngettext(
        "%(count)d post taken out of the plan (kept as a draft).",
        "%(count)d posts taken out of the plan (kept as drafts).",
        count,
    ) % {"count": count}


@require_POST
@workspace_view(Permission.PUBLISH_WITHOUT_APPROVAL)
def held_action(request: WorkspaceRequest, target_id: int) -> HttpResponse:
    target = get_object_or_404(_held(request), pk=target_id)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Choose what to do with the post."))
        return redirect("publishing:held")
    messages.success(request, _said(action, _act(action, [target], request.user)))
    return redirect("publishing:held")


@require_POST
@workspace_view(Permission.PUBLISH_WITHOUT_APPROVAL)
def held_bulk(request: WorkspaceRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, _("Choose what to do with the posts."))
        return redirect("publishing:held")
    messages.success(request, _said(action, _act(action, list(_held(request)), request.user)))
    return redirect("publishing:held")
