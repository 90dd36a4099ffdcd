"""Password reset: Django's views, with a limit on the e-mails and a way back in for a person
whose account is locked by someone else's wrong guesses."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from chorus.accounts import ratelimit
from chorus.accounts.views import client_address, continue_signin


class ResetForm(PasswordResetForm):
    # Our word, not Django's ("Courriel" in French): every other page says "E-mail".
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ResetPassword(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_sent")

    def form_valid(self, form: Any) -> HttpResponse:
        # Over the limit the page says the same as always ("check your e-mail"), so the limit
        # reveals nothing about which addresses have an account.
        email = form.cleaned_data["email"]
        if not ratelimit.may_send_email(client_address(self.request), email):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)


class ChooseNewPassword(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        """The link proves the person holds the mailbox: lift the lock on the account and sign
        them in (through the code step if they use two-factor), whoever keeps guessing."""
        response = super().form_valid(form)
        user = form.user
        if not user.is_active:  # a deactivated account keeps its new password, not a session
            return response
        ratelimit.clear_account(user.email)
        return continue_signin(self.request, user)
