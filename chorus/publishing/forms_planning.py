"""Forms of the planning pages: queue slots, rescheduling, review remarks, CSV import."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

WEEKDAY_CHOICES = sorted(WEEKDAYS.items())
MAX_IMPORT_BYTES = 5 * 1024 * 1024


class SlotForm(forms.Form):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time"}))


class RescheduleForm(forms.Form):
    """A new local date and time, read in the workspace's zone and refused if already past."""

    at = forms.DateTimeField(
        label=_("New date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args: object, zone: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.zone = ZoneInfo(zone)

    def clean_at(self) -> datetime:
        at: datetime = self.cleaned_data["at"]
        # The field made it aware in the active zone (the workspace's); be explicit anyway.
        local = timezone.make_naive(at, self.zone) if timezone.is_aware(at) else at
        when = local.replace(tzinfo=self.zone)
        if when <= timezone.now():
            raise forms.ValidationError(_("Pick a time in the future."))
        return when


class RequestChangesForm(forms.Form):
    comment = forms.CharField(
        label=_("What should change?"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))

    def clean_file(self) -> UploadedFile:
        uploaded = self.cleaned_data["file"]
        if uploaded.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB; split it in several."))
        return uploaded
