import pytest
from django.test import Client

from chorus.accounts.models import User

pytestmark = pytest.mark.django_db


def test_signup_creates_the_account_and_goes_to_workspace_creation() -> None:
    client = Client()
    response = client.post(
        "/account/signup/",
        {"full_name": "Inès Roy", "email": "Ines@Example.org", "password": "a long pass phrase 42"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/workspace/new/"
    user = User.objects.get(email="ines@example.org")
    assert user.full_name == "Inès Roy"
    assert client.get("/workspace/new/").status_code == 200


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
    ],
)
def test_signup_bad_input_gets_a_field_error(data: dict, field: str, words: str) -> None:
    response = Client().post("/account/signup/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    assert words in " ".join(errors[field]).lower()
    assert not User.objects.exists()


def test_signup_refuses_an_email_already_used(alice: User) -> None:
    response = Client().post(
        "/account/signup/",
        {"full_name": "Other", "email": "ALICE@example.org", "password": "a long pass phrase 42"},
    )
    assert "email" in response.context["form"].errors
    assert User.objects.count() == 1
