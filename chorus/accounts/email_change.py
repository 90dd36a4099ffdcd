"""Changing the sign-in address: confirmed from the new mailbox, told to the old one.

The link is signed (user, new address, address at the time of asking) and works 2 days; once the
address has changed, older links stop working because the address they started from is gone.
"""

from __future__ import annotations

from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from chorus.accounts.models import User
from chorus.accounts.ratelimit import normalised_email

SALT = "chorus.accounts.email-change"
LINK_VALID_SECONDS = 2 * 24 * 3600


class EmailTaken(Exception):
    """Another account signs in with this address."""


def address_taken(email: str, user: User) -> bool:
    return User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists()


def change_token(user: User, new_email: str) -> str:
    payload = {"u": user.pk, "new": normalised_email(new_email), "old": user.email}
    return signing.dumps(payload, salt=SALT)


def send_confirmation(user: User, new_email: str, link: str) -> None:
    """To the new mailbox: the link, or (if that address has an account) a note saying so,
    so the person asking cannot tell which addresses have accounts."""
    if address_taken(new_email, user):
        body = render_to_string("accounts/email/email_change_taken.txt", {"user": user})
    else:
        body = render_to_string("accounts/email/email_change_confirm.txt", {"link": link})
    send_mail(_("Confirm your new Chorus e-mail address"), body, None, [new_email])


@transaction.atomic
def apply_change(token: str) -> User | None:
    """Change the address the link is for; None if the link is bad, old or already used."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_VALID_SECONDS)
    except signing.BadSignature:
        return None
    user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first()
    if user is None or user.email != data.get("old"):
        return None
    if address_taken(data["new"], user):
        raise EmailTaken
    user.email = user.username = data["new"]
    user.save(update_fields=["email", "username"])
    _tell_old_address(user, data["old"])
    return user


def _tell_old_address(user: User, old_email: str) -> None:
    body = render_to_string("accounts/email/email_changed.txt", {"user": user, "old": old_email})
    send_mail(_("Your Chorus e-mail address was changed"), body, None, [old_email])
