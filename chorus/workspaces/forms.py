from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from chorus.accounts.forms import clean_name
from chorus.accounts.models import User
from chorus.core.timeutil import common_timezones, is_valid_timezone
from chorus.workspaces.models import Role, Workspace


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=[(z, z.replace("_", " ")) for z in common_timezones()], **kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if not is_valid_timezone(value):
            raise forms.ValidationError(_("Choose a time zone from the list."))


class WorkspaceForm(forms.ModelForm):
    timezone = TimeZoneField(label=_("Time zone"))

    class Meta:
        model = Workspace
        fields = ["name", "timezone", "language"]
        labels = {"name": _("Name of the brand or community"), "language": _("Main language")}

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if len(name) < 2:
            raise forms.ValidationError(_("Give the workspace a name of at least 2 characters."))
        return name


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(r, label) for r, label in Role.choices if r in roles]
        self.fields["role"].choices = choices  # type: ignore[attr-defined]
        self.fields["role"].initial = Role.EDITOR  # the safe default, not the first in the list


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class JoinForm(forms.Form):
    """A newcomer's account, made on the invitation page; the address is the invited one."""

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_full_name(self) -> str:
        return clean_name(self.cleaned_data["full_name"])

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        candidate = User(email=self.email, full_name=self.data.get("full_name", ""))
        password_validation.validate_password(password, candidate)
        return password
