import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client

from chorus.accounts.models import User

pytestmark = pytest.mark.django_db

NEW = {"full_name": "Inès Roy", "email": "Ines@Example.org", "password": "a long pass phrase 42"}


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def test_the_first_account_of_a_fresh_install_is_created_at_once() -> None:
    client = Client()
    response = client.post("/account/signup/", NEW)
    assert response.status_code == 302
    assert response["Location"] == "/workspace/new/"
    user = User.objects.get(email="ines@example.org")
    assert user.full_name == "Inès Roy"
    assert client.get("/workspace/new/").status_code == 200


def _finish_link() -> str:
    link = re.search(r"http://\S+(/account/signup/finish/\S+/)", mail.outbox[-1].body)
    assert link is not None
    return link.group(1)


def test_a_new_address_gets_a_link_and_the_account_exists_once_confirmed(alice: User) -> None:
    client = Client()
    answer = client.post("/account/signup/", NEW)
    assert "Check your e-mail" in answer.content.decode()
    assert not User.objects.filter(email="ines@example.org").exists()
    assert mail.outbox[-1].to == ["ines@example.org"]
    finish = _finish_link()
    wrong = client.post(finish, {"password": "not the one I chose"})
    assert "password" in wrong.context["form"].errors
    assert not User.objects.filter(email="ines@example.org").exists()
    done = client.post(finish, {"password": NEW["password"]})
    assert done["Location"] == "/workspace/new/"
    user = User.objects.get(email="ines@example.org")
    assert user.full_name == "Inès Roy" and user.check_password(NEW["password"])
    assert client.get("/workspace/new/").status_code == 200
    assert client.post(finish, {"password": NEW["password"]})["Location"] == "/account/signin/"


def _without_csrf(page: bytes) -> bytes:
    page = re.sub(rb'"X-CSRFToken": "[^"]+"', b"", page)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", page)


def test_signing_up_with_a_used_address_answers_the_same_and_tells_the_owner(alice: User) -> None:
    known = Client().post("/account/signup/", {**NEW, "email": " ALICE@example.org"})
    unknown = Client().post("/account/signup/", {**NEW, "email": "zoe@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert _without_csrf(known.content) == _without_csrf(unknown.content)
    assert b"Check your e-mail" in known.content
    assert [m.to for m in mail.outbox] == [["alice@example.org"], ["zoe@example.org"]]
    assert "already have one" in mail.outbox[0].body
    assert "/account/password/reset/" in mail.outbox[0].body
    assert User.objects.count() == 1
    alice.refresh_from_db()
    assert alice.full_name == "Alice Martin"


def test_a_tampered_or_foreign_link_is_refused(alice: User) -> None:
    Client().post("/account/signup/", NEW)
    finish = _finish_link()
    response = Client().get(finish[:-6] + "AAAAA/")
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (
            {"full_name": "X", "email": "not-an-email", "password": "a long pass phrase 42"},
            "email",
            "valid email",
        ),
        ({"full_name": "X", "email": "x@example.org", "password": "123"}, "password", "too short"),
        (
            {"full_name": "", "email": "x@example.org", "password": "a long pass phrase 42"},
            "full_name",
            "required",
        ),
        (
            {"full_name": "   ", "email": "x@example.org", "password": "a long pass phrase 42"},
            "full_name",
            "",
        ),
    ],
)
def test_signup_bad_input_gets_a_field_error(data: dict, field: str, words: str) -> None:
    response = Client().post("/account/signup/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert words in " ".join(errors[field]).lower()
    assert not User.objects.exists()
    assert mail.outbox == []
