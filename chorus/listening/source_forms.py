"""The form that adds or changes a source, made from its kind's fields.

What a kind needs (a feed address, a hashtag, search words) comes from ``SourceKind.fields``;
the kind's own ``check_settings`` says, in words, why settings cannot work (a private address,
neither hashtag nor words). A kind that reads with an account offers only the workspace's
connected accounts of its network.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.channels.errors import Permanent
from chorus.listening.models import ListeningSource
from chorus.listening.source_services import POLL_CHOICES_SECONDS, SourceFields, channels_for
from chorus.listening.sources.base import SourceKind
from chorus.workspaces.models import Workspace

SETTING_PREFIX = "setting_"
POLL_LABELS = {
    60: _("Every minute"),
    300: _("Every 5 minutes"),
    900: _("Every 15 minutes"),
    3600: _("Every hour"),
}


class SourceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    poll_every_seconds = forms.TypedChoiceField(
        label=_("Read it"),
        coerce=int,
        choices=[(seconds, POLL_LABELS[seconds]) for seconds in POLL_CHOICES_SECONDS],
        initial=300,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        workspace: Workspace,
        kind: type[SourceKind],
        source: ListeningSource | None = None,
    ) -> None:
        super().__init__(data, initial=_initial(source))
        self.kind = kind
        for field in kind.fields:
            self.fields[SETTING_PREFIX + field.name] = _setting_field(field)
        if kind.channel_network is not None:
            self.fields["channel"] = forms.ModelChoiceField(
                label=_("Read with"),
                queryset=channels_for(workspace, kind),
                empty_label=None,
                help_text=_("The connected account whose access this source uses."),
            )

    def setting_fields(self) -> list[forms.BoundField]:
        return [self[SETTING_PREFIX + field.name] for field in self.kind.fields]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            try:
                self.kind.check_settings(self._settings(cleaned))
            except Permanent as refusal:
                raise forms.ValidationError(refusal.message) from None
        return cleaned

    def _settings(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        values = {
            f.name: str(cleaned.get(SETTING_PREFIX + f.name) or "").strip()
            for f in self.kind.fields
        }
        return {name: value for name, value in values.items() if value}

    def source_fields(self) -> SourceFields:
        cleaned = self.cleaned_data
        return SourceFields(
            name=cleaned["name"].strip(),
            settings=self._settings(cleaned),
            channel=cleaned.get("channel"),
            poll_every_seconds=cleaned["poll_every_seconds"],
        )


def _setting_field(field: Any) -> forms.Field:
    options = {"label": field.label, "help_text": field.help_text, "required": field.required}
    if field.kind == "url":
        return forms.URLField(max_length=1000, assume_scheme="https", **options)
    return forms.CharField(max_length=500, **options)


def _initial(source: ListeningSource | None) -> dict[str, Any]:
    if source is None:
        return {}
    settings = {SETTING_PREFIX + name: value for name, value in source.settings.items()}
    return {
        "name": source.name,
        "poll_every_seconds": source.poll_every_seconds,
        "channel": source.channel_id,
        **settings,
    }
