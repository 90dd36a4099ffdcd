"""The demo workspace listens too: three queries (brand, product, competitor), a paused feed
source, two weeks of mentions classified by the real classifier, each matched to a query."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from chorus.listening.models import ListeningQuery, ListeningSource, Mention, MentionMatch
from chorus.today.demo import create_demo

pytestmark = pytest.mark.django_db


def test_the_demo_workspace_has_two_weeks_of_classified_mentions(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    workspace, _password = create_demo("demo pass phrase 42")
    kinds = set(ListeningQuery.objects.filter(workspace=workspace).values_list("kind", flat=True))
    assert kinds == {"brand", "product", "competitor"}
    source = ListeningSource.objects.get(workspace=workspace)
    assert not source.is_active  # a demo never polls a real network
    mentions = Mention.objects.filter(workspace=workspace)
    assert mentions.count() >= 70
    oldest = mentions.order_by("published_at").first()
    assert oldest is not None
    assert oldest.published_at < timezone.now() - timedelta(days=12)
    assert set(mentions.values_list("language", flat=True)) >= {"en", "fr"}
    assert set(mentions.values_list("sentiment", flat=True)) >= {"positive", "negative"}
    assert not mentions.filter(matches__isnull=True).exists()
    negative_matches = MentionMatch.objects.filter(workspace=workspace, negative=True)
    assert (
        negative_matches.count()
        == MentionMatch.objects.filter(workspace=workspace, mention__sentiment="negative").count()
    )
