"""Whether an e-mail Chorus writes can actually leave the machine.

Without an SMTP server (``CHORUS_EMAIL_HOST`` unset) mail is printed on the console: pages must
then not say "we sent", and offer another way (the invitation link, the server's log).
"""

from __future__ import annotations

from django.conf import settings

_STAYS_HERE = (
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
)


def email_can_leave() -> bool:
    """False when Chorus has no SMTP server: e-mail is printed on the console or dropped."""
    return settings.EMAIL_BACKEND not in _STAYS_HERE
