"""Forms of the reports pages: build a report by hand, and a schedule that sends one."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chorus.accounts.models import User
from chorus.analytics.models import ReportFrequency, ReportSchedule
from chorus.analytics.report_schedules import outside_addresses
from chorus.analytics.reports.building import FORMAT_KEYS
from chorus.analytics.reports.periods import BadPeriod, ReportPeriod, days, parse_period
from chorus.analytics.reports.sections import SECTION_KEYS, section_choices
from chorus.workspaces.models import Workspace

PERIOD_KINDS = (("month", _("A month")), ("week", _("A week")), ("custom", _("From … to …")))
MISSING = {"month": _("Choose the month."), "week": _("Choose the week.")}
FORMAT_CHOICES = (
    ("pdf", _("PDF (to read and print)")),
    ("csv", _("CSV files, zipped (to work on the figures)")),
    ("pptx", _("PowerPoint slides (editable charts)")),
)


def sections_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Sections"),
        choices=section_choices,
        initial=list(SECTION_KEYS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one section.")},
    )


def formats_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("Formats"),
        choices=FORMAT_CHOICES,
        initial=list(FORMAT_KEYS),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one format.")},
    )


class ReportForm(forms.Form):
    """Which period (a month, an ISO week, or any days), which sections, which formats."""

    kind = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_KINDS, initial="month", widget=forms.RadioSelect
    )
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.DateInput({"type": "month"})
    )
    week = forms.CharField(
        label=_("Week"), required=False, widget=forms.DateInput({"type": "week"})
    )
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    sections = sections_field()
    formats = formats_field()

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        last_month = ReportPeriod.month_before(today)
        self.fields["month"].initial = last_month.code
        self.fields["week"].initial = ReportPeriod.week_before(today).code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        try:
            if kind == "month":
                cleaned["period"] = self.period_from("month", "month")
            elif kind == "week":
                cleaned["period"] = self.period_from("week", "week")
            elif kind == "custom":
                cleaned["period"] = self.custom_period(cleaned)
        except BadPeriod as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned

    def period_from(self, field: str, kind: str) -> ReportPeriod:
        text = (self.cleaned_data.get(field) or "").strip()
        period = parse_period(text) if text else None
        if period is None or period.kind != kind:
            self.add_error(field, MISSING[kind])
            raise BadPeriod(_("The period is not complete."))
        return period

    def custom_period(self, cleaned: dict[str, Any]) -> ReportPeriod:
        start, end = cleaned.get("start"), cleaned.get("end")
        if start is None or end is None:
            raise BadPeriod(_("Give the first and the last day of the period."))
        return days(start, end)

    def period(self) -> ReportPeriod:
        return self.cleaned_data["period"]


class ScheduleForm(forms.ModelForm):
    """A schedule: members chosen among the workspace's, outside addresses checked one by one."""

    sections = sections_field()
    formats = formats_field()

    class Meta:
        model = ReportSchedule
        fields = ["name", "frequency", "sections", "formats", "recipients", "outside_addresses"]
        widgets = {
            "recipients": forms.CheckboxSelectMultiple,
            "outside_addresses": forms.Textarea({"rows": 3}),
        }
        help_texts = {
            "outside_addresses": _(
                "Clients and partners: one e-mail address per line. They receive the files, "
                "never a link into Chorus."
            ),
        }

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = User.objects.filter(memberships__workspace=workspace).order_by("full_name")
        recipients = self.fields["recipients"]
        assert isinstance(recipients, forms.ModelMultipleChoiceField)
        recipients.queryset = members
        recipients.help_text = _("Each member receives the e-mail in their own language.")
        frequency = self.fields["frequency"]
        assert isinstance(frequency, forms.ChoiceField)
        frequency.choices = ReportFrequency.choices  # no empty "---------" choice
        frequency.initial = ReportFrequency.MONTHLY

    def clean_outside_addresses(self) -> str:
        valid, refused = outside_addresses(self.cleaned_data.get("outside_addresses", ""))
        if refused:
            raise forms.ValidationError(
                _("Not an e-mail address: %(list)s") % {"list": ", ".join(refused)}
            )
        return "\n".join(valid)
