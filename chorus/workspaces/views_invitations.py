"""The invitation link: a newcomer creates their account there, a person with an account signs
in; either way only the invited address can join, and they land in the workspace."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.workspaces import services
from chorus.workspaces.forms import JoinForm
from chorus.workspaces.middleware import SESSION_KEY
from chorus.workspaces.models import Invitation, Membership


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = Invitation.objects.select_related("workspace").filter(token=token).first()
    if invitation is None or not invitation.is_usable:
        return render(request, "workspaces/invitation_invalid.html", status=404)
    if not request.user.is_authenticated:
        return _newcomer_or_sign_in(request, invitation)
    user: User = request.user
    if not services.is_for(invitation, user):
        context = {"invitation": invitation}
        return render(request, "workspaces/invitation_wrong_person.html", context, status=403)
    if request.method == "POST":
        return _welcome(request, services.accept_invitation(invitation, user))
    return render(request, "workspaces/invitation.html", {"invitation": invitation})


def _newcomer_or_sign_in(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    # Only the holder of the link learns whether the invited address has an account here.
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    form = None if has_account else JoinForm(request.POST or None, email=invitation.email)
    if form is not None and request.method == "POST" and form.is_valid():
        membership = services.join_as_newcomer(
            invitation, form.cleaned_data["full_name"], form.cleaned_data["password"]
        )
        login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
        return _welcome(request, membership)
    context = {
        "invitation": invitation,
        "form": form,
        "signin_url": reverse("accounts:signin") + "?next=" + request.path,
    }
    return render(request, "workspaces/invitation.html", context)


def _welcome(request: HttpRequest, membership: Membership) -> HttpResponse:
    request.session[SESSION_KEY] = membership.workspace_id
    messages.success(request, _("You joined %(name)s.") % {"name": membership.workspace.name})
    return redirect("today")
