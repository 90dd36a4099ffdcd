from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

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
