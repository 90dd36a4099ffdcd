from __future__ import annotations

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts.http import SignedInRequest
from chorus.accounts.models import User
from chorus.workspaces import services
from chorus.workspaces.decorators import workspace_view
from chorus.workspaces.forms import InviteForm, RoleForm, WorkspaceForm
from chorus.workspaces.http import WorkspaceRequest
from chorus.workspaces.middleware import SESSION_KEY
from chorus.workspaces.models import Membership, Notification, Role, Workspace
from chorus.workspaces.permissions import Permission, roles_assignable_by


def _interface_language() -> str | None:
    """The language this person uses Chorus in: the likeliest main language of their brand."""
    language = (translation.get_language() or "").split("-")[0]
    return language if language in dict(django_settings.LANGUAGES) else None


@login_required
def create(request: SignedInRequest) -> HttpResponse:
    initial = {"timezone": "Europe/Paris", "language": _interface_language()}
    form = WorkspaceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        user: User = request.user
        workspace = services.create_workspace(
            user,
            form.cleaned_data["name"],
            form.cleaned_data["timezone"],
            form.cleaned_data["language"],
        )
        request.session[SESSION_KEY] = workspace.pk
        messages.success(request, _("Workspace created. Welcome!"))
        return redirect("today")
    return render(request, "workspaces/create.html", {"form": form})


@login_required
@require_POST
def switch(request: SignedInRequest, slug: str) -> HttpResponse:
    # Scoped by the membership: a slug of someone else's workspace is simply not found.
    mine = Membership.objects.filter(user_id=request.user.pk)
    membership = mine.filter(workspace__slug=slug).first()
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.workspace_id
    return redirect("today")


@workspace_view(Permission.VIEW)
def settings_page(request: WorkspaceRequest) -> HttpResponse:
    workspace: Workspace = request.workspace
    can_edit = request.membership.role in ("owner", "admin")
    form = WorkspaceForm(request.POST or None, instance=workspace)
    if request.method == "POST":
        if not can_edit:
            return HttpResponse(status=403)
        if form.is_valid():
            form.save()
            messages.success(request, _("Workspace settings saved."))
            return redirect("workspaces:settings")
    return render(request, "workspaces/settings.html", {"form": form, "can_edit": can_edit})


@workspace_view(Permission.VIEW)
def members(request: WorkspaceRequest) -> HttpResponse:
    membership: Membership = request.membership
    roles = roles_assignable_by(membership)
    form = InviteForm(request.POST or None, roles=roles)
    if request.method == "POST":
        if not roles:
            return HttpResponse(status=403)
        if form.is_valid():
            return _invite(request, membership, form)
    context = _members_context(membership, form)
    return render(request, "workspaces/members.html", context)


def _invite(request: WorkspaceRequest, membership: Membership, form: InviteForm) -> HttpResponse:
    try:
        services.invite(
            membership.workspace,
            form.cleaned_data["email"],
            form.cleaned_data["role"],
            membership.user,
        )
    except services.WorkspaceRuleBroken as error:
        form.add_error("email", str(error))
        return members_page_with(request, form)
    if services.email_can_leave():
        messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
    else:
        messages.warning(
            request,
            _(
                "Chorus cannot send e-mail (no SMTP server is set up). Copy the invitation link "
                "below and send it to %(email)s yourself."
            )
            % form.cleaned_data,
        )
    return redirect("workspaces:members")


def _members_context(membership: Membership, form: InviteForm) -> dict[str, object]:
    workspace = membership.workspace
    return {
        "form": form,
        "roles": roles_assignable_by(membership),
        "role_choices": Role.choices,
        "members": workspace.memberships.select_related("user").order_by("user__email"),
        "invitations": workspace.invitations.filter(accepted_at=None).order_by("email"),
        # Without SMTP the link is the only way to pass an invitation on.
        "show_links": bool(roles_assignable_by(membership)) and not services.email_can_leave(),
        "base_url": django_settings.CHORUS_BASE_URL,
    }


def members_page_with(request: WorkspaceRequest, form: InviteForm) -> HttpResponse:
    membership: Membership = request.membership
    context = _members_context(membership, form)
    return render(request, "workspaces/members.html", context, status=400)


@workspace_view(Permission.MANAGE_MEMBERS)
@require_POST
def change_role(request: WorkspaceRequest, member_id: int) -> HttpResponse:
    me: Membership = request.membership
    target = get_object_or_404(Membership, pk=member_id, workspace=me.workspace)
    form = RoleForm(request.POST)
    if not form.is_valid() or form.cleaned_data["role"] not in roles_assignable_by(me):
        messages.error(request, _("You cannot give this role."))
    elif target.role == "owner" and me.role != "owner":
        messages.error(request, _("Only an owner can change another owner's role."))
    else:
        try:
            services.change_role(target, form.cleaned_data["role"])
            messages.success(request, _("Role changed."))
        except services.WorkspaceRuleBroken as error:
            messages.error(request, str(error))
    return redirect("workspaces:members")


@workspace_view(Permission.MANAGE_MEMBERS)
@require_POST
def remove_member(request: WorkspaceRequest, member_id: int) -> HttpResponse:
    me: Membership = request.membership
    target = get_object_or_404(Membership, pk=member_id, workspace=me.workspace)
    if target.role == "owner" and me.role != "owner":
        messages.error(request, _("Only an owner can remove another owner."))
        return redirect("workspaces:members")
    try:
        services.remove_member(target)
        messages.success(request, _("%(person)s no longer has access.") % {"person": target.user})
    except services.WorkspaceRuleBroken as error:
        messages.error(request, str(error))
    return redirect("workspaces:members")


NOTIFICATIONS_PER_PAGE = 30


def safe_notification_link(link: str) -> str:
    """The link only if it stays on this site: a path like "/inbox/3/". ``//host``, ``/\\host``,
    ``javascript:`` and anything with spaces or control characters would leave it or run code,
    so they are shown as text without a link."""
    if not link.startswith("/") or any(ch.isspace() or ord(ch) < 32 for ch in link):
        return ""
    if not url_has_allowed_host_and_scheme(link, allowed_hosts=set()):
        return ""
    return link


@workspace_view(Permission.VIEW)
def notifications(request: WorkspaceRequest) -> HttpResponse:
    workspace: Workspace = request.workspace
    mine = Notification.objects.filter(user_id=request.user.pk, workspace=workspace)
    page = Paginator(mine.order_by("-created_at", "-pk"), NOTIFICATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    rows = [(n, safe_notification_link(n.link)) for n in page.object_list]
    return render(request, "workspaces/notifications.html", {"page": page, "rows": rows})


@workspace_view(Permission.VIEW)
@require_POST
def notifications_read(request: WorkspaceRequest) -> HttpResponse:
    user: User = request.user
    count = services.mark_notifications_read(user, request.workspace)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("workspaces:notifications")
