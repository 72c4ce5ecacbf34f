"""Calendar feeds: the pure rules. What a token looks like, how it is kept, which events a
feed holds."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta

TOKEN_BYTES = 24  # secrets.token_urlsafe(24): 32 URL-safe characters, 192 bits
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{32}$")
FEED_PAST = timedelta(days=30)  # events over (or cancelled) stay this long, so calendars follow
FEED_MAX = 10_000  # events in one feed, at most: the soonest first after the window opens
TOKENS_PER_KIND = 5  # live URLs per member per kind of feed; a sixth retires the oldest


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def looks_like_token(text: str) -> bool:
    return bool(TOKEN_SHAPE.match(text))


def token_hash(token: str) -> str:
    """What is stored: the SHA-256 hex of the token (the token itself never is)."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def same_hash(stored: str, computed: str) -> bool:
    """Compared in constant time."""
    return hmac.compare_digest(stored.encode("ascii"), computed.encode("ascii"))


def feed_since(now: datetime) -> datetime:
    """A feed holds the events not over before this: upcoming ones and the last 30 days'."""
    return now - FEED_PAST
