"""The alert pages: the list, one alert that explains itself, acknowledging it, the settings;
for alice (owner of A), bob (editor of A, then contributor) and charlie (outsider)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.models import User
from chorus.listening.models import Alert, AlertDestination, AlertPreference
from chorus.listening.models.alerts import DestinationKind
from chorus.workspaces.models import Membership, Role, Workspace
from tests.listening.alert_history import query, spike_alert

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(workspace_a: Workspace) -> Alert:
    return spike_alert(workspace_a)


def test_list_shows_the_workspace_alerts(alice_client: Client, alert: Alert) -> None:
    page = alice_client.get(reverse("listening:alerts")).content.decode()
    assert reverse("listening:alert", args=[alert.pk]) in page and "Acme" in page


def test_alert_page_explains_itself(alice_client: Client, alert: Alert) -> None:
    page = alice_client.get(reverse("listening:alert", args=[alert.pk])).content.decode()
    assert f'<dd class="big">{alert.count}</dd>' in page
    assert alert.formula.replace("<", "&lt;").replace(">", "&gt;") in page  # the formula as stored
    assert "same hour of the day over the last 7 days" in page
    assert "angryfan" in page and "refund" in page  # the author and the term behind it
    assert "Angryfan · " in page  # who wrote each top mention
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert 'href="https://social.example/@angryfan" rel="nofollow noopener ugc"' in page
    # The chart: one bar per window, the alert's own highlighted, and the table of the numbers.
    assert page.count('class="spike"') == 1 and page.count('class="bar"') >= 30
    assert page.count('class="spike-row"') == 1


def test_alert_page_in_french(alice_client: Client, alert: Alert) -> None:
    alice_client.cookies["django_language"] = "fr"
    page = alice_client.get(reverse("listening:alert", args=[alert.pk])).content.decode()
    assert "Pourquoi cette alerte" in page and "Why this alert" not in page


def test_acknowledge_once_keeps_who_did_it(
    alice_client: Client, bob_client: Client, alice: User, alert: Alert
) -> None:
    url = reverse("listening:alert_acknowledge", args=[alert.pk])
    assert alice_client.post(url).status_code == 302
    assert bob_client.post(url).status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == alice and alert.acknowledged_at is not None
    assert alice_client.get(url).status_code == 405  # a link cannot acknowledge


def test_charlie_sees_none_of_it(charlie_client: Client, alert: Alert) -> None:
    assert "Acme" not in charlie_client.get(reverse("listening:alerts")).content.decode()
    assert charlie_client.get(reverse("listening:alert", args=[alert.pk])).status_code == 404
    ack = reverse("listening:alert_acknowledge", args=[alert.pk])
    assert charlie_client.post(ack).status_code == 404
    alert.refresh_from_db()
    assert alert.acknowledged_at is None


def test_anonymous_is_sent_to_sign_in(client: Client, alert: Alert) -> None:
    assert client.get(reverse("listening:alert", args=[alert.pk])).status_code == 302


def test_each_member_sets_their_own_preferences(
    bob: User, bob_client: Client, alice: User, workspace_a: Workspace
) -> None:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    brand = query(workspace_a, "Brand")
    answer = bob_client.post(
        reverse("listening:alert_settings"), {"negative_only": "on", "queries": [brand.pk]}
    )
    assert answer.status_code == 302
    mine = AlertPreference.objects.get(membership__user=bob)
    assert not mine.by_email and mine.negative_only and list(mine.queries.all()) == [brand]
    assert not AlertPreference.objects.filter(membership__user=alice).exists()


def test_preferences_refuse_another_workspace_query(
    alice_client: Client, workspace_c: Workspace
) -> None:
    theirs = query(workspace_c, "Charlie's brand")
    answer = alice_client.post(reverse("listening:alert_settings"), {"queries": [theirs.pk]})
    assert answer.status_code == 422
    assert not AlertPreference.objects.filter(queries=theirs).exists()


def test_webhook_secret_is_shown_once(alice_client: Client, workspace_a: Workspace) -> None:
    made = alice_client.post(
        reverse("listening:alert_add_webhook"), {"url": "https://hooks.example/chorus"}
    )
    assert made.status_code == 201
    secret = re.search(r'<code class="token">([^<]+)</code>', made.content.decode())
    assert secret is not None and len(secret.group(1)) >= 40
    destination = AlertDestination.objects.get(workspace=workspace_a)
    assert destination.kind == DestinationKind.WEBHOOK
    assert secret.group(1) not in destination.encrypted_secret  # encrypted at rest
    again = alice_client.get(reverse("listening:alert_settings")).content.decode()
    assert secret.group(1) not in again and "hooks.example/chorus" in again


def test_bad_webhook_address_is_refused(alice_client: Client) -> None:
    answer = alice_client.post(reverse("listening:alert_add_webhook"), {"url": "javascript:x"})
    assert answer.status_code == 422 and not AlertDestination.objects.exists()


def test_a_contributor_cannot_change_destinations(
    bob: User, bob_client: Client, workspace_a: Workspace
) -> None:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    answer = bob_client.post(
        reverse("listening:alert_add_webhook"), {"url": "https://hooks.example/x"}
    )
    assert answer.status_code == 403 and not AlertDestination.objects.exists()
    page = bob_client.get(reverse("listening:alert_settings")).content.decode()
    assert "Add a webhook" not in page


def test_charlie_cannot_touch_our_destinations(
    charlie_client: Client, alice_client: Client, workspace_a: Workspace
) -> None:
    alice_client.post(reverse("listening:alert_add_webhook"), {"url": "https://hooks.example/a"})
    ours = AlertDestination.objects.get(workspace=workspace_a)
    page = charlie_client.get(reverse("listening:alert_settings")).content.decode()
    assert "hooks.example/a" not in page
    for name in ("alert_test_destination", "alert_delete_destination"):
        assert charlie_client.post(reverse(f"listening:{name}", args=[ours.pk])).status_code == 404
    assert AlertDestination.objects.filter(pk=ours.pk).exists()


def test_remove_a_destination(alice_client: Client, workspace_a: Workspace) -> None:
    alice_client.post(reverse("listening:alert_add_webhook"), {"url": "https://hooks.example/a"})
    ours = AlertDestination.objects.get(workspace=workspace_a)
    answer = alice_client.post(reverse("listening:alert_delete_destination", args=[ours.pk]))
    assert answer.status_code == 302 and not AlertDestination.objects.exists()


def test_a_mention_without_author_is_shown(alice_client: Client, workspace_a: Workspace) -> None:
    from datetime import timedelta

    from tests.listening.alert_history import MONDAY, burst, every, mentions, store

    q = query(workspace_a, "Nameless")
    mentions(q, every(MONDAY, MONDAY + timedelta(days=2), timedelta(minutes=30)))
    end = MONDAY + timedelta(days=2, hours=1)
    (alert,) = store(q, mentions(q, burst(end, 30), text="nobody signed this"))
    page = alice_client.get(reverse("listening:alert", args=[alert.pk]))
    assert page.status_code == 200 and "nobody signed this" in page.content.decode()


def test_from_an_alert_to_the_mentions_behind_it(alice_client: Client, alert: Alert) -> None:
    """The alert links to the mentions page filtered on its query and window, which lists them."""
    page = alice_client.get(reverse("listening:alert", args=[alert.pk])).content.decode()
    found = re.search(r'href="(/listening/mentions/\?[^"]+)"[^>]*>See all mentions', page)
    assert found, "the alert page links to the mentions of its window"
    listed = alice_client.get(found.group(1).replace("&amp;", "&")).content.decode()
    assert "acme refund" in listed and "&lt;script&gt;" in listed


def test_summary_rounds_the_baseline_as_the_figures_do(alice_client: Client, alert: Alert) -> None:
    """0.25 was cut to "usually 0.2" in the sentence while the figures beside it showed 0.3."""
    Alert.objects.filter(pk=alert.pk).update(baseline=0.25)
    page = alice_client.get(reverse("listening:alert", args=[alert.pk])).content.decode()
    assert '<dd class="big">0.3</dd>' in page and "usually 0.3 at this hour" in page
    alice_client.cookies["django_language"] = "fr"
    page = alice_client.get(reverse("listening:alert", args=[alert.pk])).content.decode()
    assert '<dd class="big">0,3</dd>' in page and "0,3" in page.split("alert-summary", 1)[1][:300]
