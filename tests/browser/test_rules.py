"""Moderation rules in a real browser: build a rule with two conditions (HTMX rows), dry run it
inline, save it, and see the list; the editor in French."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.inbox.models import AuthorList, Label, Message, Rule, SavedReply
from chorus.inbox.rules import apply_rules
from tests.browser.conftest import shot, sign_in
from tests.inbox.rules_helpers import make_author, make_channel, make_message, make_rule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGES = [
    ("Je veux être remboursé, c'est une arnaque !", "fr", "negative", "complaint"),
    ("Remboursement toujours pas reçu après 3 semaines…", "fr", "negative", "complaint"),
    ("Merci pour l'atelier de samedi, c'était génial !", "fr", "positive", "praise"),
    ("Do you ship to Germany?", "en", "neutral", "question"),
    ("Where is my refund? This is a scam.", "en", "negative", "complaint"),
    ("Le remboursement est arrivé, merci !", "fr", "positive", "praise"),
]


def top_shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("window.scrollTo(0, 0)")  # the sticky sidebar and aside belong at the top
    shot(page, name)


@pytest.fixture
def moderation(workspace_a, bob):  # type: ignore[no-untyped-def]
    channel = make_channel(workspace_a, "mastodon")
    now = timezone.now()
    for n, (text, language, sentiment, intent) in enumerate(MESSAGES):
        author = make_author(workspace_a, f"person{n}@piaille.fr", display_name=f"Person {n}")
        make_message(
            workspace_a,
            text,
            channel=channel,
            author=author,
            language=language,
            sentiment=sentiment,
            confidence=0.8,
            intent=intent,
            created_at=now - timedelta(hours=n * 7),
        )
    refund = Label.objects.create(workspace=workspace_a, name="Refund", color="#d97706")
    Label.objects.create(workspace=workspace_a, name="VIP", color="#7c3aed")
    vips = AuthorList.objects.create(workspace=workspace_a, name="VIP")
    SavedReply.objects.create(workspace=workspace_a, name="We are on it", text="Merci {first_name}")
    make_rule(
        workspace_a,
        [{"type": "author_list", "list": vips.pk}],
        [{"type": "priority", "priority": 3}, {"type": "assign", "user": bob.pk}],
        name="VIPs go to Bob",
        position=1,
        stop_after=True,
    )
    make_rule(
        workspace_a,
        [{"type": "spam"}],
        [{"type": "resolve"}],
        name="Spam is closed",
        position=2,
        enabled=False,
    )
    return refund


def test_create_a_rule_with_two_conditions_and_dry_run_it(page, alice, moderation) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, alice)
    page.goto(page.base + "/inbox/rules/new/")
    page.fill("#id_name", "Refund complaints")
    page.select_option("#id_c-0-type", "words")
    page.fill("#id_c-0-words", "remboursement, refund, remboursé")
    page.select_option("#id_c-1-type", "sentiment")
    page.check("input[name=c-1-sentiments][value=negative]")
    # A third condition row comes from the server (HTMX), then is left empty.
    page.click("#add-c")
    page.wait_for_selector("#id_c-2-type")
    assert page.locator("#rows-c .rule-row").count() == 3
    page.select_option("#id_a-0-type", "label")
    page.select_option("#id_a-0-label", label=moderation.name)
    # Only the chosen kind's fields are visible.
    assert page.is_visible("#id_c-0-words") and not page.is_visible("#id_c-0-pattern")
    page.click("button[name=dry_run]")
    page.wait_for_selector("#dry-run-result")
    assert page.inner_text(".dry-matched") == "3"
    sample = page.inner_text(".dry-sample")
    assert "Where is my refund?" in sample and "merci" not in sample.lower()
    assert Rule.objects.filter(name="Refund complaints").count() == 0  # a dry run saves nothing
    top_shot(page, "rule-dry-run-en")
    page.click("button[name=save]")
    page.wait_for_url("**/inbox/rules/")
    rule = Rule.objects.get(name="Refund complaints")
    assert [c["type"] for c in rule.conditions] == ["words", "sentiment"]
    assert "Refund complaints" in page.inner_text(".rule-list")
    top_shot(page, "rules-list-en")
    apply_rules(rule.workspace, list(Message.objects.all()))
    page.goto(page.base + "/inbox/rules/log/")
    assert page.locator(".rule-log tbody tr").count() == 3
    page.click(".rule-log tbody tr:first-child button")  # undo the newest label
    page.wait_for_selector(".flash-item, .rule-log tr.is-undone")
    assert page.locator(".rule-log tr.is-undone").count() == 1
    top_shot(page, "rules-log-en")


def test_the_editor_in_french(page, alice, moderation) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, alice)
    rule = Rule.objects.get(name="VIPs go to Bob")
    page.goto(page.base + f"/inbox/rules/{rule.pk}/")
    page.click(".sidebar .lang-switch button[value=fr]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "fr"
    page.click("button[name=dry_run]")
    page.wait_for_selector("#dry-run-result")
    top_shot(page, "rule-edit-fr")
    page.goto(page.base + "/inbox/rules/")
    assert page.is_visible(".rule-list")
    top_shot(page, "rules-list-fr")
