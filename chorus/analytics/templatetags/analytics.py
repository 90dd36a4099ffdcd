"""How figures read on the analytics pages: "not available" for None, changes, rates, durations."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from chorus.analytics.glossary import GLOSSARY, RATE_FORMULAS
from chorus.analytics.network_figures import FIGURE_LABELS, figures_of_network

register = template.Library()


@register.filter
def figure(value: Any, reason: str = "") -> SafeString | str:
    """A count in the reader's format, or "not available" (with why, on hover) — never 0."""
    if value is None:
        why = reason or _("No channel gives this figure for this period.")
        return format_html('<span class="na" title="{}">{}</span>', why, _("not available"))
    if isinstance(value, float):
        return number_format(value, 1, use_l10n=True, force_grouping=True)
    return number_format(value, 0, use_l10n=True, force_grouping=True)


@register.filter
def post_figure(value: Any, network: str) -> SafeString | str:
    """A post's own count; when missing, the network's own note says why."""
    return figure(value, str(figures_of_network(network).note))


@register.filter
def percent(rate: Any, digits: int = 2) -> SafeString | str:
    """A Rate (or a share, 0..1) as a percentage; None reads "not available"."""
    if rate is None:
        return figure(None, _("The figures this rate divides by are not given."))
    value = rate.value if hasattr(rate, "value") else rate
    return f"{number_format(value * 100, digits, use_l10n=True)} %"


@register.filter
def change(value: float | None, points: bool = False) -> SafeString | str:
    """+12.5 % (or +0.4 pt for a rate), coloured; blank when there is nothing to compare."""
    if value is None:
        return format_html('<span class="change none" title="{}">—</span>', _("No comparison"))
    shown = value if points else value * 100
    unit = _("pt") if points else "%"
    klass = "up" if value > 0 else "down" if value < 0 else "flat"
    sign = "+" if value > 0 else ""
    return format_html(
        '<span class="change {}">{}{} {}</span>',
        klass,
        sign,
        number_format(shown, 1, use_l10n=True),
        unit,
    )


@register.filter
def duration(seconds: float | None) -> SafeString | str:
    """3 h 20 min, in business hours as computed; None reads "not available"."""
    if seconds is None:
        return figure(None, _("No conversation was answered in this period."))
    minutes = int(round(seconds / 60))
    hours, minutes = divmod(minutes, 60)
    if hours and minutes:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    if hours:
        return _("%(h)s h") % {"h": hours}
    return _("%(m)s min") % {"m": minutes}


@register.filter
def formula(formula_id: str) -> str:
    """The formula in words, for a title attribute and the glossary."""
    entry = GLOSSARY.get(formula_id)
    return str(entry[1]) if entry else ""


@register.filter
def formula_name(formula_id: str) -> str:
    entry = GLOSSARY.get(formula_id)
    return str(entry[0]) if entry else formula_id


@register.filter
def rate_parts(rate: Any) -> str:
    """ "12 ÷ 340" — the numbers behind a rate, so nobody has to take it on trust."""
    if rate is None:
        return ""
    return (
        f"{number_format(rate.numerator, 0, use_l10n=True, force_grouping=True)} ÷ "
        f"{number_format(rate.denominator, 0, use_l10n=True, force_grouping=True)}"
    )


@register.filter
def figure_label(name: str) -> str:
    """ "likes" -> "Likes", in the reader's language."""
    label = FIGURE_LABELS.get(name)
    return str(label) if label else name


@register.filter
def zip_rates(rates: Any) -> list[tuple[Any, str]]:
    """A post's three rates beside their formula ids (shown even when a rate has no data)."""
    return list(zip(rates, RATE_FORMULAS, strict=True))
