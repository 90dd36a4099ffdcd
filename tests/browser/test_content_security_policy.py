"""Every main page runs under the Content-Security-Policy with no violation in the console."""

from __future__ import annotations

import pytest

from chorus.inbox.models import Conversation
from chorus.publishing.models import Post
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/today/",
    "/inbox/",
    "/inbox/settings/",
    "/inbox/saved-replies/",
    "/inbox/rules/",
    "/inbox/rules/labels/",
    "/publishing/calendar/",
    "/publishing/calendar/?view=week",
    "/publishing/compose/",
    "/publishing/posts/",
    "/publishing/queue/",
    "/publishing/media/",
    "/channels/",
    "/channels/connect/",
    "/workspace/settings/",
    "/workspace/members/",
    "/workspace/notifications/",
    "/account/profile/",
]


def _watch_violations(page) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


def test_main_pages_run_without_a_csp_violation(page, demo_owner) -> None:  # type: ignore[no-untyped-def]
    conversation = Conversation.objects.filter(workspace__is_demo=True).first()
    post = Post.objects.filter(workspace__is_demo=True, needs_approval=True).first()
    assert conversation is not None and post is not None
    violations = _watch_violations(page)
    sign_in(page, demo_owner)
    for path in [*PAGES, f"/inbox/{conversation.pk}/", f"/publishing/posts/{post.pk}/"]:
        response = page.goto(page.base + path)
        assert response is not None and response.ok, path
        assert "script-src 'self'" in (response.headers.get("content-security-policy") or "")
        page.wait_for_load_state("load")
        assert violations == [], f"{path}: {violations}"


def test_signed_out_pages_run_without_a_csp_violation(page) -> None:  # type: ignore[no-untyped-def]
    violations = _watch_violations(page)
    for path in ["/account/signin/", "/account/signup/", "/no-such-page/"]:
        page.goto(page.base + path)
        page.wait_for_load_state("load")
        assert violations == [], f"{path}: {violations}"


def test_a_label_keeps_its_colour_without_a_style_attribute(page, demo_owner) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, demo_owner)
    page.goto(page.base + "/inbox/")
    chip = page.locator(".chip.label", has_text="VIP").first
    colour = chip.evaluate("el => getComputedStyle(el).getPropertyValue('--label').trim()")
    assert colour == "#7c3aed"
