"""Forms for connecting and setting up channels.

``ConnectForm`` is one form for every network connected by typing credentials; its fields come
from :func:`chorus.channels.connect_fields.connect_fields`. Secrets are password inputs that never
render their value, so a refused form does not send a token back to the browser.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.channels.base import Network
from chorus.channels.connect_fields import (
    CREDENTIAL,
    SETTING,
    SIGN_IN,
    ConnectField,
    connect_fields,
)
from chorus.channels.connecting import Entered
from chorus.channels.server_address import BadAddress, server_address

MIN_POLL_SECONDS = 30
MAX_POLL_SECONDS = 24 * 3600


class ConnectForm(forms.Form):
    name = forms.CharField(
        label=_("Name in Chorus"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to use the account's own name."),
    )

    def __init__(self, *args: Any, network: type[Network], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.spec = {f.name: f for f in connect_fields(network)}
        name_field = self.fields.pop("name")
        for spec in self.spec.values():
            self.fields[spec.name] = _form_field(spec)
        self.fields["name"] = name_field  # last: the least important question

    @property
    def first_sign_in(self) -> str | None:
        """Where the network's "or sign in" fields start (the form shows a divider there)."""
        return next((n for n, s in self.spec.items() if s.kind == SIGN_IN), None)

    @property
    def first_secret(self) -> str | None:
        return next((n for n, s in self.spec.items() if s.secret), None)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, spec in self.spec.items():
            value = cleaned.get(name)
            if spec.is_url and value:
                try:
                    cleaned[name] = server_address(str(value))
                except BadAddress as bad:
                    self.add_error(name, str(bad))
        self._check_one_of(cleaned)
        return cleaned

    def _check_one_of(self, cleaned: dict[str, Any]) -> None:
        one_of = self.network.one_of
        if one_of and not any(all(cleaned.get(name) for name in group) for group in one_of):
            self.add_error(None, str(self.network.one_of_message))

    def entered(self) -> Entered:
        """The cleaned values sorted by where they go; empty optional values are left out."""
        sorted_values: dict[str, dict[str, Any]] = {CREDENTIAL: {}, SETTING: {}, SIGN_IN: {}}
        for name, spec in self.spec.items():
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                sorted_values[spec.kind][name] = value
        return Entered(
            credentials=sorted_values[CREDENTIAL],
            settings=sorted_values[SETTING],
            sign_in=sorted_values[SIGN_IN],
        )


def _form_field(spec: ConnectField) -> forms.CharField:
    attrs = {"autocomplete": "off", "spellcheck": "false"}
    widget: forms.Widget
    if spec.secret:
        # render_value=False: a refused form never sends the secret back to the browser.
        widget = forms.PasswordInput(attrs={**attrs, "autocomplete": "new-password"})
    else:
        widget = forms.TextInput(attrs=attrs)
    return forms.CharField(
        label=spec.label,
        help_text=spec.help_text,
        required=spec.required,
        max_length=2000,
        widget=widget,
        # Pasted tokens often carry a newline; a password may really end with a space.
        strip=spec.strip,
    )


class ChannelSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name in Chorus"), max_length=120)
    poll_every_seconds = forms.IntegerField(
        label=_("Check the inbox every (seconds)"),
        min_value=MIN_POLL_SECONDS,
        max_value=MAX_POLL_SECONDS,
        help_text=_("At least 30 seconds. Networks limit how often Chorus may ask."),
    )

    def __init__(self, *args: Any, has_inbox: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_inbox:
            del self.fields["poll_every_seconds"]

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data["name"]).split())
        if not name:
            raise forms.ValidationError(_("Give the channel a name."))
        return name
