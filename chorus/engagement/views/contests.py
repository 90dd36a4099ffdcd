"""Contest pages: the list, a contest (create, edit, open, close, draw, substitute, tell the
winners), its entries; the public certificate is in :mod:`.contest_certificate`."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.core.network_errors import Transient
from chorus.engagement import contest_entries, contest_winners, drand
from chorus.engagement import contests as service
from chorus.engagement.forms_contests import ContestForm, ReasonForm
from chorus.engagement.models import Contest, ContestStatus
from chorus.inbox.models import SavedReply
from chorus.inbox.services import InboxRuleBroken
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.permissions import Permission, can


def contest_of(request: WorkspaceRequest, pk: int) -> Contest:
    return get_object_or_404(Contest, pk=pk, workspace=request.workspace)


def back_to(contest: Contest, page: str = "contest") -> HttpResponseBase:
    return redirect(f"engagement:{page}", contest.pk)


def certificate_url(request: WorkspaceRequest, contest: Contest) -> str:
    return request.build_absolute_uri(
        reverse("engagement:contest_certificate", args=[contest.public_id])
    )


@workspace_view(Permission.VIEW)
def contest_list(request: WorkspaceRequest) -> HttpResponse:
    return render(request, "engagement/contest_list.html", {
        "contests": Contest.objects.filter(workspace=request.workspace),
        "can_run": can(request.membership, Permission.RUN_CONTESTS),
    })  # fmt: skip


@workspace_view(Permission.RUN_CONTESTS)
def contest_new(request: WorkspaceRequest) -> HttpResponseBase:
    return _edit(request, Contest(workspace=request.workspace, created_by=request.user))


@workspace_view(Permission.RUN_CONTESTS)
def contest_edit(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    contest = contest_of(request, pk)
    if not contest.is_draft:
        messages.error(
            request,
            _("The contest is open: its rules, closing time and number of winners are committed."),
        )
        return back_to(contest)
    return _edit(request, contest)


def _edit(request: WorkspaceRequest, contest: Contest) -> HttpResponseBase:
    form = ContestForm(request.POST or None, instance=contest, workspace=request.workspace)
    if request.method == "POST" and form.is_valid():
        try:
            contest = service.save_draft(
                form.instance,
                form.cleaned_data["posts"],
                request.user,
                certificate_url(request, contest),
            )
        except service.ContestRuleBroken as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Contest saved. Read the rules, then open it."))
            return back_to(contest)
    return render(request, "engagement/contest_form.html", {"form": form, "contest": contest})


@workspace_view(Permission.VIEW)
def contest_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    contest = contest_of(request, pk)
    entries = contest_entries.entries_of(contest)
    return render(request, "engagement/contest_detail.html", {
        "contest": contest,
        "entries": entries,
        "can_run": can(request.membership, Permission.RUN_CONTESTS),
        "certificate_url": certificate_url(request, contest),
        "problems": service.problems_of(contest),
        "winners": contest_winners.winners_to_tell(contest),
        "alternates": service.alternates_of(contest),
        "saved_replies": SavedReply.objects.filter(workspace=request.workspace),
        "events": contest.events.select_related("by")[:100],
        "round_time": _round_time(contest),
    })  # fmt: skip


def _round_time(contest: Contest) -> object:
    randomness = (contest.spec or {}).get("randomness") or {}
    if randomness.get("source") != "drand":
        return None
    chain = drand.CHAINS.get(str(randomness.get("chain_hash")))
    return drand.round_time(chain, randomness["round"]) if chain else None


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def contest_step(request: WorkspaceRequest, pk: int, step: str) -> HttpResponseBase:
    """Open, close or draw: one button each on the contest's page."""
    contest = contest_of(request, pk)
    done = {
        "open": _("The contest is open: its commitment is published."),
        "close": _("The contest is closed: its entries are frozen."),
        "draw": _("The winners are drawn."),
    }
    if step not in done:
        raise Http404
    try:
        if step == "open":
            service.open_contest(contest, request.user)
        elif step == "close":
            service.close_contest(contest, request.user)
        else:
            service.draw_contest(contest, request.user)
    except service.ContestRuleBroken as refused:
        messages.error(request, str(refused))
    except Transient:
        service.note_draw_waits(contest, request.user)
        messages.info(request, _("The drand round is not out yet: Chorus draws as soon as it is."))
    else:
        messages.success(request, done[step])
    return back_to(contest)


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def contest_substitute(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    contest = contest_of(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the winner is replaced."))
        return back_to(contest)
    try:
        swap = service.substitute(
            contest, form.cleaned_data["entry"], form.cleaned_data["reason"], request.user
        )
    except service.ContestRuleBroken as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, _("%(alternate)s takes the place.") % {"alternate": swap.replacement}
        )
    return back_to(contest)


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def contest_tell(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    contest = contest_of(request, pk)
    saved = request.POST.get("saved_reply", "")
    saved_reply = (
        get_object_or_404(SavedReply, pk=int(saved), workspace=request.workspace)
        if saved.isdigit()
        else None
    )
    try:
        contest_winners.tell_winner(
            contest,
            request.POST.get("entry", ""),
            request.POST.get("text", ""),
            request.user,
            saved_reply=saved_reply,
            privately=request.POST.get("privately") == "on",
        )
    except (service.ContestRuleBroken, InboxRuleBroken) as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The answer is on its way."))
    return back_to(contest)


@workspace_view(Permission.VIEW)
def contest_entries_page(request: WorkspaceRequest, pk: int) -> HttpResponse:
    contest = contest_of(request, pk)
    entries = contest_entries.entries_of(contest)
    return render(request, "engagement/contest_entries.html", {
        "contest": contest,
        "entries": entries,
        "frozen": contest.status in (ContestStatus.CLOSED, ContestStatus.DRAWN),
        "can_run": can(request.membership, Permission.RUN_CONTESTS),
    })  # fmt: skip


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def contest_exclude(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    contest = contest_of(request, pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise service.ContestRuleBroken(_("Say why the entry is excluded."))
        service.exclude_entry(
            contest, form.cleaned_data["entry"], form.cleaned_data["reason"], request.user
        )
    except service.ContestRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(contest, "contest_entries")


@require_POST
@workspace_view(Permission.RUN_CONTESTS)
def contest_restore(request: WorkspaceRequest, pk: int) -> HttpResponseBase:
    contest = contest_of(request, pk)
    try:
        service.restore_entry(contest, request.POST.get("entry", ""), request.user)
    except service.ContestRuleBroken as refused:
        messages.error(request, str(refused))
    return back_to(contest, "contest_entries")
