"""The calendar's header keeps its buttons on one line in French, where their labels are long."""

from __future__ import annotations

import pytest

from tests.browser.conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_french_calendar_header_does_not_wrap(browser, live_server, demo_owner) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport={"width": 1280, "height": 860},
        locale="fr-FR",
        extra_http_headers={"Accept-Language": "fr"},
    )
    page = context.new_page()
    page.base = live_server.url
    sign_in(page, demo_owner)
    page.goto(live_server.url + "/publishing/calendar/")
    buttons = page.locator(".page-head .head-actions .btn")
    assert buttons.count() == 2
    tops = {round(buttons.nth(i).bounding_box()["y"]) for i in range(2)}
    heights = {round(buttons.nth(i).bounding_box()["height"]) for i in range(2)}
    assert len(tops) == 1, "the header's buttons are on two lines"
    assert max(heights) < 50, "a button's label wraps"
    shot(page, "calendar-head-fr")
    context.close()
