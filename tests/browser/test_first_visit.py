"""A newcomer signs up, creates a workspace, switches to French and back, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chorus.workspaces.models import Workspace
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_up(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/account/signup/")
    shot(page, "signup-en")
    page.fill("#id_full_name", "Inès Roy")
    page.fill("#id_email", "ines@example.org")
    page.fill("#id_password", "a long pass phrase 42")
    page.click("button[type=submit]")
    page.wait_for_url("**/workspace/new/")


def _create_workspace(page) -> None:  # type: ignore[no-untyped-def]
    page.fill("#id_name", "Vélo Club <Lyon>")
    page.select_option("#id_timezone", "Europe/Paris")
    page.click("button[type=submit]")
    page.wait_for_url("**/today/")


def test_sign_up_create_a_workspace_and_switch_language(page) -> None:  # type: ignore[no-untyped-def]
    _sign_up(page)
    _create_workspace(page)
    assert page.inner_text("h1") == "Hello Inès"
    # The name is shown as text, never as markup.
    assert "Vélo Club <Lyon>" in page.inner_text(".ws-name")
    shot(page, "today-en")
    # Wait for what the click leads to, not for "load": the old page counts as loaded.
    page.click(".sidebar .lang-switch button[value=fr]")
    expect(page.locator("h1")).to_have_text("Bonjour Inès")
    assert "Aujourd'hui" in page.inner_text("nav.nav")
    shot(page, "today-fr")
    page.goto(page.base + "/workspace/settings/")
    expect(page.locator("h1")).to_contain_text("Réglages")
    shot(page, "settings-fr")
    page.click(".sidebar .lang-switch button[value=en]")
    expect(page.locator("h1")).to_have_text("Settings")
    shot(page, "settings-en")
    assert Workspace.objects.get().timezone == "Europe/Paris"


def test_sign_up_shows_field_errors_in_the_page(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/account/signup/")
    page.fill("#id_full_name", "X")
    page.fill("#id_email", "not-an-email")
    page.fill("#id_password", "123")
    page.click("button[type=submit]")
    expect(page.locator(".field .error").first).to_be_visible()
    errors = page.locator(".field .error").all_inner_texts()
    assert any("valid email" in e for e in errors)
    assert any("too short" in e for e in errors)
    shot(page, "signup-errors-en")


def test_sign_in_page_in_french(browser, live_server) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(locale="fr-FR", extra_http_headers={"Accept-Language": "fr"})
    page = context.new_page()
    page.goto(live_server.url + "/account/signin/")
    assert page.inner_text("h1") == "Bon retour parmi nous"
    shot(page, "signin-fr")
    context.close()
