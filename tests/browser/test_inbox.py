"""Working the inbox in a real browser: the list, j/k/Enter, correcting a sentiment, replying,
resolving with e, and the same list in French."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from chorus.channels import services as channels
from chorus.inbox.models import Direction, Label, Message, Note, SavedReply, Status
from tests.browser.conftest import shot, sign_in
from tests.inbox import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TALKS = [
    ("Camille Roux", "camille@piaille.fr", "Ma commande n°4471 n'est toujours pas arrivée, "
     "ça fait 10 jours. Vous pouvez vérifier ?", "negative", "complaint", 1),
    ("Jonas Weber", "jonas@mastodon.social", "Do you ship to Germany? I would love to order "
     "the blue mug for my sister.", "positive", "purchase_intent", 3),
    ("Inès Roy", "ines@eldritch.cafe", "Merci pour l'atelier de samedi, c'était génial !",
     "positive", "praise", -2),
    ("Sam K.", "sam@fosstodon.org", "Is the shop open on Sunday afternoon?", "neutral",
     "question", 5),
    ("Léo Martin", "leo@piaille.fr", "Le lien de votre newsletter renvoie une erreur 404.",
     "negative", "complaint", None),
]  # fmt: skip


@pytest.fixture
def inbox(alice, bob, workspace_a, standin):  # type: ignore[no-untyped-def]
    channel = channels.connect(
        workspace_a, "mastodon", {"access_token": "tok-1"}, {"base_url": standin.root},
        name="Café Lumière",
    )  # fmt: skip
    delivery = Label.objects.create(workspace=workspace_a, name="Delivery", color="#d97706")
    vip = Label.objects.create(workspace=workspace_a, name="VIP", color="#7c3aed")
    made = []
    now = timezone.now()
    for n, (name, handle, text, sentiment, intent, due_hours) in enumerate(TALKS):
        fan = factories.author(workspace_a, handle=handle, display_name=name, followers=120 * n)
        talk = factories.conversation(
            channel, text, by=fan, at=now - timedelta(minutes=7 * n + 3), sentiment=sentiment,
            intent=intent, assignee=bob if n == 2 else None,
            response_due_at=now + timedelta(hours=due_hours) if due_hours is not None else None,
        )  # fmt: skip
        made.append(talk)
    made[0].labels.add(delivery)
    made[1].labels.add(vip)
    Note.objects.create(workspace=workspace_a, conversation=made[0], author=bob,
                        text="Checked with the warehouse: parcel left on Monday.")  # fmt: skip
    SavedReply.objects.create(workspace=workspace_a, name="Thanks",
                              text="Thanks {first_name}! — {agent_name}, {brand}")  # fmt: skip
    return made


def test_work_the_inbox_with_the_keyboard(page, alice, inbox) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, alice)
    page.goto(page.base + "/inbox/")
    assert page.locator("[data-row]").count() == len(TALKS)
    # Text from networks is shown as text.
    assert "Ma commande n°4471" in page.inner_text(".conv-list")
    shot(page, "inbox-en")

    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator(".conv-row.current").count() == 1
    assert "Camille" in page.inner_text(".conv-row.current")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/inbox/{inbox[0].pk}/")
    shot(page, "conversation-en")

    # One-click correction of the sentiment.
    page.click(".msg.in .chip-menu summary.chip")
    page.click(".msg.in button[data-sentiment=neutral]")
    page.wait_for_load_state()
    first = Message.objects.filter(conversation=inbox[0]).order_by("pk").first()
    assert first is not None and first.sentiment == "neutral" and first.sentiment_corrected

    # r goes to the reply box; a saved reply is filled in for Camille.
    page.keyboard.press("r")
    page.select_option("[data-saved-reply]", label="Thanks")
    expect(page.locator("#reply-text")).to_have_value(
        re.compile("Camille")
    )  # no eval under the CSP
    assert "Thanks Camille! — Alice, Brand A" in page.input_value("#reply-text")
    page.click(".reply-form button[type=submit]")
    page.wait_for_selector(".flash-item.success")
    sent = Message.objects.get(conversation=inbox[0], direction=Direction.OUTGOING)
    assert sent.sent_by == alice
    assert "Thanks Camille!" in page.inner_text(".msg.out")
    shot(page, "conversation-replied-en")

    # Back on the list, e resolves the current row.
    page.goto(page.base + "/inbox/")
    page.keyboard.press("j")
    resolved_pk = int(
        page.get_attribute(".conv-row.current", "data-href").strip("/").split("/")[-1]
    )
    page.keyboard.press("e")
    page.wait_for_selector(".flash-item.success")
    assert inbox[0].__class__.objects.get(pk=resolved_pk).status == Status.RESOLVED

    page.keyboard.press("?")
    assert page.is_visible("#shortcuts")
    page.keyboard.press("Escape")
    assert not page.is_visible("#shortcuts")


def test_the_inbox_in_french(page, alice, inbox) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, alice)
    page.goto(page.base + "/inbox/")
    page.click(".sidebar .lang-switch button[value=fr]")
    page.wait_for_load_state()
    assert page.get_attribute("html", "lang") == "fr"
    assert "Réglages" in page.inner_text("nav.nav")
    shot(page, "inbox-fr")
    page.keyboard.press("?")
    assert page.is_visible("#shortcuts")
