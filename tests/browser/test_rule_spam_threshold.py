"""In a real browser: the "looks like spam" condition takes its own threshold. A bad one is refused
on its field and nothing is saved; a good one is stored as typed; the dry run lists only the
messages whose stored spam score reaches it, and an empty threshold is the usual 0.5."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chorus.inbox.models import Label, Rule
from tests.browser.conftest import shot, sign_in
from tests.inbox.rules_helpers import make_message

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SURE_SPAM = "WIN 1000 FREE FOLLOWERS today, click the link in my bio"  # scored 0.9
MAYBE_SPAM = "Great giveaway on my page too, have a look"  # scored 0.6
NOT_SPAM = "Bonjour, ma commande est bien arrivée, merci"  # scored 0.1
THRESHOLD = "#id_c-0-spam_score"


@pytest.fixture
def spam_label(workspace_a) -> Label:  # type: ignore[no-untyped-def]
    """Three incoming messages whose spam scores are known, and the label a rule may add."""
    make_message(workspace_a, SURE_SPAM, spam_score=0.9, spam=True)
    make_message(workspace_a, MAYBE_SPAM, spam_score=0.6, spam=True)
    make_message(workspace_a, NOT_SPAM, spam_score=0.1)
    return Label.objects.create(workspace=workspace_a, name="Spam?", color="#dc2626")


def save_and_expect_refusal(page, typed: str) -> None:  # type: ignore[no-untyped-def]
    page.fill(THRESHOLD, typed)
    with page.expect_navigation():
        page.click("button[name=save]")
    field = page.locator(f".param.for-spam.has-error:has({THRESHOLD})")
    expect(field.locator(".error")).to_have_text("A number between 0 and 1.")
    assert page.input_value(THRESHOLD) == typed  # what was typed stays, to be corrected
    assert page.input_value("#id_c-0-type") == "spam"
    assert not Rule.objects.exists()


def dry_run(page, matched: str) -> str:  # type: ignore[no-untyped-def]
    """Runs the dry run inline (HTMX), waits for its count, and gives its examples."""
    page.click("button[name=dry_run]")
    expect(page.locator("#dry-run .dry-matched")).to_have_text(matched)
    return page.inner_text("#dry-run .dry-sample")


def test_the_spam_threshold_is_checked_saved_and_dry_run(page, alice, spam_label) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, alice)
    page.goto(page.base + "/inbox/rules/new/")
    page.fill("#id_name", "Likely spam")
    page.select_option("#id_c-0-type", "spam")
    assert page.is_visible(THRESHOLD) and not page.is_visible("#id_c-0-toxicity")
    assert page.get_attribute(THRESHOLD, "placeholder") == "0.5"  # what empty stands for
    page.select_option("#id_a-0-type", "label")
    page.select_option("#id_a-0-label", label=spam_label.name)

    save_and_expect_refusal(page, "1.5")
    save_and_expect_refusal(page, "abc")
    shot(page, "spam-threshold-error-en")

    page.fill(THRESHOLD, "0.8")
    page.click("button[name=save]")
    page.wait_for_url("**/inbox/rules/")
    rule = Rule.objects.get(name="Likely spam")
    assert rule.conditions == [{"type": "spam", "negate": False, "min": 0.8}]
    assert rule.actions == [{"type": "label", "label": spam_label.pk}]

    page.goto(page.base + f"/inbox/rules/{rule.pk}/")
    assert page.input_value(THRESHOLD) == "0.8"
    sample = dry_run(page, matched="1")
    assert SURE_SPAM in sample and MAYBE_SPAM not in sample
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "spam-threshold-en")

    page.fill(THRESHOLD, "")
    sample = dry_run(page, matched="2")
    assert SURE_SPAM in sample and MAYBE_SPAM in sample and NOT_SPAM not in sample

    # A bad threshold replaces the last result with the reason, never leaves it standing.
    page.fill(THRESHOLD, "2")
    page.click("button[name=dry_run]")
    expect(page.locator("#dry-run .form-errors")).to_contain_text("A number between 0 and 1.")
    assert page.locator("#dry-run .dry-matched").count() == 0
    rule.refresh_from_db()
    assert rule.conditions[0]["min"] == 0.8  # dry runs change nothing stored


def test_the_threshold_in_french(page, alice, spam_label) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, alice)
    page.goto(page.base + "/inbox/rules/new/")
    page.click(".sidebar .lang-switch button[value=fr]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "fr"
    page.fill("#id_name", "Spam probable")
    page.select_option("#id_c-0-type", "spam")
    assert page.inner_text(f"label[for={THRESHOLD[1:]}]") == "Score de spam minimal (0–1)"
    assert page.get_attribute(THRESHOLD, "placeholder") == "0,5"  # the default, written in French
    page.select_option("#id_a-0-type", "label")
    page.select_option("#id_a-0-label", label=spam_label.name)
    page.fill(THRESHOLD, "1,5")
    with page.expect_navigation():
        page.click("button[name=save]")
    field = page.locator(f".param.for-spam.has-error:has({THRESHOLD})")
    expect(field.locator(".error")).to_have_text("Un nombre entre 0 et 1.")
    assert page.input_value(THRESHOLD) == "1,5"
    assert not Rule.objects.exists()
    shot(page, "spam-threshold-fr")

    page.fill(THRESHOLD, "0,8")  # the French way to write 0.8
    page.click("button[name=save]")
    page.wait_for_url("**/inbox/rules/")
    assert Rule.objects.get(name="Spam probable").conditions[0]["min"] == 0.8
