"""The mentions page in a real browser, with the demo workspace's two weeks of mentions: the
stream, its filters, the charts with their numbers, share of voice and net sentiment, in English
and in French."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chorus.listening.models import Mention
from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mentions_page_with_the_demo_data(page, demo_owner) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, demo_owner)
    page.goto(page.base + "/today/")
    page.click("nav.nav a:has-text('Listening')")
    expect(page.locator("h1")).to_have_text("Listening")
    rows = page.locator(".mention-row")
    expect(rows.first).to_be_visible()
    assert rows.count() == 25  # one page; the rest come as the person scrolls
    figures = page.locator(".mention-figures")
    expect(figures).to_contain_text("(positive − negative) / (positive + negative)")
    expect(figures.locator(".voices li")).to_have_count(3)
    assert figures.locator(".bar-chart").count() == 2
    assert figures.locator(".bar-chart rect").count() > 14
    shot(page, "listening-mentions-en")

    page.select_option("select[name=sentiment]", "negative")
    page.click(".mention-filters button")
    expect(page.locator(".mention-row").first).to_be_visible()
    chips = page.locator(".mention-row .chip.sent-negative")
    assert chips.count() == page.locator(".mention-row").count()
    negatives = Mention.objects.filter(sentiment="negative", is_spam=False).count()
    table = page.locator("details.numbers").first
    table.locator("summary").click()
    cells = table.locator("tbody td.right")
    assert sum(int(cells.nth(i).inner_text()) for i in range(cells.count())) == negatives
    shot(page, "listening-mentions-negative-en")


def test_mentions_page_in_french(page, demo_owner) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, demo_owner)
    page.goto(page.base + "/listening/mentions/")
    page.click(".sidebar .lang-switch button[value=fr]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "fr"
    expect(page.locator("h1")).to_have_text("Veille")
    expect(page.locator(".mention-figures")).to_contain_text("Sentiment net")
    expect(page.locator(".mention-figures")).to_contain_text("Part de voix")
    shot(page, "listening-mentions-fr")
