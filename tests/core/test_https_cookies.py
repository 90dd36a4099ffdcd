"""Served over https (CHORUS_BASE_URL), every cookie Chorus sets is Secure: session, CSRF and
language; over plain http (the laptop default) they are not, or sign-in would break."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from chorus.accounts.models import User
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
READ = (
    "import json; from django.conf import settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE,"
    " s.CSRF_COOKIE_SECURE, s.LANGUAGE_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER]))"
)


def _cookie_settings(base_url: str, tmp_path: Path) -> list[object]:
    """The settings module as a server started with this CHORUS_BASE_URL reads it."""
    env = os.environ | {
        "CHORUS_BASE_URL": base_url,
        "CHORUS_VAR_DIR": str(tmp_path),
        "CHORUS_SECRET_KEY": "test-only",
        "DJANGO_SETTINGS_MODULE": "chorus.settings",
        "PYTHONPATH": str(ROOT),
    }
    out = subprocess.run(
        [sys.executable, "-c", READ], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "base_url", ["https://chorus.example.org", "HTTPS://Chorus.example.org/", " https://c.example "]
)
def test_an_https_address_makes_every_cookie_secure(base_url: str, tmp_path: Path) -> None:
    assert _cookie_settings(base_url, tmp_path) == [
        True,
        True,
        True,
        ["HTTP_X_FORWARDED_PROTO", "https"],
    ]


def test_a_plain_http_address_keeps_cookies_usable_on_a_laptop(tmp_path: Path) -> None:
    assert _cookie_settings("http://127.0.0.1:8000", tmp_path) == [False, False, False, None]


@pytest.fixture
def over_https(settings):  # type: ignore[no-untyped-def]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.LANGUAGE_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.django_db
@pytest.mark.usefixtures("over_https")
def test_signing_in_over_https_sets_only_secure_cookies(alice: User) -> None:
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.get("/account/signin/")
    signed_in = client.post("/account/signin/", {"email": alice.email, "password": PASSWORD})
    switched = client.post("/account/language/", {"language": "en"})
    cookies = {**client.cookies, **signed_in.cookies, **switched.cookies}
    assert {"sessionid", "csrftoken", "django_language"} <= set(cookies)
    assert all(cookies[name]["secure"] for name in cookies), cookies
