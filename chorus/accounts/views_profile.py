"""Your profile: name and language, password, sign-in e-mail, two-factor authentication."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts import email_change, ratelimit, twofactor
from chorus.accounts.forms import EmailChangeForm, ProfileForm, TotpForm
from chorus.accounts.http import SignedInRequest
from chorus.accounts.models import User
from chorus.accounts.views import client_address, remember_language
from chorus.core.outgoing_mail import email_can_leave


def _profile_page(request: SignedInRequest, status: int = 200, **forms: Any) -> HttpResponse:
    user: User = request.user
    context: dict[str, Any] = {
        "form": forms.get("form") or ProfileForm(instance=user),
        "password_form": forms.get("password_form") or PasswordChangeForm(user),
        "email_form": forms.get("email_form") or EmailChangeForm(user=user),
        "has_two_factor": twofactor.has_two_factor(user),
    }
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def profile(request: SignedInRequest) -> HttpResponse:
    user: User = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method != "POST":
        return _profile_page(request, form=form)
    if not form.is_valid():
        return _profile_page(request, 400, form=form)
    form.save()
    remember_language(request, user.language)
    messages.success(request, _("Your profile is saved."))
    return redirect("accounts:profile")


@login_required
@require_POST
def change_password(request: SignedInRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _profile_page(request, 400, password_form=form)
    user = form.save()
    update_session_auth_hash(request, user)  # stay signed in here; other sessions end
    messages.success(request, _("Your password is changed."))
    return redirect("accounts:profile")


@login_required
@require_POST
def change_email(request: SignedInRequest) -> HttpResponse:
    user: User = request.user
    form = EmailChangeForm(request.POST, user=user)
    if not form.is_valid():
        return _profile_page(request, 400, email_form=form)
    new_email = form.cleaned_data["email"]
    if ratelimit.may_send_email(client_address(request), new_email):
        token = email_change.change_token(user, new_email)
        link = request.build_absolute_uri(reverse("accounts:email_confirm", args=[token]))
        email_change.send_confirmation(user, new_email, link)
    if email_can_leave():
        said = _("We sent a link to %(email)s. Your e-mail changes when you open it.")
    else:  # the link is only printed in the server's log: say so rather than "sent"
        said = _(
            "Chorus cannot send e-mail (no SMTP server is set up): the link for %(email)s is "
            "in the server's log. Your e-mail changes when it is opened."
        )
    messages.success(request, said % {"email": new_email})
    return redirect("accounts:profile")


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = email_change.apply_change(token)
    except email_change.EmailTaken:
        user = None
    if user is None:
        return render(request, "accounts/email_change_invalid.html", status=404)
    messages.success(request, _("Your e-mail is now %(email)s.") % {"email": user.email})
    return redirect("accounts:profile" if request.user.is_authenticated else "accounts:signin")


@login_required
def two_factor_setup(request: SignedInRequest) -> HttpResponse:
    user: User = request.user
    if twofactor.has_two_factor(user):
        return redirect("accounts:profile")
    device = twofactor.pending_device(user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm(device, form.cleaned_data["code"]):
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:profile")
        form.add_error("code", _("This code is wrong or has expired."))
    context = {
        "form": form,
        "qr_svg": twofactor.qr_code_svg(device),
        "device": device,
        "secret": twofactor.secret_for_typing(device),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
def two_factor_disable(request: SignedInRequest) -> HttpResponse:
    user: User = request.user
    form = TotpForm(request.POST)
    if form.is_valid() and twofactor.verify(user, form.cleaned_data["code"]):
        twofactor.disable(user)
        messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, _("This code is wrong or has expired. Nothing changed."))
    return redirect("accounts:profile")
