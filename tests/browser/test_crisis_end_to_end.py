"""Crisis mode in a real browser: write the playbook, open a crisis, write the holding statement,
have it approved by a lawyer through the e-mailed link in a fresh browser (no account), publish
it while everything else stays paused, close the crisis and read its summary — in English, then
the same pages in French. E-mail goes through a real SMTP server (aiosmtpd) on loopback, the
statement to the stand-in Mastodon on loopback."""

from __future__ import annotations

import pytest

from chorus.listening import crisis as crises
from chorus.listening import statement as statements
from chorus.listening.models import Crisis, Decision
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import PostTarget, State
from tests.browser.conftest import shot, sign_in
from tests.listening import crisis_fixtures as fixtures
from tests.publishing.conftest import scheduled

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

smtp = fixtures.smtp
STATEMENT = "We know some kettles overheat. Stop using them; we replace every one, free."


def _write_playbook(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/listening/playbook/")
    for step in ("Call legal before any answer", "Brief the support team", "Watch the inbox"):
        page.fill("input[name=text]", step)
        page.click("button:has-text('Add the step')")
    page.fill("textarea[name=what_not_to_say]", "Never blame the customer. No figures.")
    page.click("button:has-text('Save')")
    page.select_option("select[name=kind]", "legal")
    page.fill("input[name=name]", "Lou Lawyer")
    page.fill("input[name=role]", "Counsel")
    page.fill("input[name=email]", "lou@law.example")
    page.fill("input[name=phone]", "+33 1 23 45 67 89")
    page.click("button:has-text('Add the contact')")
    shot(page, "crisis-en-1-playbook")


def _open_and_write(page, channel) -> Crisis:  # type: ignore[no-untyped-def]
    page.click(".sidebar .nav a:has-text('Crises')")
    page.click("a:has-text('Open a crisis')")
    page.fill("input[name=title]", "Kettles overheating")
    page.click("button:has-text('Open the crisis')")
    page.wait_for_selector(".crisis-banner")
    page.fill("#statement textarea[name=text]", STATEMENT)
    page.check(f"input[name=channels][value='{channel.pk}']")
    page.click("button:has-text('Save the statement')")
    page.click("summary:has-text('Add an approver')")
    page.fill(".outside input[name=name]", "Lou Lawyer")
    page.fill(".outside input[name=email]", "lou@law.example")
    page.click(".outside button:has-text('Add')")
    page.click("button:has-text('Submit for approval')")
    page.wait_for_selector("text=Waiting for approvals")
    page.click(".checklist li:first-child .tick")
    shot(page, "crisis-en-2-room-waiting")
    return Crisis.objects.get(title="Kettles overheating")


def _lawyer_approves(browser, link: str, locale: str, name: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1200, "height": 800}, locale=locale)
    outside = context.new_page()
    outside.goto(link)
    outside.wait_for_selector(".statement-text")
    assert STATEMENT in outside.inner_text(".statement-text")
    assert "Kettles overheating" not in outside.content()
    shot(outside, f"crisis-{name}-3-outside-review")
    outside.fill("textarea[name=comment]", "Fine for legal.")
    outside.click("button[value=approved]")
    outside.wait_for_selector("h1")
    shot(outside, f"crisis-{name}-4-outside-thanks")
    outside.goto(link)
    shot(outside, f"crisis-{name}-5-outside-used")
    context.close()


def test_open_approve_from_outside_publish_and_close(  # type: ignore[no-untyped-def]
    page, browser, alice, workspace_a, channel_a, standin, smtp, settings
) -> None:
    settings.CHORUS_BASE_URL = page.base  # the e-mailed link points at this live server
    sign_in(page, alice)
    _write_playbook(page)
    crisis = _open_and_write(page, channel_a)
    waiting = scheduled(alice, channel_a, "Spring sale: kettles -20%!")  # due, but paused
    assert [t.text for t in crisis.tasks.all()][0] == "Call legal before any answer"

    (link,) = smtp.links()
    _lawyer_approves(browser, link, "en-GB", "en")
    assert crisis.statement.approvals.get().decision == Decision.APPROVED

    page.reload()
    page.click("button:has-text('Publish now')")
    page.wait_for_selector("text=Published")
    statement = crisis.statement
    statement.refresh_from_db()
    (target,) = PostTarget.objects.filter(post=statement.post)
    if target.state != State.PUBLISHED:  # the queue hands it over at its second
        assert publish_target(target.pk) == "published"
    assert [s.text for s in standin.store.statuses] == [STATEMENT]
    assert publish_target(waiting.pk) == "paused"
    shot(page, "crisis-en-6-room-published")

    page.click("a:has-text('Close the crisis')")
    page.fill("textarea[name=summary]", "Recall announced; statement out within the hour.")
    page.click("form button:has-text('Close the crisis')")
    page.wait_for_selector("text=Crisis closed")
    page.click(".head-actions a:has-text('Summary')")
    assert "Recall announced" in page.content()
    shot(page, "crisis-en-7-summary")

    _in_french(page, browser, crisis, smtp.links)


def _in_french(page, browser, crisis, smtp_links) -> None:  # type: ignore[no-untyped-def]
    page.click(".lang-switch button[value=fr]")
    page.goto(page.base + f"/listening/crisis/{crisis.pk}/")
    assert "Déclaration d'attente" in page.content() or "Chronologie" in page.content()
    shot(page, "crisis-fr-6-room-published")
    page.goto(page.base + f"/listening/crisis/{crisis.pk}/summary/")
    shot(page, "crisis-fr-7-summary")
    page.goto(page.base + "/listening/playbook/")
    shot(page, "crisis-fr-1-playbook")
    # A second crisis, its statement approved from outside in French.
    alice = crisis.opened_by
    second = crises.open_crisis(crisis.workspace, alice, "Usine en grève")
    statement = statements.write_statement(
        second, alice, STATEMENT, crisis.statement.channels.all()
    )
    statements.add_outside_approver(statement, "Lou Avocate", "lou@law.example")
    statements.submit(statement, alice)
    _lawyer_approves(browser, smtp_links()[-1], "fr-FR", "fr")
    page.goto(page.base + f"/listening/crisis/{second.pk}/")
    shot(page, "crisis-fr-2-room-approved")
