"""Sign-up pages: the form, the "check your e-mail" answer, and the link that finishes it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from chorus.accounts import ratelimit
from chorus.accounts import signup as signups
from chorus.accounts.forms import FinishSignUpForm, SignUpForm
from chorus.accounts.models import User
from chorus.accounts.views import client_address


def _after_signup(request: HttpRequest, next_url: str) -> str:
    """Where a new person goes: the invitation they came from, else creating a workspace."""
    if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        return next_url
    return reverse("workspaces:create")


def _sign_in_new(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if user.language:
        request.session["chorus_language"] = user.language
    return redirect(_after_signup(request, next_url))


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        language = translation.get_language() or ""
        if signups.is_first_account():
            user = User.objects.create_user(
                email=data["email"],
                password=data["password"],
                full_name=data["full_name"],
                language=language,
            )
            return _sign_in_new(request, user, next_url)
        _send_next_step(request, data, language, next_url)
        return render(request, "accounts/signup_sent.html")
    return render(request, "accounts/signup.html", {"form": form})


def _send_next_step(
    request: HttpRequest, data: dict[str, Any], language: str, next_url: str
) -> None:
    email = data["email"]
    if not ratelimit.may_send_email(client_address(request), email):
        return  # the same page as always; the mailbox is not flooded
    # Hashed on both paths: the hash takes most of the time, so the answer's delay does not
    # tell which addresses have an account either.
    token = signups.pending_token(email, data["full_name"], data["password"], language, next_url)
    if signups.account_exists(email):
        signin = request.build_absolute_uri(reverse("accounts:signin"))
        reset = request.build_absolute_uri(reverse("accounts:password_reset"))
        signups.send_already_registered(email, signin, reset)
        return
    link = request.build_absolute_uri(reverse("accounts:signup_finish", args=[token]))
    signups.send_finish_link(email, link)


def signup_finish(request: HttpRequest, token: str) -> HttpResponse:
    pending = signups.read_pending(token)
    if pending is None:
        return render(request, "accounts/signup_link_invalid.html", status=404)
    if signups.account_exists(pending["email"]):
        messages.info(request, _("Your account already exists. Sign in."))
        return redirect("accounts:signin")
    form = FinishSignUpForm(request.POST or None, pending=pending)
    if request.method == "POST" and form.is_valid():
        user = signups.create_account(
            pending["email"], pending["name"], pending["password"], pending["language"]
        )
        return _sign_in_new(request, user, pending["next"])
    return render(request, "accounts/signup_finish.html", {"form": form, "pending": pending})
