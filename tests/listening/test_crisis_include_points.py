"""The buttons crisis mode adds to other pages: "Open a crisis from this alert" on an alert,
"Save to crisis" on a mention (the alert and mention pages include these templates)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from chorus.listening import crisis as crises
from chorus.listening.models import Alert, ListeningQuery, Mention
from chorus.workspaces.context import _allowed_for
from chorus.workspaces.models import Membership
from tests.listening import crisis_fixtures as fixtures

contributor_bob = fixtures.contributor_bob


def _render(template: str, user, workspace, **context) -> str:  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user, request.workspace = user, workspace  # type: ignore[attr-defined]
    role = Membership.objects.get(user=user, workspace=workspace).role
    return render_to_string(template, {**context, "allowed": _allowed_for(role)}, request=request)


def test_save_to_crisis_shows_only_while_a_crisis_is_open(alice, workspace_a) -> None:
    mention = Mention.objects.create(
        workspace=workspace_a, network="rss", remote_id="1", published_at=timezone.now()
    )
    assert "Save to crisis" not in _render(
        "listening/_mention_actions.html", alice, workspace_a, m=mention
    )
    crises.open_crisis(workspace_a, alice, "Recall")
    html = _render("listening/_mention_actions.html", alice, workspace_a, m=mention)
    assert f"/listening/crisis/save-mention/{mention.pk}/" in html


def test_open_from_alert_or_go_to_the_room(alice, workspace_a, contributor_bob) -> None:
    now = timezone.now()
    query = ListeningQuery.objects.create(
        workspace=workspace_a, name="B", kind="brand", expression="b"
    )
    alert = Alert.objects.create(
        workspace=workspace_a, query=query, kind="volume", window_start=now, window_end=now,
        count=9, baseline=1.0, threshold=5.0, formula="f",
    )  # fmt: skip
    html = _render("listening/_alert_actions.html", alice, workspace_a, alert=alert)
    assert f"/listening/crisis/open/?alert={alert.pk}" in html
    assert "/listening/crisis/open/" not in _render(
        "listening/_alert_actions.html", contributor_bob, workspace_a, alert=alert
    )
    crisis = crises.open_crisis(workspace_a, alice, "Recall", alert)
    html = _render("listening/_alert_actions.html", alice, workspace_a, alert=alert)
    assert f"/listening/crisis/{crisis.pk}/" in html and "open/?alert" not in html
