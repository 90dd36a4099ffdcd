"""Where an alert goes once stored: to the members who want it (in the app, by e-mail) and to
the workspace's destinations (a signed webhook, a message in the team's own room).

Every path runs as background work asked for by name (:mod:`chorus.core.background`), each on its
own, so a slow SMTP server or a dead webhook never holds the next batch of mentions nor the other
paths. A failed destination keeps its error (``last_error``) and the task is retried.
"""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils import translation

from chorus.accounts.models import User
from chorus.core.background import after_commit, later
from chorus.listening import alert_destinations
from chorus.listening.alert_text import alert_link, alert_message, alert_subject, alert_summary
from chorus.listening.models import Alert, AlertDestination, AlertPreference
from chorus.listening.models.alerts import AlertKind
from chorus.workspaces.models import Membership
from chorus.workspaces.permissions import Permission, can
from chorus.workspaces.services import notify


def deliver_after_commit(alert: Alert) -> None:
    """Asked by spike detection; runs once the alert is committed, so the worker finds it."""
    after_commit("listening", "deliver_alert", alert.pk)


def deliver_alert(alert_id: int) -> None:
    """In-app notifications now; e-mails and each destination as their own background work."""
    alert = Alert.objects.select_related("query", "workspace").get(pk=alert_id)
    in_app, by_email = recipients(alert)
    notify(alert.workspace, in_app, lambda: alert_summary(alert), link=alert_link(alert))
    if by_email:
        later("listening", "email_alert", alert.pk, [user.pk for user in by_email])
    destinations = AlertDestination.objects.filter(workspace=alert.workspace, is_active=True)
    for destination in destinations:
        later("listening", "send_alert_to_destination", destination.pk, alert.pk)


def recipients(alert: Alert) -> tuple[list[User], list[User]]:
    """The members this alert reaches (everyone who may see alerts, as their preferences say),
    and those of them who also want it by e-mail."""
    memberships = Membership.objects.filter(workspace_id=alert.workspace_id).select_related("user")
    preferences = {
        p.membership_id: p
        for p in AlertPreference.objects.filter(membership__in=memberships).prefetch_related(
            "queries"
        )
    }
    reached, by_email = [], []
    for membership in memberships:
        preference = preferences.get(membership.pk)
        if not can(membership, Permission.VIEW) or not wants(preference, alert):
            continue
        reached.append(membership.user)
        if (preference is None or preference.by_email) and membership.user.email:
            by_email.append(membership.user)
    return reached, by_email


def wants(preference: AlertPreference | None, alert: Alert) -> bool:
    if preference is None:
        return True  # until someone says otherwise, every alert of their workspace reaches them
    if preference.negative_only and alert.kind != AlertKind.NEGATIVE:
        return False
    chosen = {query.pk for query in preference.queries.all()}
    return not chosen or alert.query_id in chosen


def email_alert(alert_id: int, user_ids: list[int]) -> None:
    """One e-mail per person, in their language (the workspace's when they chose none)."""
    alert = Alert.objects.select_related("query", "workspace").get(pk=alert_id)
    for user in User.objects.filter(pk__in=user_ids):
        with translation.override(user.language or alert.workspace.language):
            send_mail(alert_subject(alert), alert_message(alert), None, [user.email])


def send_alert_to_destination(destination_id: int, alert_id: int) -> None:
    """Raises on failure (after noting it on the destination) so the task is retried."""
    destination = AlertDestination.objects.filter(pk=destination_id, is_active=True).first()
    alert = Alert.objects.select_related("query", "workspace").filter(pk=alert_id).first()
    if destination is None or alert is None or destination.workspace_id != alert.workspace_id:
        return
    alert_destinations.send(destination, alert)
