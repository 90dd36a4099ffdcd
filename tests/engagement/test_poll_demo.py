"""The demo workspace shows polls and questions alive: a closed poll with its combined result
and its results post awaiting approval, an open question with grouped, starred answers."""

from __future__ import annotations

import pytest

from chorus.engagement import poll_results, questions
from chorus.engagement.models.polls import Poll, Question
from chorus.publishing.models import State
from chorus.today.demo import create_demo

pytestmark = pytest.mark.django_db


def test_demo_has_a_closed_poll_and_an_open_question() -> None:
    workspace, _password = create_demo()

    poll = Poll.objects.get(workspace=workspace)
    results = poll_results.results_of(poll)
    assert poll.is_closed and results.total == 163
    assert [o.votes for o in results.options] == [53, 83, 27]
    assert poll.results_post is not None
    assert {t.state for t in poll.results_post.targets.all()} == {State.AWAITING_APPROVAL}

    question = Question.objects.get(workspace=workspace)
    answers = list(questions.answers_to(question))
    groups = questions.grouped(answers)
    assert len(answers) == 6 and len(groups) < 6
    assert len(questions.starred_ids(question)) == 1
