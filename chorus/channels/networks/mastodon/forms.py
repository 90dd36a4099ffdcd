"""The first step of connecting Mastodon: which server the person signs in at."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MastodonInstanceForm(forms.Form):
    instance = forms.CharField(
        label=_("Your Mastodon server"),
        max_length=255,
        help_text=_("The address you sign in at, like mastodon.social or https://piaille.fr."),
        widget=forms.TextInput(
            attrs={"placeholder": "mastodon.social", "autocomplete": "url", "autofocus": True}
        ),
    )
