"""The post page (variants, attempt log, approval, team comments) and the list of posts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts.http import SignedInRequest
from chorus.accounts.models import User
from chorus.channels.models import Channel
from chorus.publishing import approvals, deleting, services
from chorus.publishing.approval_rule import waits_on
from chorus.publishing.forms import CommentForm, RescheduleForm
from chorus.publishing.models import Post, PostKind, PostTarget, PublishAttempt, State
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.models import Workspace
from chorus.workspaces.permissions import Permission, can

PAGE_SIZE = 30


def _workspace(request: WorkspaceRequest) -> Workspace:
    return request.workspace


def _posts(request: WorkspaceRequest) -> Any:
    return Post.objects.filter(workspace=_workspace(request), kind=PostKind.POST)


def _post(request: WorkspaceRequest, post_id: int) -> Post:
    return get_object_or_404(_posts(request), pk=post_id)


@workspace_view()
def post_list(request: WorkspaceRequest) -> HttpResponse:
    workspace = _workspace(request)
    channels = list(Channel.objects.of(workspace))
    state = request.GET.get("state", "")
    channel_id = request.GET.get("channel", "")
    posts = _posts(request).select_related("author")
    if state in State.values:
        posts = posts.filter(targets__state=state)
    if state != State.DELETED:  # deleted posts are kept for their log, found by that filter only
        posts = deleting.live(posts)
    if channel_id.isdigit():
        posts = posts.filter(targets__channel_id=int(channel_id))
    posts = posts.distinct().annotate(comment_count=Count("comments", distinct=True))
    posts = posts.order_by("-created_at", "-pk")
    posts = posts.prefetch_related(
        Prefetch("targets", queryset=PostTarget.objects.select_related("channel").order_by("pk"))
    )
    page = Paginator(posts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "channels": channels,
        "states": State.choices,
        "chosen_state": state,
        "chosen_channel": channel_id,
    }
    return render(request, "publishing/post_list.html", context)


# While a variant may still move on its own (the worker publishes it), an open post page polls.
MOVING = (State.SCHEDULED, State.PUBLISHING, State.UNCONFIRMED)


def _live_stamp(post: Post) -> str:
    """Changes when a variant moves; "" when none can move without someone acting."""
    states = list(post.targets.order_by("pk").values_list("pk", "state", "version", "attempts"))
    if not any(state in MOVING for _pk, state, _version, _tries in states):
        return ""
    return ".".join(f"{pk}-{state}-{version}-{tries}" for pk, state, version, tries in states)


@workspace_view()
def post_page(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    stamp = _live_stamp(post)
    if "v" in request.GET and request.GET["v"] == stamp:
        return HttpResponse(status=204)  # the open page is up to date: one query, no render
    user: User = request.user
    membership = request.membership
    targets = list(
        post.targets.select_related("channel")
        .prefetch_related("media", Prefetch("attempt_log", queryset=PublishAttempt.objects.all()))
        .order_by("pk")
    )
    rows = [
        (t, services.problems_of_target(t) if t.state in services.EDITABLE else []) for t in targets
    ]
    # Waiting means a variant waits: a post sent back as a draft does not say it does.
    waiting = any(t.state == State.AWAITING_APPROVAL for t in targets)
    context = {
        "post": post,
        "rows": rows,
        "comments": post.comments.select_related("author"),
        "comment_form": CommentForm(),
        "reschedule_form": RescheduleForm(),
        "editable_states": services.EDITABLE,
        "can_compose": can(membership, Permission.COMPOSE),
        # "Publish now" only for those whose "now" is now; a contributor's would wait.
        "can_publish": can(membership, Permission.PUBLISH_WITHOUT_APPROVAL),
        "waiting_for_approval": waiting,
        "words_are_mine": waits_on(post) == user.pk,
        "can_approve": waiting
        and can(membership, Permission.APPROVE)
        and waits_on(post) != user.pk,
        "can_delete": deleting.may_delete(post, user),
        "live_stamp": stamp,
        "live_seconds": settings.CHORUS_LIVE_UPDATE_SECONDS,
        # The rule of approvals.add_comment: those who write or approve posts.
        "can_comment": can(membership, Permission.COMPOSE) or can(membership, Permission.APPROVE),
    }
    return render(request, "publishing/post_page.html", context)


VERBS = ("publish-now", "retry", "reschedule", "drop")


@require_POST
@workspace_view(Permission.COMPOSE)
def variant_action(request: WorkspaceRequest, target_id: int, verb: str) -> HttpResponse:
    """One variant's actions: publish now, retry a failure, reschedule, take out of the plan."""
    if verb not in VERBS:
        raise Http404
    target = get_object_or_404(
        services.targets_of(_workspace(request)).filter(post__kind=PostKind.POST), pk=target_id
    )
    try:
        _act_on_variant(request, target, verb)
    except services.PublishingRuleBroken as refused:
        messages.error(request, str(refused))
    return redirect("publishing:post", post_id=target.post_id)


def _act_on_variant(request: SignedInRequest, target: PostTarget, verb: str) -> None:
    user: User = request.user
    if verb == "drop":
        services.drop(target)
        messages.success(request, _("%(channel)s: back to draft.") % {"channel": target.channel})
        return
    when = None
    if verb == "reschedule":
        form = RescheduleForm(request.POST)
        if not form.is_valid():
            raise services.PublishingRuleBroken(_("Choose a valid date and time."))
        when = form.cleaned_data["when"]
    services.ensure_publishable([target])
    if when is None:
        services.publish_now(target, by=user)
    else:
        services.reschedule(target, when, by=user)
    if target.state == State.AWAITING_APPROVAL:
        messages.success(request, _("Waiting for approval."))
    else:
        messages.success(request, _("%(channel)s: on its way.") % {"channel": target.channel})


@require_POST
@workspace_view(Permission.APPROVE)
def approve(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    try:
        approvals.approve(post, request.user)
    except services.PublishingRuleBroken as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Approved."))
    return redirect("publishing:post", post_id=post.pk)


@require_POST
@workspace_view(Permission.APPROVE)
def needs_changes(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    try:
        approvals.request_changes(post, request.user, request.POST.get("text", ""))
    except services.PublishingRuleBroken as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Sent back as a draft, with your remark."))
    return redirect("publishing:post", post_id=post.pk)


@require_POST
@workspace_view()
def comment(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    post = _post(request, post_id)
    try:
        approvals.add_comment(post, request.user, request.POST.get("text", ""))
    except services.PublishingRuleBroken as refused:
        messages.error(request, str(refused))
    return redirect(reverse("publishing:post", args=[post.pk]) + "#comments")


@workspace_view(Permission.COMPOSE)
def delete(request: WorkspaceRequest, post_id: int) -> HttpResponse:
    """Asks first, saying what happens to each variant (on the network too); then deletes."""
    post = _post(request, post_id)
    user: User = request.user
    if not deleting.may_delete(post, user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            deleting.delete_post(post, user)
        except services.PublishingRuleBroken as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The post is deleted."))
        return redirect("publishing:post", post_id=post.pk)
    context = {"post": post, "steps": deleting.steps_of(post)}
    return render(request, "publishing/post_delete.html", context)
