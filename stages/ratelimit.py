"""Rate limits for the public pages, kept in Django's cache (local memory in development, Redis
in production through CACHE_URL).

Fixed windows: the counter for (bucket, key, window) is created with ``cache.add``
and raised with ``cache.incr``, both atomic on Redis and on the local-memory
cache. Client addresses are hashed with the secret key before they become cache
keys, so the cache never holds a submitter's address in clear, and nothing about
the client is written to the database.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

# (allowed hits, window in seconds); override with settings.STAGES_RATE_LIMITS.
DEFAULT_LIMITS: dict[str, tuple[int, int]] = {
    # Opinions submitted from one address, and to one unit, on the public page.
    "opinion_ip": (5, 600),
    "opinion_ip_day": (20, 86400),
    "opinion_unit": (120, 3600),
    # Receipt look-ups from one address (slows down guessing codes).
    "receipt_ip": (30, 600),
    # Survey submissions from one address.
    "survey_ip": (30, 600),
}


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


def limits() -> dict[str, tuple[int, int]]:
    return {**DEFAULT_LIMITS, **getattr(settings, "STAGES_RATE_LIMITS", {})}


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind our own proxy the last X-Forwarded-For hop.

    Set STAGES_TRUST_X_FORWARDED_FOR = True only when a reverse proxy that
    appends to X-Forwarded-For stands in front of the application.
    """
    if getattr(settings, "STAGES_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1][:64]
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def _key(bucket: str, ident: str, window: int) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{bucket}:{ident}".encode()).hexdigest()[:32]
    return f"stages:rl:{bucket}:{digest}:{int(time.time()) // window}"


def hit(bucket: str, ident: str) -> Verdict:
    """Count one hit; refuse once the bucket's allowance for this window is used up."""
    allowed, window = limits()[bucket]
    key = _key(bucket, ident, window)
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 5)
            count = 1
    if count > allowed:
        return Verdict(False, retry_after=window - int(time.time()) % window)
    return Verdict(True)


def check_all(pairs: list[tuple[str, str]]) -> Verdict:
    """Hit every (bucket, ident); the first refusal wins (the others are still counted)."""
    verdicts = [hit(bucket, ident) for bucket, ident in pairs]
    refused = [v for v in verdicts if not v.allowed]
    if refused:
        return Verdict(False, retry_after=max(v.retry_after for v in refused))
    return Verdict(True)
