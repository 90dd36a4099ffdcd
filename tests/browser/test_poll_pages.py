"""A poll across two networks in a real browser: created on Telegram (a native poll, on the
loopback Bot API) and Bluesky (counted from replies), closed, and its combined result read in
English and French; then an open question's board."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from chorus.engagement.models.polls import Poll
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import PostTarget, State
from tests.browser.conftest import shot, sign_in
from tests.channels.telegram.loopback import LoopbackApi, loopback  # noqa: F401  (a fixture)
from tests.engagement.poll_factories import (
    bluesky_channel,
    ok_poll,
    poll_object,
    reply,
    sent_poll,
    telegram_channel,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
OPTIONS = ["Lemon tart", "Praline brioche", "Carrot cake"]


def test_a_poll_across_telegram_and_bluesky(  # type: ignore[no-untyped-def]
    page,
    alice,
    workspace_a,
    loopback: LoopbackApi,  # noqa: F811
) -> None:
    telegram, sky = telegram_channel(workspace_a, loopback), bluesky_channel(workspace_a)
    loopback.answer("/sendPoll", sent_poll(88, OPTIONS))
    sign_in(page, alice)
    page.goto(f"{page.base}/engagement/polls/new/")
    page.get_by_label("Question").fill("Which cake for the winter menu?")
    page.get_by_label("Choices").fill("\n".join(OPTIONS))
    page.get_by_label("VVV talk", exact=False).check()
    page.get_by_label("BrandSky", exact=False).check()
    shot(page, "polls-new-en")
    page.get_by_role("button", name="Publish the poll").click()
    expect(page.get_by_role("heading", name="Which cake for the winter menu?")).to_be_visible()

    poll = Poll.objects.get(workspace=workspace_a)
    for target in PostTarget.objects.filter(post=poll.post, channel=telegram):
        publish_target(target.pk)  # what the queue's worker does
    # Bluesky's PDS is not run here: its variant is marked as the PDS would have answered.
    uri = "at://did:plc:brandsky/app.bsky.feed.post/3kcake"
    PostTarget.objects.filter(post=poll.post, channel=sky).update(
        state=State.PUBLISHED, remote_id=uri
    )
    for n, (who, text) in enumerate([("ann", "2"), ("ben", "Lemon tart!"), ("cy", "2 of course"),
                                     ("dee", "<b>3</b>"), ("ann", "1")]):  # fmt: skip
        reply(sky, uri, who, text, n + 1)

    page.get_by_role("button", name="Read counts now").click()
    expect(page.get_by_text("Not available", exact=True)).to_be_visible()  # Telegram, until closing
    loopback.answer("/stopPoll", ok_poll(poll_object(OPTIONS, [14, 22, 5], closed=True)))
    page.get_by_role("button", name="Close now").click()
    expect(page.get_by_text("The results post is drafted and waits for approval.")).to_be_visible()
    expect(page.locator(".poll-result tbody tr").nth(1)).to_contain_text("24")  # 22 + 2
    expect(page.get_by_text("44 votes")).to_be_visible()
    shot(page, "polls-result-en")

    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": page.base}])
    page.reload()
    expect(page.get_by_role("heading", name="Résultat combiné")).to_be_visible()
    shot(page, "polls-result-fr")
    page.goto(f"{page.base}/engagement/polls/new/")
    shot(page, "polls-new-fr")


def test_the_demo_question_board(page, demo_owner) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, demo_owner)
    page.goto(f"{page.base}/engagement/polls/questions/")
    page.get_by_role("link", name="Qu'aimeriez-vous voir").click()
    expect(page.get_by_text("6 answers from every channel")).to_be_visible()
    shot(page, "questions-board-en")
    page.context.add_cookies([{"name": "django_language", "value": "fr", "url": page.base}])
    page.reload()
    shot(page, "questions-board-fr")
    page.goto(f"{page.base}/engagement/polls/")
    shot(page, "polls-list-fr")
