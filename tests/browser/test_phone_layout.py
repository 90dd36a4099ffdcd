"""On a phone (390 px) the navigation folds behind a menu button; no page scrolls sideways."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MAIN_PAGES = [
    "/today/",
    "/inbox/",
    "/publishing/calendar/",
    "/publishing/calendar/?view=week",
    "/publishing/compose/",
    "/publishing/posts/",
    "/publishing/queue/",
    "/channels/",
    "/workspace/settings/",
    "/workspace/members/",
    "/inbox/settings/",
    "/inbox/rules/",
]


@pytest.fixture
def phone(browser, live_server, demo_owner):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    opened.base = live_server.url
    sign_in(opened, demo_owner)
    yield opened
    context.close()


def test_the_menu_button_opens_the_navigation(phone) -> None:  # type: ignore[no-untyped-def]
    phone.goto(phone.base + "/today/")
    nav = phone.locator("nav.nav")
    button = phone.locator("[data-menu-toggle]")
    assert button.is_visible() and not nav.is_visible()
    button.click()
    assert nav.is_visible() and button.get_attribute("aria-expanded") == "true"
    shot(phone, "phone-menu-open-en")
    phone.click("nav.nav >> text=Inbox")
    phone.wait_for_url("**/inbox/")
    assert not phone.locator("nav.nav").is_visible()


def test_no_main_page_scrolls_sideways(phone) -> None:  # type: ignore[no-untyped-def]
    for path in MAIN_PAGES:
        phone.goto(phone.base + path)
        phone.wait_for_load_state("load")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{path} is {width} px wide"


def test_the_desktop_keeps_its_sidebar(page, demo_owner) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, demo_owner)
    page.goto(page.base + "/today/")
    assert page.locator("nav.nav").is_visible()
    assert not page.locator("[data-menu-toggle]").is_visible()
