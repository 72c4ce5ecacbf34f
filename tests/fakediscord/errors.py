"""Discord's JSON error answers, raised inside handlers and rendered by the REST middleware."""

from __future__ import annotations

from typing import Any


class DiscordError(Exception):
    """An error answer: HTTP status, Discord's JSON error code, message and optional `errors`."""

    def __init__(
        self,
        status: int,
        code: int,
        message: str,
        errors: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"message": self.message}
        if self.status != 429 or self.code:
            body["code"] = self.code
        if self.errors is not None:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


def unknown(what: str, code: int) -> DiscordError:
    return DiscordError(404, code, f"Unknown {what}")


UNKNOWN_CHANNEL = 10003
UNKNOWN_GUILD = 10004
UNKNOWN_MEMBER = 10007
UNKNOWN_MESSAGE = 10008
UNKNOWN_ROLE = 10011
UNKNOWN_WEBHOOK = 10015
UNKNOWN_USER = 10013
UNKNOWN_EMOJI = 10014
UNKNOWN_INTERACTION = 10062
UNKNOWN_EVENT = 10070
UNKNOWN_COMMAND = 10063
ALREADY_ACKNOWLEDGED = 40060
OLD_MESSAGE_EDITS = 30046
CANNOT_DM = 50007
MISSING_ACCESS = 50001
MISSING_PERMISSIONS = 50013
EMPTY_MESSAGE = 50006
INVALID_FORM_BODY = 50035
FINISHED_EVENT = 180000


class FormErrors:
    """Collects per-field validation errors into Discord's nested `errors` object."""

    def __init__(self, prefix: tuple[str | int, ...] = ()) -> None:
        self.prefix = prefix
        self.tree: dict[str, Any] = {}

    def add(self, path: tuple[str | int, ...], code: str, message: str) -> None:
        node = self.tree
        for part in (*self.prefix, *path):
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def max_length(self, path: tuple[str | int, ...], value: Any, limit: int) -> None:
        if value is not None and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def required(self, path: tuple[str | int, ...], value: Any) -> None:
        if value is None or value == "":
            self.add(path, "BASE_TYPE_REQUIRED", "This field is required")

    def raise_if_any(self) -> None:
        if self.tree:
            raise DiscordError(400, INVALID_FORM_BODY, "Invalid Form Body", self.tree)
