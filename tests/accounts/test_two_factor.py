import pytest
from django.core.cache import cache
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from chorus.accounts.models import User
from chorus.workspaces.models import Workspace
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_turning_on_two_factor_then_signing_in_asks_for_the_code(
    alice_client: Client, alice: User, workspace_a: Workspace
) -> None:
    cache.clear()
    page = alice_client.get("/account/two-factor/")
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=alice)
    wrong = alice_client.post("/account/two-factor/", {"code": "000000"})
    assert "wrong" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down retries after a failure
    alice_client.post("/account/two-factor/", {"code": _code(device)})
    assert TOTPDevice.objects.get(user=alice).confirmed

    client = Client()
    first = client.post("/account/signin/", {"email": alice.email, "password": PASSWORD})
    assert first["Location"].startswith("/account/signin/code/")
    assert client.get("/today/").status_code == 302  # not signed in yet
    device.refresh_from_db()
    device.last_t = -1  # allow reuse of the current step in the test
    device.save()
    client.post("/account/signin/code/", {"code": _code(device)})
    assert client.get("/today/").status_code == 200


def test_a_malformed_code_gets_a_field_error(alice: User) -> None:
    cache.clear()
    device = TOTPDevice.objects.create(user=alice, name="x", confirmed=True)
    client = Client()
    client.post("/account/signin/", {"email": alice.email, "password": PASSWORD})
    response = client.post("/account/signin/code/", {"code": "abc"})
    assert "6-digit" in response.content.decode()
    assert device.pk
