"""Alerts reach people: in the app, by e-mail in each person's language (a real SMTP server on
loopback), as their preferences say; and the team's signed webhook (a real HTTP receiver)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import pytest
from django.core import mail

from chorus.accounts.models import User
from chorus.listening import alert_destinations, delivery
from chorus.listening.models import Alert, AlertDestination, AlertPreference
from chorus.workspaces.models import Membership, Notification, Workspace
from tests.listening.alert_history import query, spike_alert
from tests.listening.local_receivers import Mailbox, WebhookReceiver, smtp_server, webhook_receiver

pytestmark = pytest.mark.django_db
Raise = Callable[[Workspace], Alert]


@pytest.fixture
def smtp(settings) -> Iterator[Mailbox]:  # type: ignore[no-untyped-def]
    with smtp_server() as (mailbox, port):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield mailbox


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with webhook_receiver() as running:
        yield running


@pytest.fixture
def raise_alert(django_capture_on_commit_callbacks) -> Callable[[Workspace], Alert]:  # type: ignore[no-untyped-def]
    """A spike detected for real; delivery runs once its transaction commits, as in production."""

    def detect(workspace: Workspace) -> Alert:
        with django_capture_on_commit_callbacks(execute=True):
            return spike_alert(workspace)

    return detect


def test_every_member_is_told_in_app_and_by_email_in_their_language(
    workspace_a: Workspace, alice: User, bob: User, smtp: Mailbox, raise_alert: Raise
) -> None:
    alice.language, bob.language = "en", "fr"
    User.objects.bulk_update([alice, bob], ["language"])
    alert = raise_alert(workspace_a)

    told = {n.user: n for n in Notification.objects.filter(workspace=workspace_a)}
    assert set(told) == {alice, bob}
    assert told[alice].link == f"/listening/alerts/{alert.pk}/"
    assert "30 mentions in 15 minutes" in told[alice].message
    assert "30 mentions en 15 minutes" in told[bob].message
    by_address = {m["To"]: m for m in smtp.messages}
    assert set(by_address) == {alice.email, bob.email}
    assert by_address[alice.email]["Subject"] == "Mention spike on “Acme”"
    assert by_address[bob.email]["Subject"] == "Pic de mentions sur « Acme »"
    assert f"/listening/alerts/{alert.pk}/" in by_address[bob.email].get_content()


def test_preferences_choose_what_reaches_whom(
    workspace_a: Workspace, alice: User, bob: User, smtp: Mailbox, raise_alert: Raise
) -> None:
    other = query(workspace_a, "Competitor")
    bobs = AlertPreference.objects.create(
        membership=Membership.objects.get(user=bob, workspace=workspace_a), by_email=True
    )
    bobs.queries.set([other])  # bob follows only the competitor
    AlertPreference.objects.create(
        membership=Membership.objects.get(user=alice, workspace=workspace_a), by_email=False
    )
    raise_alert(workspace_a)
    assert [n.user for n in Notification.objects.all()] == [alice]
    assert smtp.messages == []  # alice said not by e-mail, bob follows another query


def test_negative_only_skips_volume_alerts(workspace_a: Workspace, bob: User) -> None:
    pref = AlertPreference(negative_only=True)
    alert = Alert(kind="volume", query_id=1)
    assert not delivery.wants(pref, alert) and delivery.wants(None, alert)


def test_outsiders_are_never_told(
    workspace_a: Workspace, charlie: User, workspace_c: Workspace, raise_alert: Raise
) -> None:
    raise_alert(workspace_a)
    assert not Notification.objects.filter(user=charlie).exists()
    assert not mail.outbox or all(charlie.email not in m.to for m in mail.outbox)


def test_signed_webhook_is_verified_by_the_receiver(
    workspace_a: Workspace, receiver: WebhookReceiver, raise_alert: Raise
) -> None:
    destination, secret = alert_destinations.add_webhook(workspace_a, receiver.url)
    receiver.secret = secret
    alert = raise_alert(workspace_a)

    (got,) = receiver.received
    assert got.signature_ok
    body = json.loads(got.body)
    assert body["event"] == "listening.alert" and body["id"] == alert.pk
    assert body["count"] == alert.count and body["formula"] == alert.formula
    assert body["url"].endswith(f"/listening/alerts/{alert.pk}/")
    destination.refresh_from_db()
    assert destination.last_sent_at is not None and destination.last_error == ""


def test_a_wrong_secret_fails_verification(
    workspace_a: Workspace, receiver: WebhookReceiver
) -> None:
    destination, _secret = alert_destinations.add_webhook(workspace_a, receiver.url)
    receiver.secret = "not-the-secret"
    assert alert_destinations.send_test(destination) == ""
    assert receiver.received and not receiver.received[0].signature_ok


def test_a_failing_webhook_keeps_its_error_and_raises_for_a_retry(
    workspace_a: Workspace, receiver: WebhookReceiver
) -> None:
    alert = spike_alert(workspace_a)
    destination, receiver.secret = alert_destinations.add_webhook(workspace_a, receiver.url)
    receiver.status = 503
    with pytest.raises(alert_destinations.DestinationFailed):
        delivery.send_alert_to_destination(destination.pk, alert.pk)
    destination.refresh_from_db()
    assert "503" in destination.last_error and destination.last_sent_at is None
    receiver.status = 200  # the receiver is back: the retry goes through and clears the error
    delivery.send_alert_to_destination(destination.pk, alert.pk)
    destination.refresh_from_db()
    assert destination.last_error == "" and destination.last_sent_at is not None
    assert len(receiver.received) == 2


def test_a_destination_of_another_workspace_is_never_sent_an_alert(
    workspace_a: Workspace, workspace_c: Workspace, receiver: WebhookReceiver
) -> None:
    alert = spike_alert(workspace_a)
    theirs, receiver.secret = alert_destinations.add_webhook(workspace_c, receiver.url)
    delivery.send_alert_to_destination(theirs.pk, alert.pk)
    assert receiver.received == []


def test_test_send_from_the_page(
    alice_client,
    workspace_a: Workspace,
    receiver: WebhookReceiver,  # type: ignore[no-untyped-def]
) -> None:
    destination, receiver.secret = alert_destinations.add_webhook(workspace_a, receiver.url)
    from django.urls import reverse

    answer = alice_client.post(
        reverse("listening:alert_test_destination", args=[destination.pk]), follow=True
    )
    assert "Test sent." in answer.content.decode()
    assert json.loads(receiver.received[0].body)["event"] == "listening.test"
    assert receiver.received[0].signature_ok
    assert AlertDestination.objects.get().last_sent_at is not None
