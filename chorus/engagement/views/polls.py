"""Polls: the list, the new poll form, a poll's results; reading and closing now."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.engagement import poll_results, poll_tallies, polls
from chorus.engagement.forms_polls import PollForm
from chorus.engagement.models.polls import Poll
from chorus.publishing.services import PublishingRuleBroken
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def _poll(request: WorkspaceRequest, poll_id: int) -> Poll:
    return get_object_or_404(
        Poll.objects.select_related("post", "results_post"),
        pk=poll_id,
        workspace=request.workspace,
    )


@workspace_view()
def poll_list(request: WorkspaceRequest) -> HttpResponse:
    found = Poll.objects.filter(workspace=request.workspace).prefetch_related("tallies")
    context = {"polls": found, "can_run": can(request.membership, Permission.RUN_CONTESTS)}
    return render(request, "engagement/polls.html", context)


@workspace_view(Permission.RUN_CONTESTS)
def poll_new(request: WorkspaceRequest) -> HttpResponse:
    form = PollForm(request.POST or None, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = polls.create_poll(
                request.workspace,
                request.user,
                data["question"],
                form.choices(),
                data["closes_at"],
                list(data["channels"]),
            )
            polls.publish_poll(poll, request.user)
        except (polls.PollRefused, PublishingRuleBroken) as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Poll created and sent to its channels."))
            return redirect("engagement:poll", poll.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "engagement/poll_new.html", {"form": form}, status=status)


@workspace_view()
def poll_page(request: WorkspaceRequest, poll_id: int) -> HttpResponse:
    poll = _poll(request, poll_id)
    results = poll_results.results_of(poll)
    context = {
        "poll": poll,
        "results": results,
        "chart": poll_results.chart(poll, results),
        "can_run": can(request.membership, Permission.RUN_CONTESTS),
    }
    return render(request, "engagement/poll.html", context)


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def poll_read(request: WorkspaceRequest, poll_id: int) -> HttpResponse:
    poll = _poll(request, poll_id)
    if not poll.is_closed:
        poll_tallies.tally_poll(poll)
        messages.success(request, _("Counts read from each network."))
    return redirect("engagement:poll", poll.pk)


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def poll_close(request: WorkspaceRequest, poll_id: int) -> HttpResponse:
    poll = _poll(request, poll_id)
    poll_tallies.close_poll(poll)
    messages.success(request, _("Poll closed. The results post waits for approval."))
    return redirect("engagement:poll", poll.pk)
