"""Open questions: a published post's replies from every channel on one board, grouped by
similar answers, starred by people who run engagement, quoted back in a draft."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from chorus.accounts.models import User
from chorus.engagement import questions
from chorus.engagement.models.polls import Question
from chorus.inbox.models import Message
from chorus.publishing.models import PostTarget, State
from chorus.publishing.services import create_post
from chorus.workspaces.models import Membership, Role, Workspace
from tests.engagement.poll_factories import bluesky_channel, reply

pytestmark = pytest.mark.django_db
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def question(alice: User, workspace_a: Workspace) -> Question:
    sky, other = bluesky_channel(workspace_a), bluesky_channel(workspace_a, "SecondSky")
    post = create_post(workspace_a, alice, "What should we bake next?", [sky, other])
    for target in PostTarget.objects.filter(post=post):
        uri = f"at://{target.channel.remote_id}/q"
        PostTarget.objects.filter(pk=target.pk).update(state=State.PUBLISHED, remote_id=uri)
    reply(sky, f"at://{sky.remote_id}/q", "ann", "Chocolate croissants please!", 1)
    reply(other, f"at://{other.remote_id}/q", "ben", "chocolate croissants", 2)
    reply(sky, f"at://{sky.remote_id}/q", "cy", f"Lemon tart {HOSTILE}", 3)
    reply(sky, "at://elsewhere/post", "dee", "not an answer to the question", 4)
    return questions.mark_as_question(post, alice)


def test_answers_from_every_channel_grouped_by_shared_words(question: Question) -> None:
    groups = questions.grouped(list(questions.answers_to(question)))
    assert [[a.author.handle for a in g.answers] for g in groups] == [
        ["ann.test", "ben.test"],
        ["cy.test"],
    ]
    assert groups[0].words[:2] == ["chocolate", "croissants"]


def test_board_escapes_answers_and_shows_sentiment(alice_client: Client, question: Question):
    page = alice_client.get(reverse("engagement:question", args=[question.pk])).content.decode()
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "not an answer to the question" not in page
    assert "3 answers from every channel" in page


def test_star_then_quote_in_a_draft(alice_client: Client, question: Question, alice: User):
    ann = Message.objects.get(text="Chocolate croissants please!")
    alice_client.post(reverse("engagement:question_star", args=[question.pk, ann.pk]))
    alice_client.post(reverse("engagement:question_star", args=[question.pk, ann.pk]))  # twice
    assert questions.starred_ids(question) == {ann.pk}

    answer = alice_client.post(reverse("engagement:question_quote", args=[question.pk]))

    question.refresh_from_db()
    draft = question.quote_post
    assert draft is not None and answer["Location"] == reverse(
        "publishing:post_edit", args=[draft.pk]
    )
    assert "“Chocolate croissants please!” — ann.test" in draft.text
    assert {t.state for t in draft.targets.all()} == {State.DRAFT}


def test_a_message_that_is_no_answer_cannot_be_starred(alice: User, question: Question):
    other = Message.objects.get(text__startswith="not an answer")
    with pytest.raises(questions.QuestionRefused):
        questions.star(question, other.pk, alice)


def test_contributor_reads_but_cannot_star_or_quote(
    bob_client: Client, bob: User, question: Question, workspace_a: Workspace
) -> None:
    Membership.objects.filter(user=bob, workspace=workspace_a).update(role=Role.CONTRIBUTOR)
    ann = Message.objects.get(text="Chocolate croissants please!")
    assert bob_client.get(reverse("engagement:question", args=[question.pk])).status_code == 200
    star = reverse("engagement:question_star", args=[question.pk, ann.pk])
    assert bob_client.post(star).status_code == 403
    assert (
        bob_client.post(reverse("engagement:question_quote", args=[question.pk])).status_code == 403
    )
    assert (
        bob_client.post(reverse("engagement:question_mark"), {"post": question.post.pk}).status_code
        == 403
    )
    assert not question.stars.exists()


def test_outsider_gets_404(charlie_client: Client, question: Question) -> None:
    ann = Message.objects.get(text="Chocolate croissants please!")
    assert charlie_client.get(reverse("engagement:question", args=[question.pk])).status_code == 404
    star = reverse("engagement:question_star", args=[question.pk, ann.pk])
    assert charlie_client.post(star).status_code == 404
    assert (
        charlie_client.post(reverse("engagement:question_quote", args=[question.pk])).status_code
        == 404
    )
    answer = charlie_client.post(reverse("engagement:question_mark"), {"post": question.post.pk})
    assert answer.status_code == 302 and not question.stars.exists()
    assert Question.objects.count() == 1


def test_only_a_published_post_becomes_a_question(alice: User, workspace_a: Workspace):
    draft = create_post(workspace_a, alice, "Draft?", [bluesky_channel(workspace_a)])
    with pytest.raises(questions.QuestionRefused):
        questions.mark_as_question(draft, alice)
