"""Discord's rules: payload limits (400 / 50035) and per-route rate limits, faults and counters."""

from __future__ import annotations

import hashlib
import math
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import Any

from .errors import EMPTY_MESSAGE, DiscordError, FormErrors

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TITLE_MAX = 256
EMBED_DESCRIPTION_MAX = 4096
EMBED_FIELDS_MAX = 25
EMBED_FIELD_NAME_MAX = 256
EMBED_FIELD_VALUE_MAX = 1024
EMBED_FOOTER_MAX = 2048
EMBED_AUTHOR_MAX = 256
EMBED_TOTAL_MAX = 6000
ACTION_ROWS_MAX = 5
ROW_ITEMS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
MODAL_TITLE_MAX = 45
CHOICES_MAX = 25
CHOICE_NAME_MAX = 100


def embed_size(embed: dict[str, Any]) -> int:
    size = len(embed.get("title") or "") + len(embed.get("description") or "")
    for embed_field in embed.get("fields") or []:
        size += len(embed_field.get("name") or "") + len(embed_field.get("value") or "")
    size += len((embed.get("footer") or {}).get("text") or "")
    size += len((embed.get("author") or {}).get("name") or "")
    return size


def check_message(
    payload: dict[str, Any],
    *,
    creating: bool,
    has_files: bool = False,
    prefix: tuple[str | int, ...] = (),
) -> None:
    """Raise Discord's 400 for a message body over its limits (or empty, when creating)."""
    errors = FormErrors(prefix)
    content = payload.get("content")
    if content is not None:
        errors.max_length(("content",), str(content), CONTENT_MAX)
    embeds = payload.get("embeds") or []
    if len(embeds) > EMBEDS_MAX:
        errors.max_length(("embeds",), embeds, EMBEDS_MAX)
    total = 0
    for index, embed in enumerate(embeds):
        path: tuple[str | int, ...] = ("embeds", index)
        errors.max_length((*path, "title"), embed.get("title"), EMBED_TITLE_MAX)
        errors.max_length((*path, "description"), embed.get("description"), EMBED_DESCRIPTION_MAX)
        fields = embed.get("fields") or []
        errors.max_length((*path, "fields"), fields, EMBED_FIELDS_MAX)
        for number, embed_field in enumerate(fields):
            field_path = (*path, "fields", number)
            errors.required((*field_path, "name"), embed_field.get("name"))
            errors.required((*field_path, "value"), embed_field.get("value"))
            errors.max_length((*field_path, "name"), embed_field.get("name"), EMBED_FIELD_NAME_MAX)
            errors.max_length(
                (*field_path, "value"), embed_field.get("value"), EMBED_FIELD_VALUE_MAX
            )
        footer = embed.get("footer") or {}
        errors.max_length((*path, "footer", "text"), footer.get("text"), EMBED_FOOTER_MAX)
        author = embed.get("author") or {}
        errors.max_length((*path, "author", "name"), author.get("name"), EMBED_AUTHOR_MAX)
        total += embed_size(embed)
    if total > EMBED_TOTAL_MAX:
        errors.add(
            ("embeds",),
            "MAX_EMBED_SIZE_EXCEEDED",
            f"Embed size exceeds maximum size of {EMBED_TOTAL_MAX}",
        )
    check_components(payload.get("components") or [], errors, payload.get("flags", 0))
    errors.raise_if_any()
    if creating and not (
        content
        or embeds
        or has_files
        or payload.get("components")
        or payload.get("sticker_ids")
        or payload.get("poll")
    ):
        raise DiscordError(400, EMPTY_MESSAGE, "Cannot send an empty message")


def check_components(components: list[dict[str, Any]], errors: FormErrors, flags: int) -> None:
    components_v2 = bool(flags & (1 << 15))
    if not components_v2:
        errors.max_length(("components",), components, ACTION_ROWS_MAX)
    seen: set[str] = set()
    for row_index, row in enumerate(components):
        children = row.get("components") or []
        if row.get("type") == 1:
            errors.max_length(("components", row_index, "components"), children, ROW_ITEMS_MAX)
        for item_index, item in enumerate(children):
            path = ("components", row_index, "components", item_index)
            custom_id = item.get("custom_id")
            if custom_id is not None:
                errors.max_length((*path, "custom_id"), custom_id, CUSTOM_ID_MAX)
                if custom_id in seen:
                    errors.add(
                        (*path, "custom_id"),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                seen.add(custom_id)
            if item.get("type") == 2:
                errors.max_length((*path, "label"), item.get("label"), BUTTON_LABEL_MAX)
                if item.get("style") == 5:
                    errors.required((*path, "url"), item.get("url"))
                elif item.get("style") != 6:
                    errors.required((*path, "custom_id"), custom_id)


def check_modal(data: dict[str, Any]) -> None:
    errors = FormErrors(("data",))
    errors.required(("title",), data.get("title"))
    errors.max_length(("title",), data.get("title"), MODAL_TITLE_MAX)
    errors.required(("custom_id",), data.get("custom_id"))
    errors.max_length(("custom_id",), data.get("custom_id"), CUSTOM_ID_MAX)
    errors.max_length(("components",), data.get("components") or [], 5)
    errors.raise_if_any()


def check_choices(data: dict[str, Any]) -> None:
    errors = FormErrors(("data",))
    choices = data.get("choices") or []
    errors.max_length(("choices",), choices, CHOICES_MAX)
    for index, choice in enumerate(choices):
        errors.required(("choices", index, "name"), choice.get("name"))
        errors.max_length(("choices", index, "name"), choice.get("name"), CHOICE_NAME_MAX)
        if isinstance(choice.get("value"), str):
            errors.max_length(("choices", index, "value"), choice.get("value"), CHOICE_NAME_MAX)
    errors.raise_if_any()


# --- rate limits -------------------------------------------------------------------------------


@dataclass
class RouteLimit:
    """`limit` requests per `per` seconds, per route and major parameter (channel/guild/webhook)."""

    limit: int
    per: float
    scope: str = "user"


@dataclass
class Forced429:
    times: int
    retry_after: float
    is_global: bool
    scope: str


@dataclass
class ForcedFailure:
    times: int
    status: int


@dataclass
class Window:
    started: float
    count: int = 0


@dataclass
class RequestRecord:
    method: str
    route: str
    path: str
    status: int
    code: int | None
    at: float


@dataclass
class Rules:
    """Everything a test can tighten. Defaults are lenient so ordinary tests never trip them."""

    default_limit: RouteLimit = field(default_factory=lambda: RouteLimit(limit=10_000, per=1.0))
    route_limits: dict[str, RouteLimit] = field(default_factory=dict)
    # The hidden limit on edits of messages older than an hour: (edits, per seconds, per channel).
    old_message_edits: tuple[int, float] | None = (3, 20.0)
    old_message_age: float = 3600.0
    interaction_deadline: float = 3.0
    interaction_token_ttl: float = 15 * 60.0
    nonce_window: float = 5 * 60.0
    reject_past_scheduled_events: bool = False


class RateLimiter:
    """Per-route buckets, forced 429s and 5xx answers, and the counters tests assert on."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.windows: dict[tuple[str, str], Window] = {}
        self.forced_429: dict[str, Forced429] = {}
        self.failures: dict[str, ForcedFailure] = {}
        self.old_edits: dict[int, deque[float]] = {}
        self.requests: Counter[str] = Counter()
        self.rate_limited: Counter[str] = Counter()
        self.log: list[RequestRecord] = []

    def limit_for(self, route: str) -> RouteLimit:
        return self.rules.route_limits.get(route, self.rules.default_limit)

    @staticmethod
    def bucket_hash(route: str) -> str:
        return hashlib.sha1(route.encode(), usedforsecurity=False).hexdigest()[:16]

    def check(self, route: str, major: str) -> dict[str, str]:
        """Count the request; raise a 429 or 5xx DiscordError, else return rate limit headers."""
        self.requests[route] += 1
        forced = self.forced_429.get(route)
        if forced is not None and forced.times > 0:
            forced.times -= 1
            self.rate_limited[route] += 1
            raise self.too_many(route, forced.retry_after, forced.scope, is_global=forced.is_global)
        failure = self.failures.get(route)
        if failure is not None and failure.times > 0:
            failure.times -= 1
            raise DiscordError(failure.status, 0, f"{failure.status}: Server Error")
        limit = self.limit_for(route)
        now = time.monotonic()
        window = self.windows.get((route, major))
        if window is None or now - window.started >= limit.per:
            window = self.windows[(route, major)] = Window(started=now)
        reset_after = max(limit.per - (now - window.started), 0.0)
        if window.count >= limit.limit:
            self.rate_limited[route] += 1
            raise self.too_many(route, reset_after, limit.scope)
        window.count += 1
        return self.headers(route, limit.limit, limit.limit - window.count, reset_after)

    def check_old_edit(self, route: str, channel_id: int) -> None:
        """The hidden limit on edits of messages older than an hour, per channel → 429 / 30046."""
        if self.rules.old_message_edits is None:
            return
        allowed, per = self.rules.old_message_edits
        now = time.monotonic()
        recent = self.old_edits.setdefault(channel_id, deque())
        while recent and now - recent[0] >= per:
            recent.popleft()
        if len(recent) >= allowed:
            self.rate_limited[route] += 1
            error = self.too_many(route, per - (now - recent[0]), "user")
            error.code = 30046
            error.message = (
                "Maximum number of edits to messages older than 1 hour reached. Try again later."
            )
            raise error
        recent.append(now)

    def too_many(
        self, route: str, retry_after: float, scope: str, *, is_global: bool = False
    ) -> DiscordError:
        retry_after = round(max(retry_after, 0.001), 3)
        limit = self.limit_for(route)
        headers = self.headers(route, limit.limit, 0, retry_after)
        headers.update(
            {
                "Retry-After": str(math.ceil(retry_after)),
                "X-RateLimit-Scope": scope,
                "Via": "1.1 google",
            }
        )
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        return DiscordError(
            429,
            0,
            "You are being rate limited.",
            headers=headers,
            extra={"retry_after": retry_after, "global": is_global},
        )

    def headers(self, route: str, limit: int, remaining: int, reset_after: float) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(remaining, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.bucket_hash(route),
        }
