import re

import pytest
from django.core import mail
from django.test import Client

from chorus.accounts.models import User

pytestmark = pytest.mark.django_db


def test_password_reset_sends_a_link_that_sets_a_new_password(alice: User) -> None:
    client = Client()
    client.post("/account/password/reset/", {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/account/password/reset/\S+/", mail.outbox[0].body)
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]
    form_page = client.get(path, follow=True)
    new = "another long pass phrase 7"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    alice.refresh_from_db()
    assert alice.check_password(new)


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same() -> None:
    response = Client().post("/account/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_the_reset_page_says_e_mail_like_every_other_page(client: Client) -> None:
    """Walked in French: "Courriel" (Django's own word) here, "E-mail" everywhere else."""
    page = client.get("/account/password/reset/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Courriel" not in page
    assert ">E-mail<" in page
