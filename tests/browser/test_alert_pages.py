"""Spike alerts in a real browser: an alert that explains itself (EN and FR), acknowledging it,
and the settings page where a webhook's secret is shown once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from chorus.listening.models import Alert
from tests.browser.conftest import shot, sign_in
from tests.listening.alert_history import (
    MONDAY,
    author,
    burst,
    every,
    mentions,
    query,
    spike_alert,
    store,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

USUAL = [
    "Just tried the new Acme cold brew, pretty good",
    "Acme shop on Main street is open late tonight",
    "Anyone has the Acme loyalty card app?",
    "Acme beans arrived, smells great",
]
ANGRY = [
    ("Acme app down again, can't pay, where is my refund?", "marie_l", 12_400),
    ("Charged twice by Acme, refund please #AcmeOutage", "tom_b", 830),
    ("Acme payment outage for an hour now, refund my order", "newsdesk", 98_000),
    ("No refund, no answer from Acme support. Outage since 9", "jules", 240),
]


def complaints(workspace):  # type: ignore[no-untyped-def]
    """A week of ordinary mentions, then an afternoon when payments fail."""
    q = query(workspace, "Acme")
    for n, text in enumerate(USUAL):
        start = MONDAY + timedelta(minutes=11 * n)
        mentions(
            q, every(start, MONDAY + timedelta(days=7, hours=15), timedelta(minutes=40)), text=text
        )
    end = MONDAY + timedelta(days=7, hours=15, minutes=5)
    made = []
    for n, (text, handle, followers) in enumerate(ANGRY):
        fan = author(workspace, handle, followers=followers)
        made += mentions(
            q, burst(end - timedelta(seconds=n * 20), 9), text=text, by=fan, negative=n % 2 == 0
        )
    return store(q, made)[0]


def test_an_alert_explains_itself_and_is_acknowledged(page, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    alert = complaints(workspace_a)
    sign_in(page, alice)
    page.goto(f"{page.base}/listening/alerts/")
    expect(page.get_by_role("link", name="Acme")).to_have_count(2)  # volume, and negative
    page.locator(f"a[href='/listening/alerts/{alert.pk}/']").click()
    expect(page.get_by_role("heading", name="Why this alert")).to_be_visible()
    expect(page.locator(".alert-chart rect.spike")).to_have_count(1)
    expect(page.locator(".alert-terms")).to_contain_text("refund")
    expect(page.get_by_text("newsdesk").first).to_be_visible()
    shot(page, "alert-detail-en")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("Acknowledged by")).to_be_visible()
    alert.refresh_from_db()
    assert alert.acknowledged_by == alice


def test_the_alert_in_french(page, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    alert = complaints(workspace_a)
    sign_in(page, alice)
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": page.base}])
    page.goto(f"{page.base}/listening/alerts/{alert.pk}/")
    expect(page.get_by_role("heading", name="Pourquoi cette alerte")).to_be_visible()
    shot(page, "alert-detail-fr")
    page.goto(f"{page.base}/listening/alerts/")
    expect(page.get_by_role("heading", name="Alertes", exact=True)).to_be_visible()
    shot(page, "alert-list-fr")


def test_settings_show_a_webhook_secret_once(page, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    spike_alert(workspace_a)
    sign_in(page, alice)
    page.goto(f"{page.base}/listening/alerts/")
    shot(page, "alert-list-en")
    page.get_by_role("link", name="Alert settings").click()
    page.get_by_label("Address that receives the alerts").fill("https://hooks.example.org/chorus")
    page.get_by_role("button", name="Add the webhook").click()
    secret = page.locator(".secret-once code").inner_text()
    assert len(secret) >= 40
    shot(page, "alert-settings-en")
    page.goto(f"{page.base}/listening/alerts/settings/")
    expect(page.get_by_text("hooks.example.org/chorus")).to_be_visible()
    assert secret not in page.content()
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": page.base}])
    page.reload()
    expect(page.get_by_role("heading", name="Réglages des alertes")).to_be_visible()
    shot(page, "alert-settings-fr")
    assert Alert.objects.count() == 1
