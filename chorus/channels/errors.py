"""The network error classes, as the channels app names them.

They live in :mod:`chorus.core.network_errors` because the one HTTP client (``core``, which
imports no app) raises them; connectors and callers keep importing them from here.
"""

from __future__ import annotations

from chorus.core.network_errors import (
    AuthExpired,
    ChannelError,
    Permanent,
    RateLimited,
    Transient,
    Unconfirmed,
)

__all__ = ["AuthExpired", "ChannelError", "Permanent", "RateLimited", "Transient", "Unconfirmed"]
