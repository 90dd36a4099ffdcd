"""Styled 403, 404 and 500 pages, in English and in French."""

from __future__ import annotations

import html

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from chorus.core.error_pages import server_error
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_404_signed_out_is_styled_with_a_way_to_sign_in() -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This page does not exist" in body
    assert "error-card" in body and "/account/signin/" in body
    assert 'class="sidebar"' not in body


def test_404_signed_in_keeps_the_sidebar(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(alice).get("/inbox/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "This page does not exist" in body
    assert 'class="sidebar"' in body and "Back to Today" in body


def test_404_in_french(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(alice).get("/no-such-page/", headers={"accept-language": "fr"})
    assert "Cette page n'existe pas" in html.unescape(response.content.decode())


def test_403_tells_a_member_their_role_does_not_allow_it(bob, workspace_a) -> None:  # type: ignore[no-untyped-def]
    # bob is an editor: connecting channels is for owners and admins.
    response = signed_in(bob).get("/channels/connect/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "You cannot do this here" in body and 'class="sidebar"' in body


def test_403_in_french(bob, workspace_a) -> None:  # type: ignore[no-untyped-def]
    response = signed_in(bob).get("/channels/connect/", headers={"accept-language": "fr"})
    assert response.status_code == 403
    assert "Vous ne pouvez pas faire cela ici" in html.unescape(response.content.decode())


def test_expired_form_gets_a_styled_403(alice, workspace_a) -> None:  # type: ignore[no-untyped-def]
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    response = client.post("/workspace/notifications/read/")
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "Something went wrong on our side"), ("fr", "Un problème est survenu de notre côté")],
)
def test_500_is_standalone_and_translated(language: str, title: str) -> None:
    with translation.override(language):
        response = server_error(RequestFactory().get("/today/"))
    assert response.status_code == 500
    body = response.content.decode()
    assert title in body and f'lang="{language}"' in body
    assert "css/chorus.css" in body


def test_an_unexpected_error_answers_with_the_500_page(alice, workspace_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr("chorus.today.views.sections_for", broken)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.get("/today/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
