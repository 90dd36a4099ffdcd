from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts import ratelimit, twofactor
from chorus.accounts.forms import ProfileForm, SignInForm, SignUpForm, TotpForm
from chorus.accounts.models import User

PENDING_2FA = "chorus_pending_2fa_user"


def _client_address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("today")


def _finish_signin(request: HttpRequest, user: User) -> HttpResponse:
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    if user.language:
        request.session["chorus_language"] = user.language
    return redirect(_next_url(request))


def signup(request: HttpRequest) -> HttpResponse:
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.create_user(
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password"],
            full_name=form.cleaned_data["full_name"],
            language=translation.get_language() or "",
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("workspaces:create")
    return render(request, "accounts/signup.html", {"form": form})


def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST":
        address, email = _client_address(request), request.POST.get("email", "")
        if ratelimit.is_blocked(address, email):
            context = {
                "form": SignInForm(request=request),
                "blocked": _("Too many attempts. Wait a few minutes and try again."),
            }
            return render(request, "accounts/signin.html", context, status=429)
        if form.is_valid() and form.user is not None:
            ratelimit.clear(address, email)
            if twofactor.has_two_factor(form.user):
                request.session[PENDING_2FA] = form.user.pk
                return redirect(reverse("accounts:signin_code") + _next_query(request))
            return _finish_signin(request, form.user)
        ratelimit.record_failure(address, email)
    return render(request, "accounts/signin.html", {"form": form, "next": _next_url(request)})


def _next_query(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    return f"?next={target}" if target else ""


def signin_code(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING_2FA)
    user = User.objects.filter(pk=pending).first() if pending else None
    if user is None:
        return redirect("accounts:signin")
    form = TotpForm(request.POST or None)
    if request.method == "POST":
        address = _client_address(request)
        if ratelimit.is_blocked(address, user.email):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        elif form.is_valid() and twofactor.verify(user, form.cleaned_data["code"]):
            del request.session[PENDING_2FA]
            ratelimit.clear(address, user.email)
            return _finish_signin(request, user)
        else:
            ratelimit.record_failure(address, user.email)
            if not form.errors:
                form.add_error("code", _("This code is wrong or has expired."))
    return render(request, "accounts/signin_code.html", {"form": form})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:signin")


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        form.save()
        _remember_language(request, user.language)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    context: dict[str, Any] = {"form": form, "has_two_factor": twofactor.has_two_factor(user)}
    return render(request, "accounts/profile.html", context)


def _remember_language(request: HttpRequest, language: str) -> None:
    if language:
        request.session["chorus_language"] = language
        translation.activate(language)
    else:
        request.session.pop("chorus_language", None)


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    language = request.POST.get("language", "")
    if language not in {"en", "fr"}:
        language = "en"
    _remember_language(request, language)
    if request.user.is_authenticated:
        User.objects.filter(pk=request.user.pk).update(language=language)
    response = redirect(_next_url(request))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if twofactor.has_two_factor(user):
        return redirect("accounts:profile")
    device = twofactor.pending_device(user)
    form = TotpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.confirm(device, form.cleaned_data["code"]):
            messages.success(request, _("Two-factor authentication is on."))
            return redirect("accounts:profile")
        form.add_error("code", _("This code is wrong or has expired."))
    context = {"form": form, "qr_svg": twofactor.qr_code_svg(device), "device": device}
    return render(request, "accounts/two_factor_setup.html", context)


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TotpForm(request.POST)
    if form.is_valid() and twofactor.verify(user, form.cleaned_data["code"]):
        twofactor.disable(user)
        messages.success(request, _("Two-factor authentication is off."))
    else:
        messages.error(request, _("This code is wrong or has expired. Nothing changed."))
    return redirect("accounts:profile")
