"""The listening query editor in a real browser: the live preview follows what is typed (over
the mentions stored from a source), a query that cannot be read shows its error and column,
saving lists the query with its counts. Screenshots in English and French."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from chorus.accounts.models import User
from chorus.listening import ingest, services
from chorus.listening.models import ListeningQuery, ListeningSource
from chorus.listening.sources.base import Batch
from chorus.workspaces.models import Workspace
from tests.browser.conftest import shot
from tests.listening.conftest import heard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POSTS = [
    ("Just tried the new Acme Coffee cold brew, honestly the best I have had this summer", "en"),
    ("Acme is hiring baristas in Lyon, apply before Friday", "en"),
    ("Le café Acmé de la rue Victor Hugo est fermé depuis une semaine, dommage", "fr"),
    ("Worst delivery ever from @acme, three weeks late and the bag was torn open", "en"),
    ("Nothing to do with coffee: a photo of my cat in the garden", "en"),
    ("#AcmeCoffee latte art contest results are out https://acme.example/contest", "en"),
]


def _signed_in(page, user: User, language: str) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": page.base},
            {"name": "django_language", "value": language, "url": page.base},
        ]
    )


@pytest.fixture
def stored_mentions(workspace_a: Workspace) -> ListeningSource:
    source = ListeningSource.objects.create(workspace=workspace_a, kind="rss", name="Coffee blogs")
    posts = [
        heard(
            n,
            text,
            author_name=name,
            author_handle=handle,
            author_id=handle,
            published_at=timezone.now() - timedelta(hours=10 * n),
        )
        for n, ((text, _lang), (name, handle)) in enumerate(
            zip(
                POSTS,
                [
                    ("Nadia", "nadia"),
                    ("Acme jobs", "acmejobs"),
                    ("Léa", "lea"),
                    ("Tom R.", "tomr"),
                    ("Sam", "sam"),
                    ("Latte Club", "latteclub"),
                ],
                strict=True,
            ),
            start=1,
        )
    ]
    ingest.store_heard(source, Batch(posts, {}))
    return source


def test_write_a_query_with_live_preview(  # type: ignore[no-untyped-def]
    page, alice: User, stored_mentions: ListeningSource
) -> None:
    _signed_in(page, alice, "en")
    page.goto(page.base + "/listening/queries/new/")
    page.fill("#id_name", "Acme brand")
    page.fill("#id_expression", "acme")
    count = page.locator(".preview-count")
    count.filter(has_text="5 matches among the latest 6 mentions").wait_for()

    page.fill("#id_expression", '(acme OR "acme coffee" OR #acmecoffee) -hiring')
    count.filter(has_text="4 matches").wait_for()  # the job post out, the hashtag in
    texts = page.locator(".preview-text").all_inner_texts()
    assert not any("hiring" in text for text in texts)
    assert any("latte art" in text for text in texts)

    page.fill("#id_expression", "(acme OR coffee")
    error = page.locator(".query-error")
    error.wait_for()
    assert "never closed" in error.inner_text() and "At character 1." in error.inner_text()
    shot(page, "listening-query-error-en")

    page.fill("#id_expression", '(acme OR "acme coffee" OR #acmecoffee) -hiring')
    count.filter(has_text="4 matches").wait_for()
    shot(page, "listening-query-editor-en")
    page.click("button[name=save]")
    page.locator(".query-table").wait_for()
    assert (
        ListeningQuery.objects.get().expression == '(acme OR "acme coffee" OR #acmecoffee) -hiring'
    )
    shot(page, "listening-queries-en")


def test_editor_and_list_in_french(  # type: ignore[no-untyped-def]
    page, alice: User, stored_mentions: ListeningSource, workspace_a: Workspace
) -> None:
    query = services.create_query(
        workspace_a, alice, services.QueryFields("Marque Acme", "brand", "acme -hiring")
    )
    services.create_query(
        workspace_a,
        alice,
        services.QueryFields("Café du coin", "competitor", '"blue bottle" OR cafe'),
    )
    _signed_in(page, alice, "fr")
    page.goto(page.base + "/listening/queries/")
    assert "Requêtes de veille" in page.locator("h1").inner_text()
    shot(page, "listening-queries-fr")
    page.goto(page.base + f"/listening/queries/{query.pk}/")
    page.locator(".preview-count", has_text="4 correspondances").wait_for()
    page.fill("#id_expression", "acme AND")
    page.locator(".query-error").wait_for()
    assert "caractère 8" in page.locator(".query-error").inner_text()
    shot(page, "listening-query-error-fr")
    page.fill("#id_expression", "acme -hiring")
    page.locator(".preview-count", has_text="4 correspondances").wait_for()
    shot(page, "listening-query-editor-fr")
