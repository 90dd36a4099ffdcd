"""An alert in words, for a notification, an e-mail or a message in the team's room.

Called under the reader's language (``translation.override``), so each person reads their own.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext

from chorus.listening.models import Alert
from chorus.listening.models.alerts import AlertKind


def alert_link(alert: Alert) -> str:
    return reverse("listening:alert", args=[alert.pk])


def alert_subject(alert: Alert) -> str:
    if alert.kind == AlertKind.NEGATIVE:
        return gettext("Negative spike on “%(query)s”") % {"query": alert.query.name}
    return gettext("Mention spike on “%(query)s”") % {"query": alert.query.name}


def alert_summary(alert: Alert) -> str:
    """One sentence with the figures: what was counted, against what, from which count."""
    figures = {
        "query": alert.query.name,
        "count": alert.count,
        "minutes": alert.explanation.get("window_minutes", 15),
        "baseline": one_decimal(alert.baseline),
        "threshold": int(alert.threshold),
    }
    if alert.kind == AlertKind.NEGATIVE:
        text = gettext(
            "“%(query)s”: %(count)s negative mentions in %(minutes)s minutes; usually "
            "%(baseline)s at this hour, alert from %(threshold)s."
        )
    else:
        text = gettext(
            "“%(query)s”: %(count)s mentions in %(minutes)s minutes; usually %(baseline)s at "
            "this hour, alert from %(threshold)s."
        )
    return text % figures


def one_decimal(value: float) -> str:
    """Rounded half up as the alert page's ``floatformat`` does: ``number_format`` alone cuts
    the digits off, and would say "usually 0.2" beside a page that shows 0.3 for 0.25."""
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(rounded, 1)


def alert_message(alert: Alert) -> str:
    """The summary with the address of the alert's page (for e-mails and team rooms)."""
    address = f"{settings.CHORUS_BASE_URL}{alert_link(alert)}"
    return f"{alert_subject(alert)}\n{alert_summary(alert)}\n{address}"
