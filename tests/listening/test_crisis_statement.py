"""The holding statement goes out only once every named approver approved its current words,
through the dispatcher, while every other post stays paused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.listening import statement as statements
from chorus.listening.crisis import CrisisRuleBroken
from chorus.listening.crisis_summary import summarise
from chorus.listening.models import Decision
from chorus.publishing.dispatcher import publish_target
from chorus.publishing.models import PostTarget, State
from chorus.publishing.sweeper import dispatch_due
from chorus.workspaces.models import Notification
from tests.listening import crisis_fixtures as fixtures
from tests.publishing.conftest import scheduled

crisis_a = fixtures.crisis_a
smtp = fixtures.smtp


@pytest.fixture
def statement(alice, bob, crisis_a, channel_a, smtp):  # type: ignore[no-untyped-def]
    written = statements.write_statement(crisis_a, alice, "We are looking into it.", [channel_a])
    statements.add_member_approver(written, bob)
    statements.add_outside_approver(written, "Lou Lawyer", "lou@law.example")
    return written


def _token(smtp) -> str:  # type: ignore[no-untyped-def]
    return smtp.links()[-1].rstrip("/").rsplit("/", 1)[1]


def test_not_before_every_approver_approved(
    alice,
    bob,
    statement,
    smtp,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        statements.submit(statement, alice)
    assert len(smtp.messages) == 1 and smtp.messages[0]["To"] == "lou@law.example"
    assert Notification.objects.filter(
        user=bob, link=f"/listening/crisis/{statement.crisis.pk}/"
    ).exists()
    member = statement.approvals.get(member=bob)
    statements.decide(member, Decision.APPROVED, by=bob)
    with pytest.raises(CrisisRuleBroken):
        statements.publish_statement(statement, alice)

    outside = statements.approval_for_link(_token(smtp))
    statements.decide(outside, Decision.APPROVED)
    assert statements.is_approved(statement)


def test_an_edit_resets_approvals_and_kills_old_links(
    alice,
    bob,
    statement,
    channel_a,
    smtp,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        statements.submit(statement, alice)
    old_token = _token(smtp)
    statements.decide(statement.approvals.get(member=bob), Decision.APPROVED, by=bob)

    statements.write_statement(statement.crisis, alice, "We are sorry.", [channel_a])

    statement.refresh_from_db()
    assert statement.revision == 2 and statement.submitted_at is None
    assert not statements.is_approved(statement)
    assert set(statement.approvals.values_list("decision", flat=True)) == {Decision.PENDING}
    with pytest.raises(statements.LinkRefused) as refused:
        statements.approval_for_link(old_token)
    assert refused.value.reason == "forged"


def test_outside_link_expired_forged_and_reused(
    alice,
    statement,
    smtp,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        statements.submit(statement, alice)
    token = _token(smtp)
    with pytest.raises(statements.LinkRefused) as forged:
        statements.approval_for_link(token[:-2] + "xy")
    assert forged.value.reason == "forged"

    approval = statements.approval_for_link(token)
    statements.decide(approval, Decision.CHANGES, "Remove 'sorry'")
    with pytest.raises(statements.LinkRefused) as used:
        statements.approval_for_link(token)
    assert used.value.reason == "used"

    with django_capture_on_commit_callbacks(execute=True):
        statements.write_statement(
            statement.crisis, alice, "Working on it.", statement.channels.all() and []
        )
    approval.refresh_from_db()
    assert approval.decision == Decision.PENDING


def test_expired_link(alice, statement, smtp, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        statements.submit(statement, alice)
    statement.approvals.filter(member=None).update(
        token_expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(statements.LinkRefused) as expired:
        statements.approval_for_link(_token(smtp))
    assert expired.value.reason == "expired"


def test_statement_goes_out_while_other_posts_stay_paused(
    alice,
    bob,
    statement,
    channel_a,
    standin,
    smtp,
    django_capture_on_commit_callbacks,
) -> None:
    waiting = scheduled(alice, channel_a, "Our spring sale!")  # paused by the crisis
    with django_capture_on_commit_callbacks(execute=True):
        statements.submit(statement, alice)
    statements.decide(statement.approvals.get(member=bob), Decision.APPROVED, by=bob)
    statements.decide(statements.approval_for_link(_token(smtp)), Decision.APPROVED)

    statements.publish_statement(statement, alice)
    statement.refresh_from_db()
    (target,) = PostTarget.objects.filter(post=statement.post)
    dispatch_due(lambda pk, eta: publish_target(pk))
    assert publish_target(target.pk) in ("published", "skipped")
    assert publish_target(waiting.pk) == "paused"

    target.refresh_from_db()
    waiting.refresh_from_db()
    assert target.state == State.PUBLISHED
    assert waiting.state == State.SCHEDULED
    texts = [s.text for s in standin.store.statuses]
    assert texts == ["We are looking into it."]
    # The close summary lists it among what was published during the crisis.
    assert [t.pk for t in summarise(statement.crisis).published] == [target.pk]
    with pytest.raises(CrisisRuleBroken):
        statements.publish_statement(statement, alice)
