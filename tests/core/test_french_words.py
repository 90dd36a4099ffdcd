"""Words found in English on French pages while walking the product."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from chorus.inbox.templatetags.inbox import intent_label

pytestmark = pytest.mark.django_db


def test_a_network_that_can_publish_is_not_said_to_be_publishing_right_now(
    alice_client: Client,
) -> None:
    alice_client.cookies["django_language"] = "fr"
    page = alice_client.get("/channels/connect/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()

    assert "Connecter un canal" in page  # the page is in French
    assert "En cours de publication" not in page  # the post state, not the capability
    assert ">Publication<" in page


def test_the_buying_intent_is_in_french() -> None:
    with translation.override("fr"):
        assert intent_label("purchase_intent") == "Envie d’acheter"
