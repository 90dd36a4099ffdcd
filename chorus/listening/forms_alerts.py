"""Forms of the alert settings page: one's own preferences, and the workspace's destinations."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.channels.models import Channel
from chorus.core.links import safe_url
from chorus.listening.models import AlertPreference, ListeningQuery
from chorus.workspaces.models import Workspace


class AlertPreferenceForm(forms.ModelForm):
    class Meta:
        model = AlertPreference
        fields = ["by_email", "negative_only", "queries"]
        labels = {"queries": _("Only these queries")}
        help_texts = {
            "by_email": _("Alerts always reach you in Chorus; tick to get them by e-mail too."),
            "queries": _("Tick none to get the alerts of every query."),
        }
        widgets = {"queries": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["queries"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = ListeningQuery.objects.filter(workspace=workspace)


class WebhookDestinationForm(forms.Form):
    url = forms.URLField(
        label=_("Address that receives the alerts"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Chorus sends each alert as JSON, signed with a secret shown once."),
    )

    def clean_url(self) -> str:
        url = safe_url(self.cleaned_data["url"])
        if not url:
            raise forms.ValidationError(_("Give an http or https address."))
        return url


class ChannelDestinationForm(forms.Form):
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        help_text=_("A Matrix room, Telegram chat or Discord channel of your team."),
    )

    def __init__(self, *args: Any, channels: list[Channel], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["channel"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Channel.objects.filter(pk__in=[c.pk for c in channels])
