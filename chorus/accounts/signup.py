"""Sign-up without telling strangers who has an account.

Whether the address is free or not, the person sees the same page ("check your e-mail") and the
mailbox gets the next step: a link to finish creating the account, or a note that an account
already exists there (with the way to sign in or reset the password). The link carries the
pending account encrypted (name, address, password hash); finishing asks for that password again,
so someone who signed up with another person's address cannot have them confirm an account whose
password only the impostor knows.

The very first account of a fresh Chorus is created at once: there is nobody to protect yet, and
a laptop install has no e-mail server.
"""

from __future__ import annotations

import json
from typing import Any

from cryptography.fernet import InvalidToken
from django.contrib.auth.hashers import make_password
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.accounts.ratelimit import normalised_email
from chorus.core import crypto

LINK_VALID_SECONDS = 2 * 24 * 3600


def is_first_account() -> bool:
    return not User.objects.exists()


def account_exists(email: str) -> bool:
    return User.objects.filter(email__iexact=normalised_email(email)).exists()


def pending_token(email: str, name: str, password: str, language: str, next_url: str) -> str:
    pending = {
        "email": normalised_email(email),
        "name": name,
        "password": make_password(password),
        "language": language,
        "next": next_url,
    }
    return crypto.encrypt_json(pending)


def read_pending(token: str) -> dict[str, Any] | None:
    """The pending account, or None if the link is altered, from another install, or too old."""
    try:
        raw = crypto.fernet().decrypt(token.encode(), ttl=LINK_VALID_SECONDS)
    except (InvalidToken, ValueError):
        return None
    pending: dict[str, Any] = json.loads(raw)
    return pending


def create_account(email: str, name: str, password_hash: str, language: str) -> User:
    user = User.objects.create_user(email=email, full_name=name, language=language)
    user.password = password_hash  # already hashed when the person chose it
    user.save(update_fields=["password"])
    return user


def send_finish_link(email: str, link: str) -> None:
    body = render_to_string("accounts/email/signup_finish.txt", {"link": link})
    send_mail(_("Finish creating your Chorus account"), body, None, [email])


def send_already_registered(email: str, signin_link: str, reset_link: str) -> None:
    context = {"signin_link": signin_link, "reset_link": reset_link}
    body = render_to_string("accounts/email/signup_existing.txt", context)
    send_mail(_("You already have a Chorus account"), body, None, [email])
