"""A blogger moved through the relations pipeline in a real browser: spotted (from top voices)
-> contacted with an outreach template -> in discussion -> partner (on the board), with a
follow-up that shows on Today. Screenshots in English and French."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.test import Client

from chorus.accounts.models import User
from chorus.engagement.models.relations import OutreachTemplate, Relation, Stage
from chorus.workspaces.models import Workspace
from tests.browser.conftest import shot
from tests.engagement.relation_factories import mentions_by, relation
from tests.listening.mention_factories import make_author

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
def blogger(workspace_a: Workspace):  # type: ignore[no-untyped-def]
    nadia = make_author(workspace_a, "nadia@coffee.social", followers=18_400)
    nadia.display_name = "Nadia <Lyon Gourmand>"
    nadia.save()
    mentions_by(nadia, "positive", "positive", "neutral", text="Café Lumière flat white, latte art")
    for name, stage, handle in [("Omar", Stage.CONTACTED, "omar"), ("Lina", Stage.PARTNER, "")]:
        relation(workspace_a, name, handle=handle, stage=stage, topics="coffee")
    OutreachTemplate.objects.create(
        workspace=workspace_a,
        name="First hello",
        text="Hi {name}, we love what {handle} writes about coffee. {brand} would like to "
        "invite you.",
    )
    return nadia


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_blogger_through_the_pipeline(page, alice, blogger, workspace_a, language):  # type: ignore[no-untyped-def]
    _signed_in(page, alice, language)
    page.goto(page.base + "/engagement/relations/top-voices/")
    row = page.locator("tr", has_text="nadia@coffee.social")
    assert re.search(r"18\D?400", row.inner_text())  # grouped as the language writes it
    shot(page, f"relations-voices-{language}")
    row.locator("form").first.locator("button").click()  # add to pipeline

    page.wait_for_url("**/engagement/relations/*/")
    assert "<Lyon Gourmand>" in page.locator("h1").inner_text()  # shown as text, escaped
    page.locator(".card", has_text="Outreach" if language == "en" else "Prise de contact").locator(
        "a.btn"
    ).click()
    assert (
        "Hi Nadia <Lyon Gourmand>, we love what @nadia@coffee.social"
        in page.locator("textarea").input_value()
    )
    page.locator("form button.primary").click()  # mark as sent: contacted

    page.wait_for_url("**/engagement/relations/*/")
    nadia = Relation.objects.get(person__accounts=blogger)
    assert nadia.stage == Stage.CONTACTED
    due = (date.today() - timedelta(days=1)).isoformat()
    page.fill("#id_text", "Send the tasting invitation")
    page.fill("#id_due_on", due)
    page.select_option("#id_assignee", str(alice.pk))
    page.locator("form", has=page.locator("#id_due_on")).locator("button").click()
    page.wait_for_url("**/engagement/relations/*/")

    page.goto(page.base + "/engagement/relations/board/")
    card = page.locator(f"#relation-card-{nadia.pk}")
    card.locator("select").select_option("discussing")
    card.locator("button").click()
    page.locator(f".stage-column-discussing #relation-card-{nadia.pk}").wait_for()
    card = page.locator(f"#relation-card-{nadia.pk}")
    card.locator("select").select_option("partner")
    card.locator("button").click()
    page.locator(f".stage-column-partner #relation-card-{nadia.pk}").wait_for()
    shot(page, f"relations-board-{language}")
    nadia.refresh_from_db()
    assert nadia.stage == Stage.PARTNER

    page.goto(page.base + f"/engagement/relations/{nadia.pk}/")
    history = page.locator(".history").inner_text()
    assert "First hello" in history or "« First hello »" in history
    shot(page, f"relations-person-{language}")

    page.goto(page.base + "/engagement/relations/")
    assert "Nadia <Lyon Gourmand>" in page.locator(".relation-table").inner_text()
    shot(page, f"relations-directory-{language}")

    page.goto(page.base + "/")
    follow_ups = page.locator(".section-follow_ups")
    assert "Send the tasting invitation" in follow_ups.inner_text()
    shot(page, f"relations-today-{language}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_demo_pipeline_and_directory(page, demo_owner, language):  # type: ignore[no-untyped-def]
    _signed_in(page, demo_owner, language)
    page.goto(page.base + "/engagement/relations/board/")
    assert page.locator(".board-card").count() == 12
    shot(page, f"relations-demo-board-{language}")
    page.goto(page.base + "/engagement/relations/?order=reach")
    assert page.locator(".relation-table tbody tr").count() == 12
    shot(page, f"relations-demo-directory-{language}")
    page.goto(page.base + "/engagement/relations/top-voices/")
    assert page.locator(".voice-table tbody tr").count() >= 1
    shot(page, f"relations-demo-voices-{language}")
