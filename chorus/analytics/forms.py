"""The date range a person picks on the analytics pages: presets, a month, or any two days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.analytics.periods import Period

MAX_DAYS = 732  # two years: longer than any history the dashboard keeps worth comparing
PRESETS = (
    ("7", _("Last 7 days")),
    ("30", _("Last 30 days")),
    ("90", _("Last 90 days")),
    ("month", _("This month")),
    ("last_month", _("Last month")),
    ("custom", _("From … to …")),
)


class RangeForm(forms.Form):
    range = forms.ChoiceField(label=_("Period"), choices=PRESETS, required=False)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))

    def __init__(self, data: Any, today: date) -> None:
        super().__init__(data)
        self.today = today
        self.fields["range"].initial = "30"  # what an unchosen period shows

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (cleaned.get("range") or "30") != "custom":
            return cleaned
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            raise forms.ValidationError(_("Give both the first and the last day."))
        if end < start:
            raise forms.ValidationError(_("The last day comes before the first."))
        if (end - start).days + 1 > MAX_DAYS:
            raise forms.ValidationError(_("Choose at most %(days)s days.") % {"days": MAX_DAYS})
        return cleaned

    def period(self) -> Period:
        """The chosen period; the last 30 days when nothing (valid) was chosen."""
        default = Period.last_days(30, self.today)
        if not self.is_valid():
            return default
        choice = self.cleaned_data.get("range") or "30"
        if choice in ("7", "30", "90"):
            return Period.last_days(int(choice), self.today)
        if choice == "month":
            return Period(self.today.replace(day=1), self.today)
        if choice == "last_month":
            last = self.today.replace(day=1) - timedelta(days=1)
            return Period.month(last.year, last.month)
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])
