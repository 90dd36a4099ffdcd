from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.hashers import check_password
from django.utils.translation import gettext_lazy as _

from chorus.accounts.models import User
from chorus.accounts.ratelimit import normalised_email


class SignUpForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def clean_full_name(self) -> str:
        return clean_name(self.cleaned_data["full_name"])

    def clean_email(self) -> str:
        # Whether an account already uses it is told only to the mailbox (see signup.py).
        return normalised_email(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password"):
            candidate = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(data["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


def clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise forms.ValidationError(_("Enter your name."))
    return name


class FinishSignUpForm(forms.Form):
    password = forms.CharField(
        label=_("The password you chose"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args: Any, pending: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = pending

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not check_password(password, self.pending["password"]):
            raise forms.ValidationError(
                _("This is not the password given when the account was asked for.")
            )
        return password


class SignInForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user: User | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        email = normalised_email(data["email"])
        user = authenticate(self.request, email=email, password=data["password"])
        if user is None or not user.is_active:
            raise forms.ValidationError(_("This e-mail and password do not match an account."))
        self.user = user
        return data


class TotpForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code.isdigit() or len(code) not in (6, 8):
            raise forms.ValidationError(_("Enter the 6-digit code shown in your app."))
        return code


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]
        labels = {"full_name": _("Your name"), "language": _("Language")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", _("Same as my browser")), *settings.LANGUAGES]
        self.fields["language"].choices = choices  # type: ignore[attr-defined]
        self.fields["full_name"].required = True  # teammates see it on every assignment

    def clean_full_name(self) -> str:
        return clean_name(self.cleaned_data["full_name"])


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail"))
    password = forms.CharField(
        label=_("Your current password"), widget=forms.PasswordInput, strip=False
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = normalised_email(self.cleaned_data["email"])
        if email == self.user.email:
            raise forms.ValidationError(_("This is already your e-mail."))
        return email

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your current password."))
        return password
