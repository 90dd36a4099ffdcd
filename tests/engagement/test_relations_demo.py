"""The demo workspace shows relations alive: every stage filled, follow-ups on Today, and top
voices suggested from the demo mentions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chorus.accounts.models import User
from chorus.engagement.models.relations import FollowUp, OutreachTemplate, Relation, Stage
from chorus.engagement.relations_voices import top_voices
from chorus.today.demo import DEMO_EMAIL, create_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_living_pipeline(client):
    workspace, _password = create_demo()
    relations = Relation.objects.filter(workspace=workspace)
    assert relations.count() == 12
    assert set(relations.values_list("stage", flat=True)) == set(Stage.values)
    assert FollowUp.objects.filter(workspace=workspace).count() == 3
    assert OutreachTemplate.objects.filter(workspace=workspace).count() == 2
    voices = top_voices(workspace)
    assert voices and all(voice.voice.total >= 2 for voice in voices)

    client.force_login(User.objects.get(email=DEMO_EMAIL))
    assert "Relancer après le premier message" in client.get(reverse("today")).content.decode()
