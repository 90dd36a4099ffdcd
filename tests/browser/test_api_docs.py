"""The API docs render in a real browser that can reach nothing but the Chorus server itself."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_with_no_way_out(page) -> None:  # type: ignore[no-untyped-def]
    own = urlsplit(page.base).netloc
    elsewhere: list[str] = []

    def only_chorus(route) -> None:  # type: ignore[no-untyped-def]
        if urlsplit(route.request.url).netloc == own:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_chorus)
    page.goto(page.base + "/api/v1/docs")
    page.wait_for_selector("#swagger-ui .opblock-summary-path")
    paths = page.locator("#swagger-ui .opblock-summary-path").all_inner_texts()
    shot(page, "api-docs")
    assert any("/api/v1/posts" in path for path in paths)
    assert elsewhere == []
