from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chorus.accounts import ratelimit, twofactor
from chorus.accounts.forms import SignInForm, TotpForm
from chorus.accounts.models import User

PENDING_2FA = "chorus_pending_2fa_user"


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: Chorus has no trusted-proxy setting, and a forwarded header sent by
    # the client itself would let anyone choose their own rate-limit counter.
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


def signin(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None, request=request)
    if request.method == "POST":
        address, email = client_address(request), request.POST.get("email", "")
        if ratelimit.is_blocked(address, email):
            context = {
                "form": SignInForm(request=request),
                "blocked": _(
                    "Too many attempts. Wait a few minutes, or choose a new password with "
                    "“Forgot your password?” to sign in now."
                ),
            }
            return render(request, "accounts/signin.html", context, status=429)
        if form.is_valid() and form.user is not None:
            ratelimit.clear_account(email)
            return continue_signin(request, form.user)
        ratelimit.record_failure(address, email)
    return render(request, "accounts/signin.html", {"form": form, "next": _next_url(request)})


def continue_signin(request: HttpRequest, user: User) -> HttpResponse:
    """The password (or a reset link) is proven: sign in, or ask for the code first."""
    if twofactor.has_two_factor(user):
        request.session[PENDING_2FA] = user.pk
        return redirect(reverse("accounts:signin_code") + _next_query(request))
    return _finish_signin(request, user)


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
        address = client_address(request)
        if ratelimit.code_blocked(address, user.pk):
            form.add_error(None, _("Too many attempts. Wait a few minutes and try again."))
        elif form.is_valid() and twofactor.verify(user, form.cleaned_data["code"]):
            del request.session[PENDING_2FA]
            ratelimit.clear_code(user.pk)
            return _finish_signin(request, user)
        else:
            ratelimit.record_code_failure(address, user.pk)
            if not form.errors:
                form.add_error("code", _("This code is wrong or has expired."))
    return render(request, "accounts/signin_code.html", {"form": form})


@require_POST
def signout(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:signin")


def remember_language(request: HttpRequest, language: str) -> None:
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
    remember_language(request, language)
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
