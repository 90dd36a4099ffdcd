"""The analytics dashboard in a real browser, on the demo workspace's year of figures, EN and FR."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, user, language: str) -> list[str]:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    host = page.base.split("//")[1].split(":")[0]
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"},
        ]
    )
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    return refused


def test_dashboard_post_and_best_times_in_english(page, demo_owner) -> None:  # type: ignore[no-untyped-def]
    refused = _sign_in(page, demo_owner, "en")
    page.goto(page.base + "/")
    page.get_by_role("link", name="Analytics").click()
    page.wait_for_selector("svg.chart")
    assert page.locator(".kpi").count() == 5
    assert page.get_by_text("Engagement rate per follower").count() >= 1
    assert page.locator(".na").count() >= 1  # impressions: not available on these networks
    page.select_option("select[name=range]", "90")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**range=90**")
    shot(page, "analytics-dashboard-en")

    page.locator(".post-text a").first.click()
    page.wait_for_selector("dl.formulas")
    assert page.get_by_text("Engagements ÷ followers of the channel").count() == 1
    assert page.locator("table").nth(1).locator("tbody tr").count() >= 3  # its readings
    shot(page, "analytics-post-en")

    page.get_by_role("link", name="Best times").click()
    page.wait_for_selector("ol.suggested li")
    assert page.locator("svg.chart rect").count() == 7 * 24
    shot(page, "analytics-best-times-en")

    page.get_by_role("link", name="Posts", exact=True).last.click()
    page.get_by_role("link", name="per follower").click()
    page.wait_for_url("**order=rate_per_follower**")
    shot(page, "analytics-posts-en")
    page.get_by_role("link", name="Community").click()
    page.wait_for_selector("svg.chart")
    shot(page, "analytics-community-en")
    assert refused == []


def test_dashboard_in_french(page, demo_owner) -> None:  # type: ignore[no-untyped-def]
    refused = _sign_in(page, demo_owner, "fr")
    page.goto(page.base + "/analytics/")
    page.wait_for_selector("svg.chart")
    assert page.get_by_text("Taux d'engagement par abonné").count() >= 1
    assert page.get_by_text("non disponible").count() >= 1
    shot(page, "analytics-dashboard-fr")
    page.goto(page.base + "/analytics/best-times/")
    page.wait_for_selector("ol.suggested li")
    shot(page, "analytics-best-times-fr")
    page.goto(page.base + "/analytics/glossary/")
    shot(page, "analytics-glossary-fr")
    assert refused == []
