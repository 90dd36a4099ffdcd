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
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
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
    assert violations == []  # no inline script or style anywhere on the page


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


def test_a_new_mention_appears_without_reloading(page, settings, alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from django.utils import timezone

    from tests.listening.mention_factories import make_mention

    settings.CHORUS_LIVE_UPDATE_SECONDS = 1
    make_mention(workspace_a, "An older mention", timezone.now() - timedelta(hours=2))
    sign_in(page, alice)
    page.goto(page.base + "/listening/mentions/")
    expect(page.locator(".mention-row")).to_have_count(1)
    make_mention(workspace_a, "Just heard: <b>a fresh one</b>", timezone.now())
    expect(page.locator(".mention-row").first).to_contain_text("Just heard: <b>a fresh one</b>")
    expect(page.locator(".mention-row")).to_have_count(2)
    assert page.locator(".mention-row b").count() == 0  # shown as text, never as markup


def test_mentions_page_on_a_phone(browser, live_server, demo_owner) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    phone = context.new_page()
    phone.base = live_server.url
    sign_in(phone, demo_owner)
    phone.goto(phone.base + "/listening/mentions/")
    expect(phone.locator(".mention-row").first).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the screen
    shot(phone, "listening-mentions-phone")
    context.close()


def test_answer_a_mention_from_the_stream(page, alice, workspace_a, standin) -> None:  # type: ignore[no-untyped-def]
    """A Mastodon mention, a connected Mastodon channel (on the loopback stand-in): Answer opens
    the inbox conversation, and the reply reaches the network."""
    from datetime import timedelta

    from django.utils import timezone

    from chorus.channels import services as channels
    from chorus.inbox.models import Direction, Message
    from tests.listening.mention_factories import make_author, make_mention

    channels.connect(
        workspace_a, "mastodon", {"access_token": "tok-1"}, {"base_url": standin.root},
        name="Café Lumière",
    )  # fmt: skip
    fan = make_author(workspace_a, "lou@piaille.fr", followers=300)
    make_mention(
        workspace_a, "Does the café deliver to Lyon?", timezone.now() - timedelta(minutes=5),
        network="mastodon", remote_id="110001", author=fan, sentiment="neutral",
    )  # fmt: skip
    make_mention(workspace_a, "A blog post about the café", timezone.now() - timedelta(hours=1))
    sign_in(page, alice)
    page.goto(page.base + "/listening/mentions/")
    rows = page.locator(".mention-row")
    expect(rows.nth(1)).to_contain_text("A blog post")
    assert rows.nth(1).locator("button:has-text('Answer')").count() == 0  # no dead button
    rows.first.locator("button:has-text('Answer')").click()
    page.wait_for_url("**/inbox/*/")
    expect(page.locator(".msg.in")).to_contain_text("Does the café deliver to Lyon?")
    page.fill("#reply-text", "Yes, every Tuesday!")
    page.click(".reply-form button[type=submit]")
    page.wait_for_selector(".flash-item.success")
    sent = Message.objects.get(direction=Direction.OUTGOING, workspace=workspace_a)
    assert sent.sent_by == alice and "Yes, every Tuesday!" in sent.text
    shot(page, "listening-mention-answered-en")
    page.goto(page.base + "/listening/mentions/")
    expect(page.locator(".mention-row").first).to_contain_text("Open in the inbox")
